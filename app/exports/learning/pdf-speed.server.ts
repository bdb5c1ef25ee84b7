// Speed for bulk PDFs (a school export builds thousands). Measured on one learning record:
// ~100 ms, spent (1) by fontkit parsing the TTF again for every document and shaping every
// string from scratch (GSUB/GPOS lookups), and (2) by pako, pdf-lib's pure-JS deflate.
// (1) The parsed font is immutable once built, so it is shared between documents and the
// shaping of a string is memoized (bounded); each document still gets its own subset.
// (2) pdf-lib's deflate is pointed at Node's native zlib (same zlib format, same level).
// Installed once per process by importing this module; the PDFs are byte-for-byte valid.
import { createRequire } from 'node:module'
import zlib from 'node:zlib'
import fontkit from '@pdf-lib/fontkit'

type Glyph = { codePoints?: number[] }
type FontkitFont = { layout: (text: string, features?: unknown) => unknown; getGlyph: (id: number, codePoints?: number[]) => Glyph }
type Fontkit = { create: (data: Uint8Array, postscriptName?: string) => FontkitFont; __carnetCached?: boolean }

const MAX_MEMO = 3_000
const kit = fontkit as unknown as Fontkit

if (!kit.__carnetCached) {
  const create = kit.create.bind(kit)
  const parsed = new WeakMap<Uint8Array, FontkitFont>()
  kit.create = (data, postscriptName) => {
    if (postscriptName) return create(data, postscriptName)
    let font = parsed.get(data)
    if (!font) {
      font = create(data)
      // fontkit caches glyph objects; a glyph first reached WITHOUT its characters (the 'O' inside
      // a composite 'Ö' while a subset is written) would keep empty code points, and a later
      // document would then map it to no text (copy/paste and text extraction lose the letter).
      const getGlyph = font.getGlyph.bind(font)
      font.getGlyph = (id: number, codePoints?: number[]) => {
        const glyph = getGlyph(id, codePoints)
        if (codePoints?.length && glyph && !glyph.codePoints?.length) glyph.codePoints = codePoints
        return glyph
      }
      const layout = font.layout.bind(font)
      const memo = new Map<string, unknown>()
      font.layout = (text: string, features?: unknown) => {
        if (features != null && !(Array.isArray(features) && features.length === 0)) return layout(text, features)
        let run = memo.get(text)
        if (run === undefined) {
          if (memo.size >= MAX_MEMO) memo.clear()
          run = layout(text)
          memo.set(text, run)
        }
        return run
      }
      parsed.set(data, font)
    }
    return font
  }
  kit.__carnetCached = true
}

// pdf-lib's own copy of pako (resolved from pdf-lib, as pdf-lib requires it).
type Pako = { deflate: (data: Uint8Array, options?: unknown) => Uint8Array; __carnetNative?: boolean }
const pako = createRequire(createRequire(import.meta.url).resolve('pdf-lib'))('pako') as Pako
if (!pako.__carnetNative) {
  const deflate = pako.deflate
  pako.deflate = (data, options) => (options ? deflate(data, options) : zlib.deflateSync(data, { level: 6 }))
  pako.__carnetNative = true
}
