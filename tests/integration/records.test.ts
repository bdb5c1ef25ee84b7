// Records of processing (Annex B, GDPR Art. 30), generated: every personal column of the
// classification is accounted for under its purpose and category; the legal basis follows the
// organization's setting; recipients are the sub-processor register; page and PDF agree.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLASSIFICATION } from '~/compliance/classification'
import { recordsPdf } from '~/privacy/records/pdf.server'
import { recordsOfProcessing, setLegalBasis } from '~/privacy/records/records.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { t as tr } from '~/i18n'
import * as page from '~/routes/org.$orgId.records'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'
import { cookieFor, get } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test('every personal column of the classification appears under its purpose and category; nothing else', async () => {
  const org = await makeOrg(t.db, 'school', 'École des Registres')
  await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const r = await recordsOfProcessing(t.db, org.id)
  let personal = 0
  for (const [table, cls] of Object.entries(CLASSIFICATION)) {
    for (const col of Object.values(cls.columns)) {
      if (col.category === 'none' || col.subject === 'none') continue
      personal++
      const act = r.activities.find((a) => a.purpose === cls.purpose)
      expect(act, `purpose ${cls.purpose}`).toBeTruthy()
      const cat = act!.categories.find((c) => c.category === col.category)
      expect(cat?.tables, `${table} under ${cls.purpose}/${col.category}`).toContain(table)
      expect(cat!.subjects).toContain(col.subject)
    }
  }
  expect(personal).toBeGreaterThan(100)
  // Tables without personal data are not listed.
  const listed = new Set(r.activities.flatMap((a) => a.tables))
  expect(listed.has('skills')).toBe(false)
  expect(listed.has('results')).toBe(true)
  // Retention as the code enforces it; recipients from the register (Annex C).
  const service = r.activities.find((a) => a.purpose === 'service_provision')!
  const lines = service.retention.map((x) => tr('fr', x.key, x.vars))
  expect(lines.join('\n')).toContain('24 heures')
  expect(lines.join('\n')).toContain('24 mois')
  expect(lines.join('\n')).toContain('mensuelles 6 mois')
  expect(r.recipients.map((x) => x.name)).toEqual(['OVH', 'Crisp', 'Sendinblue (Brevo)'])
  expect(service.legalBasis).toBe('public_task')
})

test("the legal basis is the organization's setting; the PDF and the page show the same records", async () => {
  const org = await makeOrg(t.db, 'family', 'Famille Registre')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  await setLegalBasis(t.db, { orgId: org.id, legalBasis: 'consent', by: admin.id })
  const r = await recordsOfProcessing(t.db, org.id)
  expect(r.activities.find((a) => a.purpose === 'service_provision')!.legalBasis).toBe('consent')
  const text = (await extractPdfText((await recordsPdf(t.db, { orgId: org.id, lang: 'fr' })).bytes)).join('\n')
  for (const part of ['Registre des activités de traitement', 'Famille Registre', 'Consentement', 'Fourniture du service pédagogique', 'OVH', 'Apprentissages']) expect(text).toContain(part)
  const data = await get(page.loader, `/org/${org.id}/records`, { orgId: org.id }, await cookieFor(t.db, admin))
  expect(data.r.activities.map((a: { purpose: string }) => a.purpose).sort()).toEqual(r.activities.map((a) => a.purpose).sort())
})
