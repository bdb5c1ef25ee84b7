import { PageSizes, PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib'
import { embedCarnetFonts, safeText, type CarnetFonts } from './fonts.server'
import { pageLabel, type PdfLang } from './labels'
import { drawGrid, type Align } from './table.server'
import { fitLine, wrapText } from './wrap'
import { colors } from './colors'
import type { TextOptions } from './text-options'

export interface PdfReportOptions {
  /** Also the PDF's /Title — the only free text put in the metadata. */
  title: string
  /** Second header line, e.g. "École Jules Ferry · CM1 B · 2024–2025". */
  subtitle?: string
  lang: PdfLang
  /** Injected clock: the creation date is reproducible in tests. */
  now: Date
}

export interface TableColumn {
  label: string
  /** Relative weight: columns are scaled to fill the content width. */
  width: number
  align?: Align
}

export interface TableSpec {
  columns: TableColumn[]
  rows: string[][]
  fontSize?: number
}

export type KeyValueRow = readonly [label: string, value: string]

export type { TextOptions }

const [PAGE_W, PAGE_H] = PageSizes.A4
const MARGIN_X = 50
const HEADER_TOP = 40 // distance from the top edge to the header's first line
const CONTENT_TOP = PAGE_H - 96
const CONTENT_BOTTOM = 56 // the footer lives below this line
const BODY_SIZE = 10
const LEADING = 1.4

/** Sets /Title, /Producer, /Creator, dates and language; nothing about people. */
export function setCarnetMetadata(pdf: PDFDocument, title: string, lang: PdfLang, now: Date): void {
  pdf.setTitle(title, { showInWindowTitleBar: true })
  pdf.setProducer('Carnet')
  pdf.setCreator('Carnet')
  pdf.setCreationDate(now)
  pdf.setModificationDate(now)
  pdf.setLanguage(lang === 'fr' ? 'fr-FR' : 'en')
}

/**
 * Flowing A4 report: running header on every page, "Page X sur Y" footers written by
 * `finish()` once the page count is known, automatic page breaks. Every string goes through
 * `safeText`, so user data with exotic characters never throws.
 */
export class PdfReport {
  readonly pages: PDFPage[] = []
  readonly left = MARGIN_X
  readonly contentWidth = PAGE_W - 2 * MARGIN_X
  readonly bottom = CONTENT_BOTTOM
  /** Usable height of a fresh page, for blocks deciding whether they can ever fit. */
  readonly contentHeight = CONTENT_TOP - CONTENT_BOTTOM
  private cursor = CONTENT_TOP
  private finished = false

  private constructor(
    readonly pdf: PDFDocument,
    readonly fonts: CarnetFonts,
    private readonly opts: PdfReportOptions,
  ) {}

  static async create(opts: PdfReportOptions): Promise<PdfReport> {
    // updateMetadata: false — otherwise pdf-lib stamps its own producer and the wall clock.
    const pdf = await PDFDocument.create({ updateMetadata: false })
    setCarnetMetadata(pdf, opts.title, opts.lang, opts.now)
    const report = new PdfReport(pdf, await embedCarnetFonts(pdf), opts)
    report.newPage()
    return report
  }

  get page(): PDFPage {
    return this.pages[this.pages.length - 1]!
  }

  /** Baseline-free cursor: the top of the next block, in PDF points from the bottom. */
  get y(): number {
    return this.cursor
  }

  get spaceLeft(): number {
    return this.cursor - this.bottom
  }

  get atPageTop(): boolean {
    return this.cursor >= CONTENT_TOP
  }

  newPage(): void {
    const page = this.pdf.addPage(PageSizes.A4)
    this.pages.push(page)
    this.drawHeader(page)
    this.cursor = CONTENT_TOP
  }

  /** Starts a new page unless `height` still fits (a fresh page is never skipped). */
  ensureSpace(height: number): void {
    if (height > this.spaceLeft && !this.atPageTop) this.newPage()
  }

  moveDown(height: number): void {
    this.cursor -= height
  }

  /** Draws one line of text whose top is at `top`; returns the drawn (safe) text. */
  drawTextLine(text: string, x: number, top: number, opts: TextOptions & { font?: PDFFont } = {}): string {
    const size = opts.size ?? BODY_SIZE
    const font = opts.font ?? (opts.bold ? this.fonts.bold : this.fonts.regular)
    const safe = safeText(font, text)
    // DejaVu's ascent is ≈ 0.93 em; put the baseline so the glyphs hang from `top`.
    this.page.drawText(safe, { x, y: top - size * 0.93, size, font, color: opts.color ?? colors.text })
    return safe
  }

  /** Wraps `text` for `font` at `size` into lines no wider than `width`. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const safe = text
      .split(/\r\n?|\n/)
      .map((line) => safeText(font, line))
      .join('\n')
    return wrapText(safe, width, (s) => font.widthOfTextAtSize(s, size))
  }

  heading(text: string, level: 1 | 2 = 1): void {
    const size = level === 1 ? 14 : 11.5
    const lineHeight = size * 1.3
    const lines = this.wrap(text, this.fonts.bold, size, this.contentWidth)
    if (!this.atPageTop) this.moveDown(size * 0.6)
    // Keep the heading with at least two body lines after it.
    this.ensureSpace(lines.length * lineHeight + 2 * BODY_SIZE * LEADING)
    for (const line of lines) {
      this.drawTextLine(line, this.left, this.cursor, { size, bold: true })
      this.moveDown(lineHeight)
    }
    this.moveDown(size * 0.3)
  }

  paragraph(text: string, opts: TextOptions = {}): void {
    const size = opts.size ?? BODY_SIZE
    const lineHeight = size * LEADING
    const font = opts.bold ? this.fonts.bold : this.fonts.regular
    for (const line of this.wrap(text, font, size, this.contentWidth)) {
      this.ensureSpace(lineHeight)
      this.drawTextLine(line, this.left, this.cursor, { ...opts, size, font })
      this.moveDown(lineHeight)
    }
    this.moveDown(size * 0.6)
  }

  /** Label/value pairs, label in bold on the left; long values wrap. */
  keyValue(rows: readonly KeyValueRow[]): void {
    drawGrid(this, {
      widths: [this.contentWidth * 0.35, this.contentWidth * 0.65],
      fonts: [this.fonts.bold, this.fonts.regular],
      rows: rows.map(([k, v]) => [k, v]),
      size: BODY_SIZE,
      rules: false,
    })
    this.moveDown(BODY_SIZE * 0.6)
  }

  /** A table whose header row is repeated on every page it spans. */
  table(spec: TableSpec): void {
    const total = spec.columns.reduce((sum, c) => sum + Math.max(c.width, 0), 0) || 1
    drawGrid(this, {
      widths: spec.columns.map((c) => (Math.max(c.width, 0) / total) * this.contentWidth),
      aligns: spec.columns.map((c) => c.align ?? 'left'),
      fonts: spec.columns.map(() => this.fonts.regular),
      header: spec.columns.map((c) => c.label),
      rows: spec.rows,
      size: spec.fontSize ?? 9,
      rules: true,
    })
    this.moveDown(BODY_SIZE * 0.8)
  }

  spacer(height: number): void {
    this.moveDown(height)
    if (this.spaceLeft < 0) this.newPage()
  }

  async finish(): Promise<Uint8Array> {
    if (this.finished) throw new Error('PdfReport.finish() was already called')
    this.finished = true
    const total = this.pages.length
    const size = 8
    this.pages.forEach((page, i) => {
      const label = pageLabel(this.opts.lang, i + 1, total)
      const width = this.fonts.regular.widthOfTextAtSize(label, size)
      page.drawText(label, {
        x: (PAGE_W - width) / 2,
        y: 28,
        size,
        font: this.fonts.regular,
        color: colors.muted,
      })
    })
    return this.pdf.save()
  }

  private drawHeader(page: PDFPage): void {
    const { bold, regular } = this.fonts
    const titleTop = PAGE_H - HEADER_TOP
    const fit = (font: PDFFont, size: number, text: string) => fitLine(safeText(font, text), this.contentWidth, (s) => font.widthOfTextAtSize(s, size))
    page.drawText(fit(bold, 11, this.opts.title), {
      x: this.left,
      y: titleTop - 11 * 0.93,
      size: 11,
      font: bold,
      color: colors.text,
    })
    if (this.opts.subtitle) {
      page.drawText(fit(regular, 8.5, this.opts.subtitle), {
        x: this.left,
        y: titleTop - 15 - 8.5 * 0.93,
        size: 8.5,
        font: regular,
        color: colors.muted,
      })
    }
    const ruleY = titleTop - 34
    page.drawLine({
      start: { x: this.left, y: ruleY },
      end: { x: PAGE_W - MARGIN_X, y: ruleY },
      thickness: 0.6,
      color: colors.rule,
    })
  }
}
