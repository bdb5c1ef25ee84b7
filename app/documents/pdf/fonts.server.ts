import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import type { PDFDocument, PDFFont } from 'pdf-lib'

/** Fonts every Carnet PDF uses. DejaVu covers Latin (incl. Vietnamese), Greek, Cyrillic. */
export interface CarnetFonts {
  regular: PDFFont
  bold: PDFFont
  /** Monospace bold, for codes children have to type (0/O and 1/l look different). */
  mono: PDFFont
}

const FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono-Bold.ttf',
} as const
export type FontName = keyof typeof FILES

// Resolved through the package so it works from the repo, the vite build and tests alike.
function fontDir(): string {
  const require = createRequire(import.meta.url)
  return path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf')
}

// Font files are read once per process; every export reuses the bytes.
const bytesCache = new Map<FontName, Promise<Uint8Array>>()

export function loadFontBytes(name: FontName): Promise<Uint8Array> {
  let cached = bytesCache.get(name)
  if (!cached) {
    cached = readFile(path.join(fontDir(), FILES[name])).then((b) => new Uint8Array(b))
    // A failed read must not poison the cache forever.
    cached.catch(() => bytesCache.delete(name))
    bytesCache.set(name, cached)
  }
  return cached
}

/** Embeds the Carnet fonts into `doc`, subsetted so a one-page PDF stays small. */
export async function embedCarnetFonts(doc: PDFDocument): Promise<CarnetFonts> {
  doc.registerFontkit(fontkit)
  const [regular, bold, mono] = await Promise.all((['regular', 'bold', 'mono'] as const).map(async (name) => doc.embedFont(await loadFontBytes(name), { subset: true })))
  return { regular, bold, mono }
}

const charsetCache = new WeakMap<PDFFont, Set<number>>()

function charset(font: PDFFont): Set<number> {
  let set = charsetCache.get(font)
  if (!set) {
    set = new Set(font.getCharacterSet())
    charsetCache.set(font, set)
  }
  return set
}

export function hasGlyph(font: PDFFont, char: string): boolean {
  return charset(font).has(char.codePointAt(0)!)
}

const COMBINING = /\p{M}/gu
const IS_MARK = /^\p{M}$/u
const INVISIBLE = /^[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u

/**
 * Makes `text` drawable with `font`: a missing glyph must never crash an export.
 * Input is NFC-normalised (decomposed "e\u0301" becomes "é"); a character the font lacks is
 * replaced by its NFKD base letters when the font has them (e.g. a rare accented letter), else
 * by '?'. Control characters become spaces, missing invisible format characters
 * (zero-width joiners, variation selectors) are dropped. One line only: callers split on '\n'.
 */
export function safeText(font: PDFFont, text: string): string {
  const set = charset(font)
  let out = ''
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      out += ' '
    } else if (set.has(cp)) {
      out += ch
    } else if (INVISIBLE.test(ch)) {
      continue
    } else {
      const base = ch.normalize('NFKD').replace(COMBINING, '')
      // A lone missing combining mark: the base letter is already drawn, drop the mark.
      if (base === '' && IS_MARK.test(ch)) continue
      const usable = base !== '' && [...base].every((c) => set.has(c.codePointAt(0)!))
      out += usable ? base : '?'
    }
  }
  return out
}
