import iconv from 'iconv-lite'
import { RosterFormatError } from './errors.server'

export type RosterEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'

const BOM = [0xef, 0xbb, 0xbf]

/**
 * Turn uploaded bytes into text. Excel on a French Windows saves "CSV (séparateur: point-virgule)"
 * in Windows-1252, so anything that is not valid UTF-8 is read as Windows-1252. Its "Unicode
 * text" is UTF-16 (little-endian, tab-separated) with a byte-order mark, read as such. A NUL
 * byte left after decoding (a UTF-16 file without its mark, a binary file) stops the file
 * with a message naming its line: PostgreSQL cannot store it, and guessing would be wrong.
 */
export function decodeRosterBytes(buf: Buffer): { text: string; encoding: RosterEncoding } {
  const decoded = decode(buf)
  const nul = decoded.text.indexOf('\u0000')
  if (nul >= 0) {
    const line = decoded.text.slice(0, nul).split(/\r\n|\r|\n/).length
    throw new RosterFormatError('nul_byte', `NUL byte on line ${line}.`, { line })
  }
  return decoded
}

function decode(buf: Buffer): { text: string; encoding: RosterEncoding } {
  if (buf.length >= 3 && buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) {
    // Excel's "CSV UTF-8" adds a BOM; what follows is UTF-8 by contract but decode leniently.
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8-bom' }
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' }
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' }
  }
  try {
    // fatal: true makes the decoder throw on the first invalid byte sequence.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buf, 'win1252'), encoding: 'windows-1252' }
  }
}
