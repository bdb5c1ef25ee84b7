// An optional pool of worker threads rendering child PDFs in parallel, for the background
// export of a whole school (pdf-lib is CPU-bound). Each thread's heap is capped,
// so memory stays flat however many children go through. Only available where the sources
// run (the workers process, through tsx); elsewhere `create` returns null and callers render
// in-process.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ChildReportInput } from './child-report.server'

type Pending = { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }

/**
 * CARNET_EXPORT_PDF_THREADS, off (0) by default: on this project's 2-core machine, shared with
 * the web server and PostgreSQL, two threads measured slower than one (bench/school-zip.ts,
 * bench/RESULTS.md); worth turning on where the workers process has cores of its own.
 */
export function pdfThreads(): number {
  const v = Number(process.env.CARNET_EXPORT_PDF_THREADS)
  return Number.isInteger(v) && v >= 0 ? Math.min(v, 16) : 0
}

export class PdfPool {
  private next = 0
  private seq = 0
  private readonly pending = new Map<number, Pending>()
  private failed: Error | null = null

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
        const p = this.pending.get(m.id)
        if (!p) return
        this.pending.delete(m.id)
        if (m.error !== undefined) p.reject(new Error(m.error))
        else p.resolve(m.bytes!)
      })
      w.on('error', (e) => this.fail(e))
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`PDF worker exited with code ${code}`))
      })
    }
  }

  /** null when threads are off (CARNET_EXPORT_PDF_THREADS=0) or the worker script is not beside us (bundled server). */
  static create(threads = pdfThreads()): PdfPool | null {
    if (threads < 1) return null
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pdf-worker.mjs')
    if (!fs.existsSync(script)) return null
    const workers = Array.from({ length: threads }, () => new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 96 } }))
    return new PdfPool(workers)
  }

  get size() {
    return this.workers.length
  }

  render(input: ChildReportInput): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed)
    const id = this.seq++
    const worker = this.workers[this.next++ % this.workers.length]!
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, input })
    })
  }

  private fail(e: Error) {
    this.failed ??= e
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
