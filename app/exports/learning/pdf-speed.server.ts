// Speed for bulk PDFs. pdf-lib asks fontkit to parse the TTF again for every document and
// shapes every string from scratch (GSUB/GPOS lookups), which made one learning-record PDF
// cost ~100 ms — too slow for a school export of thousands. The parsed font is immutable once
// built, so it is shared between documents, and the shaping of a string is memoized (bounded).
// Each document still gets its own subset; output bytes are identical.
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

export const fontCacheInstalled = true
