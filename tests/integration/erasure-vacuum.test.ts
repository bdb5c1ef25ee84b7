// Issue 12 point 10: after an erasure, no name left in the database's statistics or dead rows.
// Until VACUUM (ANALYZE), an erased child's last name stays in pg_stats (histogram_bounds /
// most_common_vals of users.last_name) and in the table's dead tuples. The erasure marks the
// tables it changed; the erasure-vacuum job (the real processor, as BullMQ or `carnet sweep`
// runs it) vacuums them through the owner role, each table at most once per window (ADR 019).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { closeDb, getDb } from '~/db.server'
import { MINUTE, useFakeClock } from '~/clock.server'
import { runJob } from '~/queue/job.server'
import { recordAudit } from '~/compliance/audit.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import { tablesWaitingForVacuum, VACUUM_WINDOW, vacuumErasedTables, type VacuumOutcome } from '~/privacy/erasure/vacuum.server'
import { erasureVacuumJob } from '../../workers/jobs/erasure.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
let clock: ReturnType<typeof useFakeClock> | null = null
const quiet = { info() {}, warn() {}, error() {} }

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-vacuum-'))
  process.env.DATA_DIR = dataDir
  t = await useTestDatabase()
})
afterAll(async () => {
  await dropTestDatabase(t.name)
  fs.rmSync(dataDir, { recursive: true, force: true })
})
afterEach(() => {
  clock?.restore()
  clock = null
})

/** Columns whose statistics (any of pg_stats' fields) mention the text, read as the owner (who sees every column's). */
async function statsMentioning(text: string): Promise<string[]> {
  const rows = await t.owner<{ col: string }[]>`
    select s.tablename || '.' || s.attname as col from pg_stats s
    where s.schemaname in ('public', 'audit_partitions') and strpos(s::text, ${text}) > 0 order by 1`
  return rows.map((r) => r.col)
}

async function deadTuples(table: string): Promise<number> {
  const [r] = await t.owner<{ n: number }[]>`select n_dead_tup::int as n from pg_stat_user_tables where schemaname = 'public' and relname = ${table}`
  return r?.n ?? 0
}

/** Statistics reach the cumulative views when a backend flushes them (at idle, ≤ 10 s; at exit). */
async function until(check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** A class of 40 children (a small table: ANALYZE keeps every distinct last name), one of them to erase. */
async function classWithChild() {
  const db = getDb()
  const org = await makeOrg(db)
  const cls = await makeClass(db, org.id)
  const tag = randomBytes(4).toString('hex')
  const lastName = `Zorglub${tag}`
  const child = await makeChild(db, { orgId: org.id, classId: cls.id, firstName: 'Ondine', lastName })
  for (let i = 0; i < 40; i++) await makeChild(db, { orgId: org.id, classId: cls.id, lastName: `Camarade${i}${tag}` })
  // A sign-in from a class tablet: the audit log keeps the event, its address is cleared on erasure.
  await recordAudit(db, { action: 'auth.child_login', orgId: org.id, actorId: child.id, ip: '198.51.100.7', userAgent: 'Tablette' })
  return { org, child, lastName }
}

async function erase(s: Awaited<ReturnType<typeof classWithChild>>) {
  const r = await requestDeletion(getDb(), { subjectId: s.child.id, orgId: s.org.id, requestedBy: null, role: 'admin', reason: 'test' })
  expect((await runDeletion(getDb(), r.id)).status).toBe('erased')
}

const runVacuumJob = () => runJob(erasureVacuumJob, {}, { log: quiet, jobId: undefined, attempt: 1 }) as Promise<VacuumOutcome>

describe('VACUUM (ANALYZE) after erasure', () => {
  test("after an erasure and the erasure-vacuum job, the child's last name is in no statistics and the erased rows' dead tuples are gone", async () => {
    const s = await classWithChild()
    await t.owner`analyze users`
    // Before: the name is in the planner's statistics, as it is in any school's database.
    expect(await statsMentioning(s.lastName)).toContain('users.last_name')

    await erase(s)
    // Erased for every query — but the statistics still hold the name, the file its dead row.
    expect(await statsMentioning(s.lastName)).toContain('users.last_name')
    await closeDb() // the app's backends exit and flush their statistics
    await until(async () => (await deadTuples('users')) > 0)
    expect(await tablesWaitingForVacuum(getDb())).toEqual(expect.arrayContaining(['enrolments', 'memberships', 'users']))

    const out = await runVacuumJob()
    expect(out.as).toBe('owner')
    expect(out.refused).toEqual([])
    expect(out.vacuumed).toEqual(expect.arrayContaining(['enrolments', 'memberships', 'users']))
    expect(await statsMentioning(s.lastName)).toEqual([])
    expect(await deadTuples('users')).toBe(0)
    expect(await deadTuples('memberships')).toBe(0)
    expect(await tablesWaitingForVacuum(getDb())).toEqual([])
    // Nothing waiting: the next run does nothing.
    expect((await runVacuumJob()).vacuumed).toEqual([])
  })

  test('coalesced: a table is vacuumed at most once per window; what waits is vacuumed once the window has passed', async () => {
    // Later than the first test's vacuum (real time), so only this test's runs count.
    clock = useFakeClock(new Date(Date.now() + 2 * VACUUM_WINDOW))
    const first = await classWithChild()
    await erase(first)
    expect((await runVacuumJob()).vacuumed).toContain('users')

    clock.advance(5 * MINUTE)
    const second = await classWithChild()
    await erase(second)
    const early = await runVacuumJob()
    expect(early.vacuumed).not.toContain('users')
    expect(early.coalesced).toContain('users')
    expect(await tablesWaitingForVacuum(getDb())).toContain('users')

    clock.advance(VACUUM_WINDOW)
    const later = await runVacuumJob()
    expect(later.vacuumed).toContain('users')
    expect(await tablesWaitingForVacuum(getDb())).toEqual([])
  })

  test('without the owner role, a table PostgreSQL does not let the runtime role vacuum stays waiting and is reported', async () => {
    const s = await classWithChild()
    await erase(s)
    const [{ v, runtime }] = await t.owner<{ v: number; runtime: string }[]>`
      select current_setting('server_version_num')::int as v, (select usename from pg_stat_activity where datname = current_database() and usename <> current_user limit 1) as runtime`
    // PostgreSQL ≥ 17: the runtime role holds MAINTAIN (migrate.server.ts); take it back on users.
    // Before 17 there is no MAINTAIN: only the owner may vacuum.
    if (v >= 170000) await t.owner.unsafe(`revoke maintain on table users from "${runtime}"`)
    const owner = process.env.DATABASE_OWNER_URL
    delete process.env.DATABASE_OWNER_URL
    const warnings: string[] = []
    clock = useFakeClock(new Date(Date.now() + 10 * VACUUM_WINDOW))
    try {
      const out = await vacuumErasedTables(getDb(), { log: { warn: (m: string) => warnings.push(m) } })
      expect(out.as).toBe('runtime')
      expect(out.refused).toContain('users')
      expect(out.vacuumed).not.toContain('users')
      if (v >= 170000) expect(out.vacuumed).toContain('memberships')
      expect(warnings.join('\n')).toMatch(/not allowed to VACUUM .*users.*DATABASE_OWNER_URL/)
      expect(await tablesWaitingForVacuum(getDb())).toContain('users')
    } finally {
      process.env.DATABASE_OWNER_URL = owner
    }
    // With the owner role, as the workers run it.
    expect((await runVacuumJob()).vacuumed).toContain('users')
    expect(await tablesWaitingForVacuum(getDb())).toEqual([])
  })
})
