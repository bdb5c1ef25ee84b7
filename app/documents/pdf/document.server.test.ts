import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { PdfReport } from './document.server'
import { extractPdfText } from './extract-text'

const now = new Date('2025-03-14T09:30:00Z')
const NAMES = ['Zoé', 'Łukasz', 'Nguyễn', 'Ömer', "Ioana-Maria O'Brien"]

function report(lang: 'fr' | 'en' = 'fr') {
  return PdfReport.create({ title: 'Bulletin', subtitle: 'École Jules-Ferry · CM1 B · 2024–2025', lang, now })
}

describe('PdfReport', () => {
  it('extracts accented and non-Latin names back exactly', async () => {
    const r = await report()
    r.heading('Élèves')
    r.paragraph(`Présents : ${NAMES.join(', ')}.`)
    r.keyValue(NAMES.map((n, i) => [n, `${i + 10}/20`]))
    r.table({
      columns: [
        { label: 'Nom', width: 3 },
        { label: 'Note', width: 1, align: 'right' },
      ],
      rows: NAMES.map((n) => [n, '12']),
    })
    const [text] = await extractPdfText(await r.finish())
    for (const name of NAMES) expect(text).toContain(name)
    expect(text).toContain('École Jules-Ferry · CM1 B · 2024–2025')
    expect(text).toContain('Page 1 sur 1')
  })

  it('does not throw on characters DejaVu lacks and prints "?" instead', async () => {
    const r = await report()
    r.heading('漢字 𓀀')
    r.paragraph('Mei 漢 and 𓀀 and emoji 👍🏽')
    r.table({ columns: [{ label: '名', width: 1 }], rows: [['漢']] })
    const [text] = await extractPdfText(await r.finish())
    expect(text).toContain('Mei ? and ? and emoji ??')
  })

  it('repeats the table header and numbers pages on a 200-row table', async () => {
    const r = await report()
    r.heading('Résultats')
    r.table({
      columns: [
        { label: 'Élève', width: 3 },
        { label: 'Activité', width: 4 },
        { label: 'Score', width: 1, align: 'right' },
      ],
      rows: Array.from({ length: 200 }, (_, i) => [`Élève ${i + 1}`, `Fractions, série ${i % 7}`, `${i % 20}/20`]),
    })
    const pages = await extractPdfText(await r.finish())
    expect(pages.length).toBeGreaterThanOrEqual(3)
    pages.forEach((page, i) => {
      expect(page).toContain('Bulletin')
      expect(page).toMatch(/Élève\s+Activité\s+Score/)
      expect(page).toContain(`Page ${i + 1} sur ${pages.length}`)
    })
    // Every row exactly once, in order, across the pages.
    const rows = [...pages.join('\n').matchAll(/Élève (\d+) Fractions/g)].map((m) => Number(m[1]))
    expect(rows).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    // Rows are never cut in half between pages.
    const firstRowOnPage2 = pages[1]!.match(/Élève (\d+) Fractions/)
    expect(firstRowOnPage2).not.toBeNull()
    expect(pages[0]).toContain(`Élève ${Number(firstRowOnPage2![1]) - 1} Fractions`)
  })

  it('wraps long cells and splits a row taller than a page', async () => {
    const r = await report('en')
    const huge = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ')
    r.table({ columns: [{ label: 'Comment', width: 1 }], rows: [[huge], ['after']] })
    const pages = await extractPdfText(await r.finish())
    expect(pages.length).toBeGreaterThan(1)
    const all = pages.join(' ')
    expect(all).toContain('word0')
    expect(all).toContain('word899')
    expect(all).toContain('after')
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`))
  })

  it('wraps paragraphs within the margins and breaks pages automatically', async () => {
    const r = await report()
    for (let i = 0; i < 40; i++) r.paragraph(`Paragraphe ${i} : ${'texte assez long pour être coupé '.repeat(12)}`)
    r.spacer(20)
    const bytes = await r.finish()
    const pages = await extractPdfText(bytes)
    expect(pages.length).toBeGreaterThan(1)
    expect(pages.join('\n')).toContain('Paragraphe 39')
    const doc = await PDFDocument.load(bytes)
    for (const page of doc.getPages()) expect(page.getSize().width).toBeCloseTo(595.28, 1)
  })

  it('sets metadata without personal data', async () => {
    const r = await report('en')
    r.paragraph(NAMES.join(' '))
    const doc = await PDFDocument.load(await r.finish(), { updateMetadata: false })
    expect(doc.getTitle()).toBe('Bulletin')
    expect(doc.getProducer()).toBe('Carnet')
    expect(doc.getCreator()).toBe('Carnet')
    expect(doc.getCreationDate()?.toISOString()).toBe(now.toISOString())
    expect(doc.getAuthor()).toBeUndefined()
    expect(doc.getSubject()).toBeUndefined()
    expect(doc.getKeywords()).toBeUndefined()
  })

  it('refuses to finish twice', async () => {
    const r = await report()
    await r.finish()
    await expect(r.finish()).rejects.toThrow(/already/)
  })
})
