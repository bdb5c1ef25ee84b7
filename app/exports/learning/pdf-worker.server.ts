// Inside a pool thread: renders one child's record PDF per message.
import { parentPort } from 'node:worker_threads'
import { childReportPdf, type ChildReportInput } from './child-report.server'

parentPort!.on('message', async (m: { id: number; input: ChildReportInput }) => {
  try {
    const bytes = await childReportPdf(m.input)
    parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer])
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) })
  }
})
