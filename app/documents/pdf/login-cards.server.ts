import { PageSizes, PDFDocument, pushGraphicsState, popGraphicsState, setCharacterSpacing, type PDFPage } from 'pdf-lib'
import { colors } from './colors'
import { setCarnetMetadata } from './document.server'
import { embedCarnetFonts, safeText, type CarnetFonts } from './fonts.server'
import { cutHint, loginCardInstruction, loginCardsTitle, pageLabel, type PdfLang } from './labels'
import { drawQr } from './qr'
import { fitLine, fitSize, wrapBalanced } from './wrap'

export interface LoginCard {
  firstName: string
  classLabel: string
  /** The code a child types when the QR code cannot be scanned. */
  shortCode: string
  /** Login URL carried by the QR code; never printed as text. */
  qrUrl: string
}

export interface LoginCardsInput {
  schoolName: string
  className: string
  lang: PdfLang
  cards: LoginCard[]
  now: Date
}

const [PAGE_W, PAGE_H] = PageSizes.A4
const COLS = 2
const ROWS = 4
export const CARDS_PER_PAGE = COLS * ROWS
const MARGIN_X = 28
const GRID_TOP = PAGE_H - 46 // room above for the sheet header
const GRID_BOTTOM = 36 // room below for the page number
const CARD_W = (PAGE_W - 2 * MARGIN_X) / COLS
const CARD_H = (GRID_TOP - GRID_BOTTOM) / ROWS
const PAD = 14
const NAME_MAX = 26 // pt, first name size when it fits

/** A4 sheets of cut-out login cards, 2 × 4 per page, QR codes drawn as vectors. */
export async function renderLoginCards(input: LoginCardsInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false })
  setCarnetMetadata(pdf, `${loginCardsTitle(input.lang)} — ${input.className}`, input.lang, input.now)
  const fonts = await embedCarnetFonts(pdf)

  const pageCount = Math.max(1, Math.ceil(input.cards.length / CARDS_PER_PAGE))
  for (let p = 0; p < pageCount; p++) {
    const page = pdf.addPage(PageSizes.A4)
    const cards = input.cards.slice(p * CARDS_PER_PAGE, (p + 1) * CARDS_PER_PAGE)
    drawSheetFrame(page, fonts, input, p + 1, pageCount)
    drawCutLines(page, Math.ceil(cards.length / COLS))
    cards.forEach((card, i) => {
      const col = i % COLS
      const row = Math.floor(i / COLS)
      drawCard(page, fonts, card, input.lang, MARGIN_X + col * CARD_W, GRID_TOP - row * CARD_H)
    })
  }
  return pdf.save()
}

function drawSheetFrame(page: PDFPage, fonts: CarnetFonts, input: LoginCardsInput, n: number, total: number) {
  const width = PAGE_W - 2 * MARGIN_X
  const line = (text: string, font = fonts.regular, size = 8) => fitLine(safeText(font, text), width, (s) => font.widthOfTextAtSize(s, size))
  const title = `${loginCardsTitle(input.lang)} · ${input.schoolName} · ${input.className}`
  page.drawText(line(title, fonts.bold, 10), {
    x: MARGIN_X,
    y: PAGE_H - 24,
    size: 10,
    font: fonts.bold,
    color: colors.text,
  })
  page.drawText(line(cutHint(input.lang)), {
    x: MARGIN_X,
    y: PAGE_H - 37,
    size: 8,
    font: fonts.regular,
    color: colors.muted,
  })
  const label = pageLabel(input.lang, n, total)
  page.drawText(label, {
    x: (PAGE_W - fonts.regular.widthOfTextAtSize(label, 8)) / 2,
    y: 16,
    size: 8,
    font: fonts.regular,
    color: colors.muted,
  })
}

// Dashed lines on every card edge, only around the rows actually used on this sheet.
function drawCutLines(page: PDFPage, rowsUsed: number) {
  const style = { thickness: 0.5, color: colors.muted, dashArray: [4, 3] }
  const bottom = GRID_TOP - rowsUsed * CARD_H
  for (let c = 0; c <= COLS; c++) {
    const x = MARGIN_X + c * CARD_W
    page.drawLine({ start: { x, y: bottom }, end: { x, y: GRID_TOP }, ...style })
  }
  for (let r = 0; r <= rowsUsed; r++) {
    const y = GRID_TOP - r * CARD_H
    page.drawLine({ start: { x: MARGIN_X, y }, end: { x: PAGE_W - MARGIN_X, y }, ...style })
  }
}

/** One card; (left, top) is its top-left corner. */
function drawCard(page: PDFPage, fonts: CarnetFonts, card: LoginCard, lang: PdfLang, left: number, top: number) {
  const innerW = CARD_W - 2 * PAD
  const x = left + PAD
  let y = top - PAD

  // The first name is what a child recognises: as large as the card allows.
  const name = safeText(fonts.bold, card.firstName.trim())
  const widthAt = (s: string, size: number) => fonts.bold.widthOfTextAtSize(s, size)
  const nameSize = fitSize(name, innerW, widthAt, NAME_MAX, 12)
  const shownName = fitLine(name, innerW, (s) => widthAt(s, nameSize))
  // Same baseline and slot whatever the name's size, so every card has the same layout.
  const slot = NAME_MAX * 1.2
  page.drawText(shownName, { x, y: y - NAME_MAX * 0.93, size: nameSize, font: fonts.bold, color: colors.text })
  y -= slot

  const classLabel = fitLine(safeText(fonts.regular, card.classLabel), innerW, (s) => fonts.regular.widthOfTextAtSize(s, 11))
  page.drawText(classLabel, { x, y: y - 11 * 0.93, size: 11, font: fonts.regular, color: colors.muted })
  y -= 11 * 1.2 + 8

  const qrSide = Math.min(y - (top - CARD_H + PAD), 120)
  drawQr(page, card.qrUrl, x - 4, y - qrSide, qrSide)

  // Right of the QR: the instruction, then the code in big monospace letters.
  const textX = x + qrSide + 8
  const textW = left + CARD_W - PAD - textX
  const instrSize = 9
  const instrLines = wrapBalanced(safeText(fonts.regular, loginCardInstruction(lang)), textW, (s) => fonts.regular.widthOfTextAtSize(s, instrSize))
  let ty = y - 8
  for (const line of instrLines) {
    page.drawText(line, { x: textX, y: ty - instrSize * 0.93, size: instrSize, font: fonts.regular, color: colors.text })
    ty -= instrSize * 1.3
  }

  const code = safeText(fonts.mono, card.shortCode.trim())
  const spacing = 1.5 // extra room between letters so "rn" never reads as "m"
  const codeWidth = (s: string, size: number) => fonts.mono.widthOfTextAtSize(s, size) + spacing * [...s].length
  const codeSize = fitSize(code, textW, codeWidth, 24, 8)
  ty -= 10
  // Character spacing (Tc) keeps the code one text run, so it extracts and copies as one word.
  page.pushOperators(pushGraphicsState(), setCharacterSpacing(spacing))
  page.drawText(code, { x: textX, y: ty - codeSize * 0.93, size: codeSize, font: fonts.mono, color: colors.text })
  page.pushOperators(popGraphicsState())
}
