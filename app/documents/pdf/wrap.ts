/** Width of a string in points at the size the caller draws it. */
export type Measure = (text: string) => number

/**
 * Greedy word wrap into lines no wider than `maxWidth`. Explicit '\n' starts a new line,
 * runs of spaces collapse, and a word wider than a whole line (a URL, a long compound name)
 * is broken between characters rather than overflowing the page. Always returns ≥ 1 line.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = []
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const words = paragraph.split(/[ \t]+/).filter((w) => w !== '')
    let line = ''
    for (const word of words) {
      const candidate = line === '' ? word : `${line} ${word}`
      if (measure(candidate) <= maxWidth) {
        line = candidate
        continue
      }
      if (line !== '') lines.push(line)
      line = ''
      if (measure(word) <= maxWidth) {
        line = word
        continue
      }
      const pieces = breakWord(word, maxWidth, measure)
      lines.push(...pieces.slice(0, -1))
      line = pieces[pieces.length - 1] ?? ''
    }
    lines.push(line)
  }
  return lines.length > 0 ? lines : ['']
}

// Splits by code point (never inside a surrogate pair); each piece holds ≥ 1 character.
function breakWord(word: string, maxWidth: number, measure: Measure): string[] {
  const pieces: string[] = []
  let piece = ''
  for (const ch of word) {
    if (piece !== '' && measure(piece + ch) > maxWidth) {
      pieces.push(piece)
      piece = ''
    }
    piece += ch
  }
  if (piece !== '') pieces.push(piece)
  return pieces
}

/**
 * Like wrapText, but with lines of even length: the narrowest width that needs no more lines
 * than `maxWidth` does, so a short instruction never ends with one orphan word.
 */
export function wrapBalanced(text: string, maxWidth: number, measure: Measure): string[] {
  const target = wrapText(text, maxWidth, measure).length
  let lo = 0
  let hi = maxWidth
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2
    if (wrapText(text, mid, measure).length <= target) hi = mid
    else lo = mid
  }
  return wrapText(text, hi, measure)
}

/** Cuts `text` to fit one line, ending with '…' when something was cut. */
export function fitLine(text: string, maxWidth: number, measure: Measure): string {
  if (measure(text) <= maxWidth) return text
  const chars = [...text]
  while (chars.length > 0 && measure(chars.join('') + '…') > maxWidth) chars.pop()
  return chars.join('').trimEnd() + '…'
}

/** Largest size in [min, max] at which `text` fits in `maxWidth` (used for big names). */
export function fitSize(text: string, maxWidth: number, widthAt: (text: string, size: number) => number, max: number, min: number): number {
  let size = max
  while (size > min && widthAt(text, size) > maxWidth) size -= 0.5
  return Math.max(size, min)
}
