// Run by erasure-crash.test.ts in a separate process: erases one request and stops half-way
// (after the table named in argv[3]) to wait for the SIGKILL.
import { runDeletion } from '~/privacy/erasure/run.server'
import { getDb } from '~/db.server'

const [requestId, stopAfter] = process.argv.slice(2)
let processed = 0
runDeletion(getDb(), requestId!, {
  afterTable: async (table) => {
    processed++
    if (table === stopAfter) {
      process.stdout.write(`PAUSED after ${processed} tables\n`)
      await new Promise((r) => setTimeout(r, 120_000))
    }
  },
}).then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
