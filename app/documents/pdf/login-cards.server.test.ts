import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { extractPdfText } from './extract-text'
import { renderLoginCards, type LoginCard } from './login-cards.server'

const now = new Date('2025-09-02T08:00:00Z')
const NAMES = ['Zoé', 'Łukasz', 'Nguyễn', 'Ömer', "Ioana-Maria O'Brien", 'Maximilien-Alexandre']

function cards(n: number): LoginCard[] {
  return Array.from({ length: n }, (_, i) => ({
    firstName: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${i}` : ''}`,
    classLabel: 'CM1 B',
    shortCode: `K${String(i).padStart(2, '0')}P7Q`,
    qrUrl: `https://carnet.example.org/c/${i.toString(16).padStart(8, '0')}secret`,
  }))
}

describe('renderLoginCards', () => {
  it('puts 30 children on 4 pages of 8 cards with names, codes and instructions', async () => {
    const input = cards(30)
    const bytes = await renderLoginCards({ schoolName: 'École Jules-Ferry', className: 'CM1 B', lang: 'fr', cards: input, now })
    const pages = await extractPdfText(bytes)
    expect(pages).toHaveLength(4)

    input.forEach((card, i) => {
      const page = pages[Math.floor(i / 8)]!
      expect(page).toContain(card.firstName)
      expect(page).toContain(card.shortCode)
    })
    const perPage = pages.map((p) => p.match(/Scanne le code\s+ou tape ce code/g)?.length ?? 0)
    expect(perPage).toEqual([8, 8, 8, 6])
    pages.forEach((p, i) => {
      expect(p).toContain('École Jules-Ferry · CM1 B')
      expect(p).toContain(`Page ${i + 1} sur 4`)
    })
    // The login URL is a credential: only inside the QR code, never as text.
    expect(pages.join('\n')).not.toContain('carnet.example.org')
  })

  it('draws QR codes as vectors, not images, and keeps metadata impersonal', async () => {
    const bytes = await renderLoginCards({ schoolName: 'École', className: 'CM1 B', lang: 'en', cards: cards(3), now })
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    const images = doc.context.enumerateIndirectObjects().filter(([, obj]) => obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'))
    expect(images).toHaveLength(0)
    expect(doc.getTitle()).toBe('Login cards — CM1 B')
    expect(doc.getAuthor()).toBeUndefined()
    expect(doc.getCreationDate()?.toISOString()).toBe(now.toISOString())

    const [text] = await extractPdfText(bytes)
    expect(text).toMatch(/Scan the code\s+or type this code/)
    expect(text).toContain('Page 1 of 1')
  })

  it('survives names and codes with characters the fonts lack', async () => {
    const bytes = await renderLoginCards({
      schoolName: '学校',
      className: 'CM1',
      lang: 'fr',
      now,
      cards: [{ firstName: '漢 𓀀', classLabel: 'CM1', shortCode: 'AB漢1', qrUrl: 'https://x.example/c/1' }],
    })
    const [text] = await extractPdfText(bytes)
    expect(text).toContain('? ?')
    expect(text).toContain('AB?1')
  })

  it('produces one empty sheet for an empty class', async () => {
    const bytes = await renderLoginCards({ schoolName: 'École', className: 'CM1', lang: 'fr', cards: [], now })
    expect(await extractPdfText(bytes)).toHaveLength(1)
  })
})
