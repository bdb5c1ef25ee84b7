// Worker-thread entry for the PDF pool (pdf-pool.server.ts): the app's sources are TypeScript,
// so the thread registers tsx before loading the worker module.
import { register } from 'tsx/esm/api'

register()
await import('./pdf-worker.server.ts')
