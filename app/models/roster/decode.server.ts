import iconv from 'iconv-lite'

export type RosterEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252'

const BOM = [0xef, 0xbb, 0xbf]

/**
 * Turn uploaded bytes into text. Excel on a French Windows saves "CSV (séparateur: point-virgule)"
 * in Windows-1252, so anything that is not valid UTF-8 is read as Windows-1252.
 */
export function decodeRosterBytes(buf: Buffer): { text: string; encoding: RosterEncoding } {
  if (buf.length >= 3 && buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) {
    // Excel's "CSV UTF-8" adds a BOM; what follows is UTF-8 by contract but decode leniently.
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8-bom' }
  }
  try {
    // fatal: true makes the decoder throw on the first invalid byte sequence.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buf, 'win1252'), encoding: 'windows-1252' }
  }
}
