import QRCode from 'qrcode'
import { rgb, type PDFPage } from 'pdf-lib'

/** A horizontal run of dark modules: row, first column, length (in modules). */
export interface QrRun {
  row: number
  col: number
  length: number
}

export interface QrRuns {
  /** Modules per side, without the quiet zone. */
  size: number
  runs: QrRun[]
}

/** Encodes `text` (level M: survives a crumpled, scribbled-on card) as runs of dark modules. */
export function qrRuns(text: string): QrRuns {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const size = modules.size
  const runs: QrRun[] = []
  for (let row = 0; row < size; row++) {
    let col = 0
    while (col < size) {
      if (!modules.get(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < size && modules.get(row, col)) col++
      runs.push({ row, col: start, length: col - start })
    }
  }
  return { size, runs }
}

const QUIET_ZONE = 4 // modules of white the QR spec requires around the symbol

/**
 * Draws `text` as a vector QR code in a `side`×`side` square whose bottom-left is (x, y),
 * quiet zone included. One SVG path of merged runs: small file, and no hairline seams
 * between neighbouring modules that separate rectangles show when rasterised.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, side: number): void {
  const { size, runs } = qrRuns(text)
  const m = side / (size + 2 * QUIET_ZONE)
  const fmt = (n: number) => Number(n.toFixed(3))
  const path = runs
    .map((r) => {
      const px = fmt((r.col + QUIET_ZONE) * m)
      const py = fmt((r.row + QUIET_ZONE) * m)
      return `M ${px} ${py} h ${fmt(r.length * m)} v ${fmt(m)} h ${fmt(-r.length * m)} Z`
    })
    .join(' ')
  // drawSvgPath puts the SVG origin (top-left, y down) at (x, y).
  page.drawSvgPath(path, { x, y: y + side, color: rgb(0, 0, 0), borderWidth: 0 })
}
