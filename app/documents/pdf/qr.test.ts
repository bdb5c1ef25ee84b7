import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { qrRuns } from './qr'

describe('qrRuns', () => {
  it('covers exactly the dark modules of the QR matrix', () => {
    const text = 'https://carnet.example.org/c/8f3a9c2e71d04b5f'
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
    const { size, runs } = qrRuns(text)
    expect(size).toBe(modules.size)
    const drawn = new Uint8Array(size * size)
    for (const r of runs) {
      expect(r.length).toBeGreaterThan(0)
      for (let c = r.col; c < r.col + r.length; c++) drawn[r.row * size + c]! += 1
    }
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        expect(drawn[row * size + col], `module ${row},${col}`).toBe(modules.get(row, col) ? 1 : 0)
      }
    }
  })
})
