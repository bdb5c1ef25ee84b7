import { afterAll, beforeAll, expect, test } from 'vitest'
import { runCli } from '../../cli/index'
import { appendConsent } from '~/compliance/consent-log.server'
import { getDb, getSql } from '~/db.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) })
  // The CLI closes the app's connection when done; getDb() reopens it on DATABASE_URL.
  process.env.DATABASE_URL = t.url
  return { code, out: out.join('\n'), err: err.join('\n') }
}

test('--help everywhere, unknown commands and options are errors', async () => {
  expect((await run('--help')).out).toContain('import-roster')
  expect((await run('orgs', '--help')).code).toBe(0)
  expect(await run('bogus')).toMatchObject({ code: 2 })
  const bad = await run('orgs', '--colour')
  expect(bad.code).not.toBe(0)
  expect(bad.err).toContain('Unknown option --colour')
})

test('seed-demo then orgs lists the demo organizations; seed-demo again changes nothing', async () => {
  expect((await run('seed-demo')).code).toBe(0)
  const orgs = await run('orgs')
  expect(orgs.out).toMatch(/school\tÉcole Jules Ferry/)
  expect(orgs.out).toMatch(/family\tFamille Martin/)
  expect((await run('seed-demo')).out).toContain('nothing seeded')
  const [{ n }] = await getSql()`select count(*)::int as n from organizations`
  expect(n).toBe(2)
})

test('verify-log: intact chain exits 0, a tampered entry exits 1 and is named', async () => {
  const org = await makeOrg(getDb())
  for (let i = 0; i < 3; i++) await appendConsent(getDb(), { orgId: org.id, event: 'guardians_informed', state: 'recorded', method: 'school_record' })
  const ok = await run('verify-log', '--org', org.id)
  expect(ok).toMatchObject({ code: 0 })
  expect(ok.out).toContain('Chain intact: 3 entries')
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  await t.owner`update consent_records set method = 'forged' where org_id = ${org.id} and seq = 2`
  await t.owner`alter table consent_records enable trigger consent_records_append_only`
  const broken = await run('verify-log', '--org', org.id)
  expect(broken.code).toBe(1)
  expect(broken.out).toContain('BROKEN at entry #2')
  expect((await run('verify-log')).code).toBe(1)
})

test('sweep runs every repeatable job once', async () => {
  const r = await run('sweep')
  expect(r.code).toBe(0)
  expect(r.out).toContain('ok\tpurge-expired-sessions')
})

test('operators: --add makes an adult a platform operator (no learning-data access), --remove ends it', async () => {
  const { loadPrincipal } = await import('~/permissions/principal.server')
  const { makeAdult } = await import('../helpers/factories')
  const person = await makeAdult(getDb(), { email: 'ops@carnet.example' })
  expect((await loadPrincipal(getDb(), person)).isOperator).toBe(false)
  const added = await run('operators', '--add', 'OPS@carnet.example')
  expect(added.code).toBe(0)
  expect(added.out).toContain('ops@carnet.example')
  expect((await loadPrincipal(getDb(), person)).isOperator).toBe(true)
  expect((await run('operators', '--add', 'nobody@carnet.example')).code).toBe(1)
  expect((await run('operators', '--remove', 'ops@carnet.example')).code).toBe(0)
  expect((await loadPrincipal(getDb(), person)).isOperator).toBe(false)
})
