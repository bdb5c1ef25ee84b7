import type { PDFFont, PDFPage } from 'pdf-lib'
import { colors } from './colors'
import type { CarnetFonts } from './fonts.server'
import type { TextOptions } from './text-options'

/** What a grid needs of the page flow it draws into (PdfReport in document.server.ts). */
export interface PageFlow {
  readonly page: PDFPage
  readonly fonts: CarnetFonts
  readonly left: number
  readonly y: number
  readonly spaceLeft: number
  readonly contentHeight: number
  wrap(text: string, font: PDFFont, size: number, width: number): string[]
  drawTextLine(text: string, x: number, top: number, opts?: TextOptions & { font?: PDFFont }): string
  moveDown(height: number): void
  newPage(): void
  ensureSpace(height: number): void
}

export type Align = 'left' | 'right' | 'center'

export interface GridSpec {
  /** Column widths in points. */
  widths: number[]
  aligns?: Align[]
  /** Font per body column. */
  fonts: PDFFont[]
  /** Header labels (bold, shaded), repeated after every page break. */
  header?: string[]
  rows: string[][]
  size: number
  /** Thin line under each row. */
  rules: boolean
}

const PAD = 4

/**
 * Draws rows of wrapped cells at the report's cursor, breaking pages as needed. A row moves
 * whole to the next page when it fits there; only a row taller than a page is split.
 */
export function drawGrid(report: PageFlow, spec: GridSpec): void {
  const { widths, size } = spec
  const lineHeight = size * 1.3
  const tableWidth = widths.reduce((a, b) => a + b, 0)
  const wrapRow = (cells: readonly string[], fontFor: (i: number) => PDFFont) => widths.map((w, i) => report.wrap(cells[i] ?? '', fontFor(i), size, Math.max(w - 2 * PAD, 1)))

  const headerLines = spec.header ? wrapRow(spec.header, () => report.fonts.bold) : null
  const headerHeight = headerLines ? maxLen(headerLines) * lineHeight + 2 * PAD : 0

  const drawSegment = (lines: string[][], from: number, count: number, header: boolean) => {
    const top = report.y
    const height = count * lineHeight + 2 * PAD
    if (header) {
      report.page.drawRectangle({
        x: report.left,
        y: top - height,
        width: tableWidth,
        height,
        color: colors.fill,
      })
    }
    let x = report.left
    widths.forEach((w, col) => {
      const font = header ? report.fonts.bold : spec.fonts[col]!
      const align = spec.aligns?.[col] ?? 'left'
      lines[col]!.slice(from, from + count).forEach((line, k) => {
        const textWidth = font.widthOfTextAtSize(line, size)
        const dx = align === 'right' ? w - PAD - textWidth : align === 'center' ? (w - textWidth) / 2 : PAD
        report.drawTextLine(line, x + dx, top - PAD - k * lineHeight, { font, size })
      })
      x += w
    })
    if (spec.rules || header) {
      report.page.drawLine({
        start: { x: report.left, y: top - height },
        end: { x: report.left + tableWidth, y: top - height },
        thickness: header ? 0.8 : 0.4,
        color: colors.rule,
      })
    }
    report.moveDown(height)
  }

  const drawHeader = () => {
    if (headerLines) drawSegment(headerLines, 0, maxLen(headerLines), true)
  }
  const breakPage = () => {
    report.newPage()
    drawHeader()
  }

  // Never leave a header alone at the bottom of a page.
  report.ensureSpace(headerHeight + lineHeight + 2 * PAD)
  drawHeader()

  for (const row of spec.rows) {
    const lines = wrapRow(row, (i) => spec.fonts[i]!)
    const total = maxLen(lines)
    let offset = 0
    while (offset < total) {
      const remaining = total - offset
      const fitsFreshPage = remaining * lineHeight + 2 * PAD <= report.contentHeight - headerHeight
      let fit = Math.floor((report.spaceLeft - 2 * PAD) / lineHeight)
      // Only the repeated header is on this page: breaking again would loop forever.
      const freshPage = report.spaceLeft >= report.contentHeight - headerHeight - 0.01
      if (fit < remaining && (fit < 1 || (offset === 0 && fitsFreshPage)) && !freshPage) {
        breakPage()
        continue
      }
      // On a fresh page with a degenerate font size, still make progress.
      fit = Math.max(fit, 1)
      const count = Math.min(fit, remaining)
      drawSegment(lines, offset, count, false)
      offset += count
      if (offset < total) breakPage()
    }
  }
}

function maxLen(lines: string[][]): number {
  return Math.max(1, ...lines.map((l) => l.length))
}
