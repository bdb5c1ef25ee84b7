import { describe, expect, it } from 'vitest'
import { extractPdfText } from '../../documents/pdf/extract-text'
import type { ObservationItem, ResultItem } from '../../models/learning/record.server'
import { childReportPdf } from './child-report.server'

const now = new Date('2026-03-14T09:30:00Z')
const result = (i: number): ResultItem => ({
  type: 'result',
  id: `r${i}`,
  childId: 'c',
  classId: 'k',
  activityId: `a${i}`,
  title: `Activité n°${i} — fractions`,
  skillCodes: ['C3-MA-NOMB-1'],
  score: i % 5,
  max: 5,
  durationMs: 60_000,
  completedAt: new Date(Date.UTC(2026, 0, 1 + i)),
  publishedAt: null,
})
const obs = (level: ObservationItem['level'], on: string, note: string | null): ObservationItem => ({
  type: 'observation',
  id: `o${on}`,
  childId: 'c',
  classId: 'k',
  activityId: null,
  skillId: 's1',
  skillCode: 'C3-FR-LIRE-1',
  skillLabel: 'Lire avec fluidité',
  domain: 'Français',
  level,
  note,
  observedOn: on,
  publishedAt: null,
})
const base = { lang: 'fr' as const, now, orgName: 'École Jules-Ferry', classNames: ['CM1 A'], period: { from: '2026-01-01', to: '2026-06-30' } }

describe('child learning-record PDF', () => {
  it('prints school, class, period, skills with their evolution, results and notes, paginated', async () => {
    const bytes = await childReportPdf({
      ...base,
      child: { firstName: 'Nguyễn', lastName: 'Văn An' },
      results: Array.from({ length: 60 }, (_, i) => result(i)),
      observations: [obs('not_yet', '2026-01-10', 'Hésite encore.'), obs('in_progress', '2026-02-10', null), obs('acquired', '2026-03-10', 'Lit avec aisance.')],
    })
    const pages = await extractPdfText(bytes)
    expect(pages.length).toBeGreaterThan(1)
    pages.forEach((p, i) => {
      expect(p).toContain('Livret d’apprentissage')
      expect(p).toContain('École Jules-Ferry · CM1 A')
      expect(p).toContain(`Page ${i + 1} sur ${pages.length}`)
    })
    const all = pages.join('\n')
    expect(all).toContain('Nguyễn Văn An')
    expect(all).toContain('du 1 janv. 2026 au 30 juin 2026')
    expect(all).toMatch(/Lire avec fluidité \(C3-FR-LIRE-1\)\s+Acquis/)
    expect(all).toContain('Pas encore')
    expect(all).toContain('Lit avec aisance.')
    expect(all).toContain('Activité n°59 — fractions')
    // The results table header is repeated on the page it continues on.
    expect(pages[1]).toMatch(/Date\s+Activité\s+Compétences\s+Score/)
  })

  it('keeps every letter of names drawn after another document used a composite of it (Ö then O)', async () => {
    const names: [string, string][] = [
      ['Ömer', 'Yılmaz'],
      ['Ioana-Maria', "O'Brien"],
      ['Łukasz', 'Nowak'],
      ['Zoé', 'Müller'],
    ]
    for (const [firstName, lastName] of names) {
      const bytes = await childReportPdf({ ...base, child: { firstName, lastName }, results: [result(1)], observations: [] })
      expect((await extractPdfText(bytes)).join('\n')).toContain(`${firstName} ${lastName}`)
    }
  })

  it('never crashes on a character the font lacks', async () => {
    const bytes = await childReportPdf({ ...base, child: { firstName: '美咲', lastName: 'Tanaka 👍' }, results: [], observations: [obs('acquired', '2026-02-01', 'Très bien 🎉')] })
    const text = (await extractPdfText(bytes)).join('\n')
    expect(text).toContain('?? Tanaka ?')
    expect(text).toContain('Aucun résultat pour cette période.')
  })
})
