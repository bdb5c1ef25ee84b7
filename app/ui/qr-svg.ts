import { qrRuns } from '../documents/pdf/qr'

/** A QR code as one SVG path (viewBox in modules, quiet zone included), for a phone screen. */
export function qrSvgPath(text: string) {
  const { size, runs } = qrRuns(text)
  const q = 4
  return { viewBox: size + 2 * q, d: runs.map((r) => `M${r.col + q} ${r.row + q}h${r.length}v1h-${r.length}z`).join('') }
}
