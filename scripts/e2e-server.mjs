// The e2e server: `npm start` on a fresh DATA_DIR, so every run begins from the demo seed.
import fs from 'node:fs'
fs.rmSync(process.env.DATA_DIR ?? '.data/e2e', { recursive: true, force: true })
await import('./start.mjs')
