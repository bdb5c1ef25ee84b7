import { inflateRawSync } from 'node:zlib'
import { RosterFormatError } from './errors.server'

// A minimal zip reader (stored and deflate only) so a OneRoster zip needs no extra package.
// It trusts the central directory, which also covers entries written with data descriptors.

const EOCD_SIG = 0x06054b50
const CENTRAL_SIG = 0x02014b50
const LOCAL_SIG = 0x04034b50
/** Guards against zip bombs: a roster of a whole district stays far below this. */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

function fail(message: string): never {
  throw new RosterFormatError('invalid_zip', message)
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - 0xffff)
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i
  }
  return fail('This is not a zip file (no central directory).')
}

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === LOCAL_SIG
}

/** Every file of the archive (directories skipped), name → uncompressed bytes. */
export function readZip(buf: Buffer): Map<string, Buffer> {
  if (buf.length < 22) fail('This is not a zip file (too short).')
  const eocd = findEndOfCentralDirectory(buf)
  const count = buf.readUInt16LE(eocd + 10)
  let pos = buf.readUInt32LE(eocd + 16)
  if (count === 0xffff || pos === 0xffffffff) fail('ZIP64 archives are not supported.')

  const files = new Map<string, Buffer>()
  let total = 0
  for (let i = 0; i < count; i++) {
    if (pos + 46 > buf.length || buf.readUInt32LE(pos) !== CENTRAL_SIG) fail('Corrupt zip central directory.')
    const flags = buf.readUInt16LE(pos + 8)
    const method = buf.readUInt16LE(pos + 10)
    const compressedSize = buf.readUInt32LE(pos + 20)
    const size = buf.readUInt32LE(pos + 24)
    const nameLength = buf.readUInt16LE(pos + 28)
    const extraLength = buf.readUInt16LE(pos + 30)
    const commentLength = buf.readUInt16LE(pos + 32)
    const localOffset = buf.readUInt32LE(pos + 42)
    // Bit 11: name in UTF-8; otherwise CP437, which matches for the ASCII names OneRoster uses.
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', pos + 46, pos + 46 + nameLength)
    pos += 46 + nameLength + extraLength + commentLength

    if (name.endsWith('/')) continue
    if (flags & 0x1) fail(`"${name}" is encrypted; export the zip without a password.`)
    if (compressedSize === 0xffffffff || size === 0xffffffff) fail('ZIP64 archives are not supported.')
    total += size
    if (total > MAX_UNZIPPED_BYTES) fail('The zip is too large once uncompressed.')

    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIG) fail(`Corrupt entry "${name}".`)
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28)
    const data = buf.subarray(start, start + compressedSize)
    if (data.length !== compressedSize) fail(`Truncated entry "${name}".`)

    let content: Buffer
    if (method === 0) content = Buffer.from(data)
    else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(size, 1) })
      } catch {
        return fail(`Cannot decompress "${name}".`)
      }
    } else return fail(`"${name}" uses an unsupported compression method (${method}).`)
    if (content.length !== size) fail(`Corrupt entry "${name}" (size mismatch).`)
    files.set(name, content)
  }
  return files
}
