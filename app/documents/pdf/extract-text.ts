// Test helper: text of each page of a PDF, as a reader (or a screen reader) would get it.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

interface TextItemLike {
  str: string
  hasEOL: boolean
  transform: number[]
  width: number
}

let workerReady: Promise<void> | undefined

// Runs pdf.js's worker code on the main thread: no worker file lookup, no Worker threads.
function ensureMainThreadWorker(): Promise<void> {
  workerReady ??= (async () => {
    const g = globalThis as { pdfjsWorker?: unknown }
    if (g.pdfjsWorker) return
    const specifier: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs' // untyped module
    g.pdfjsWorker = await import(/* @vite-ignore */ specifier)
  })()
  return workerReady
}

/**
 * One string per page. Items on one baseline are joined with a space when there is a visible
 * gap between them, lines with '\n' — so a table row reads "Zoé  12/20", not "Zoé12/20".
 */
export async function extractPdfText(bytes: Uint8Array): Promise<string[]> {
  await ensureMainThreadWorker()
  // pdf.js may transfer (detach) the buffer it is given: pass a copy, keep the caller's bytes.
  const task = getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  })
  const doc = await task.promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      pages.push(joinItems(content.items.filter((i): i is TextItemLike & typeof i => 'str' in i)))
      page.cleanup()
    }
    return pages
  } finally {
    await task.destroy()
  }
}

function joinItems(items: TextItemLike[]): string {
  let out = ''
  let prev: TextItemLike | undefined
  for (const item of items) {
    if (prev) {
      const sameLine = Math.abs(item.transform[5]! - prev.transform[5]!) < 1
      if (!sameLine) out += out.endsWith('\n') ? '' : '\n'
      else if (!/\s$/.test(out) && !/^\s/.test(item.str)) {
        const gap = item.transform[4]! - (prev.transform[4]! + prev.width)
        if (gap > 0.5) out += ' '
      }
    }
    out += item.str
    if (item.hasEOL && !out.endsWith('\n')) out += '\n'
    prev = item
  }
  return out.trimEnd()
}
