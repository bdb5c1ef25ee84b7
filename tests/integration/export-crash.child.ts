// Run by export-failures.test.ts in a separate process: builds one background export, which the
// test kills with SIGKILL while it is blocked half-way (its partial file open).
import { getDb } from '~/db.server'
import { buildExportFile } from '~/exports/learning/files.server'

const [orgId, exportId] = process.argv.slice(2)
buildExportFile(getDb(), { orgId: orgId!, exportId: exportId! }).then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
