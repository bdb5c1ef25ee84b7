// The app runs as a runtime role that may read and append to the logs, nothing more; the owner
// role that migrates owns every table (ADR 014). What an attacker holding the app's database
// connection (an injection, a compromised dependency) can and cannot do to the evidence.
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { logProtection } from '~/compliance/log-protection.server'
import { runtimeGrants } from '~/migrate.server'
import { connect } from '~/db.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

const LOGS = ['consent_records', 'consent_checkpoints', 'audit_events']

test('the runtime role is no superuser and owns nothing of Carnet’s schemas', async () => {
  const [me] = await t.sql<{ role: string; superuser: boolean; createdb: boolean; createrole: boolean }[]>`
    select current_user as role, rolsuper as superuser, rolcreatedb as createdb, rolcreaterole as createrole from pg_roles where rolname = current_user`
  expect(me).toMatchObject({ superuser: false, createdb: false, createrole: false })
  const owned = await t.sql`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'audit_partitions', 'drizzle', 'bullmq') and c.relowner = (select oid from pg_roles where rolname = current_user)
      and c.relkind <> 'S'`
  expect(owned).toEqual([])
  const [{ n }] = await t.sql`select count(*)::int as n from pg_namespace where nspowner = (select oid from pg_roles where rolname = current_user)`
  expect(n).toBe(0)
})

test('on every log the runtime role may SELECT and INSERT, and is refused UPDATE, DELETE, TRUNCATE, ALTER, DISABLE TRIGGER, DROP', async () => {
  for (const log of LOGS) {
    const [p] = await t.sql`select has_table_privilege(${log}, 'SELECT') as s, has_table_privilege(${log}, 'INSERT') as i`
    expect(p, log).toEqual({ s: true, i: true })
    const refused = [
      `update ${log} set org_id = org_id`,
      `delete from ${log}`,
      `truncate ${log}`,
      `alter table ${log} add column forged text`,
      `alter table ${log} disable trigger all`,
      `alter table ${log} disable trigger user`,
      `alter table ${log} owner to current_user`,
      `create trigger forged before insert on ${log} for each row execute function carnet_refuse_change()`,
      `drop table ${log}`,
    ]
    for (const statement of refused) await expect(t.sql.unsafe(statement), statement).rejects.toThrow(/permission denied|must be owner/)
    // Granting itself more is a no-op (PostgreSQL only warns).
    await t.sql.unsafe(`grant update, delete, truncate on ${log} to current_user`)
    const [after] = await t.sql`select has_table_privilege(${log}, 'UPDATE') or has_table_privilege(${log}, 'DELETE') or has_table_privilege(${log}, 'TRUNCATE') as w`
    expect(after!.w, log).toBe(false)
  }
  await expect(t.sql`alter table consent_records disable trigger consent_records_append_only`).rejects.toThrow(/must be owner/)
  await expect(t.sql`alter table audit_events disable trigger audit_events_append_only`).rejects.toThrow(/must be owner/)
  // Nor around the parent: the audit partitions are out of its reach entirely.
  await expect(t.sql`select * from audit_partitions.audit_events_default`).rejects.toThrow(/permission denied/)
  await expect(t.sql`alter table audit_partitions.audit_events_default disable trigger all`).rejects.toThrow(/permission denied|must be owner/)
  // Nor by replacing the trigger's function, or creating its own tables, schemas or roles.
  await expect(t.sql`create or replace function carnet_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`).rejects.toThrow(/must be owner|permission denied/)
  await expect(t.sql`create table public.forged (id int)`).rejects.toThrow(/permission denied/)
  await expect(t.sql`create schema forged`).rejects.toThrow(/permission denied/)
  await expect(t.sql`create role forged`).rejects.toThrow(/permission denied/)
})

test('the owner’s triggers refuse UPDATE, DELETE and TRUNCATE on the logs too (the owner must switch them off: a rewrite the chain and checkpoints catch)', async () => {
  for (const log of LOGS) {
    await expect(t.owner.unsafe(`update ${log} set org_id = org_id`), log).resolves.toBeDefined() // no rows yet: nothing fires
  }
  await t.sql`insert into consent_records (org_id, seq, at, event, state, method, prev_hash, hash) values (gen_random_uuid(), 1, now(), 'terms_accepted', 'given', 'web_checkbox', '0', 'x')`
  await t.sql`insert into audit_events (at, action, outcome) values (now(), 'test.owner', 'success')`
  await expect(t.owner`update consent_records set hash = 'y'`).rejects.toThrow(/append-only/)
  await expect(t.owner`update audit_events set action = 'forged'`).rejects.toThrow(/append-only/)
  await expect(t.owner`delete from audit_events`).rejects.toThrow(/append-only/)
  await expect(t.owner`truncate audit_events`).rejects.toThrow(/append-only/)
  await expect(t.owner`truncate consent_records`).rejects.toThrow(/append-only/)
})

test('what PostgreSQL says about each role: the runtime role cannot rewrite the logs, the owner can', async () => {
  expect(await logProtection(t.db)).toMatchObject({ protected: true, problems: [] })
  const owner = connect(t.ownerUrl, { max: 1 })
  try {
    const p = await logProtection(owner.db)
    expect(p.protected).toBe(false)
    expect(p.problems.join('\n')).toMatch(/owns public.consent_records/)
  } finally {
    await owner.sql.end()
  }
})

test('tables a later migration creates are the runtime role’s to use (default privileges); it may VACUUM and ANALYZE (MAINTAIN) but owns none', async () => {
  await t.owner`create table public.later_feature (id int primary key, note text)`
  try {
    await t.sql`insert into later_feature values (1, 'a')`
    await t.sql`update later_feature set note = 'b'`
    expect(await t.sql`select note from later_feature`).toEqual([{ note: 'b' }])
    await t.sql`delete from later_feature`
    await expect(t.sql`alter table later_feature add column forged text`).rejects.toThrow(/must be owner/)
  } finally {
    await t.owner`drop table public.later_feature`
  }
  const [{ version }] = await t.sql`select current_setting('server_version_num')::int as version`
  if (version >= 170000) {
    await t.sql.unsafe('vacuum (analyze) users')
    await t.sql.unsafe('analyze audit_events')
  }
})

test('the README shows a managed database’s administrator exactly the grants Carnet applies', () => {
  const readme = fs.readFileSync('README.md', 'utf8')
  for (const statement of runtimeGrants('carnet_app', { owner: 'carnet_owner', maintain: true, queues: true })) {
    expect(readme).toContain(`${statement.replace(/"/g, '')};`)
  }
})
