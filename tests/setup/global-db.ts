// Vitest global setup: one PostgreSQL for the whole run (TEST_DATABASE_URL, or an embedded
// cluster in a temp dir), with a template database built from the real migrations. Each test
// file clones the template into its own database (tests/helpers/db.ts), so files are isolated.
// As in production (ADR 014), the template is owned and migrated by an owner role, and the
// tests run the app as a runtime role that may only read and append to the logs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { prepareDatabase } from '../../app/migrate.server'
import { connect } from '../../app/db.server'
import { ensureLegalDocuments } from '../../app/compliance/legal-documents.server'
import { ensureRoles, startEmbeddedPostgres, type EmbeddedHandle } from '../../server/embedded-postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgTemplate: string
    /** Same server, logged in as the owner role / the runtime role (database: the template). */
    pgOwnerUrl: string
    pgRuntimeUrl: string
    pgOwnerRole: string
  }
}

export const TEST_ROLES = {
  owner: { name: 'carnet_test_owner', password: 'carnet-test-owner' },
  runtime: { name: 'carnet_test_app', password: 'carnet-test-app' },
}

let handle: EmbeddedHandle | null = null
let tmp: string | null = null

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-test-pg-'))
    fs.chmodSync(tmp, 0o755)
    process.env.CARNET_PG_FAST = '1'
    handle = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), database: 'postgres', roles: false })
    adminUrl = handle.url
  }
  const template = `carnet_tpl_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${template}`)
  await admin.query(`create database ${template}`)
  await ensureRoles(withDatabase(adminUrl, template), TEST_ROLES)
  const ownerUrl = withUser(withDatabase(adminUrl, template), TEST_ROLES.owner)
  const runtimeUrl = withUser(withDatabase(adminUrl, template), TEST_ROLES.runtime)
  await prepareDatabase(ownerUrl, { runtimeRole: TEST_ROLES.runtime.name, queues: true, auditOnlineMonths: 6 })
  // What boot() does after migrating: publish the bundled legal documents.
  const { sql, db } = connect(runtimeUrl, { max: 1 })
  await ensureLegalDocuments(db)
  await sql.end()
  project.provide('pgAdminUrl', adminUrl)
  project.provide('pgTemplate', template)
  project.provide('pgOwnerUrl', ownerUrl)
  project.provide('pgRuntimeUrl', runtimeUrl)
  project.provide('pgOwnerRole', TEST_ROLES.owner.name)

  return async () => {
    // Drop what this run created when sharing an external server — only this run's: other runs
    // (other worktrees) may be using theirs at this very moment.
    const { rows } = await admin.query(`select datname from pg_database where starts_with(datname, $2) or datname = $1`, [template, `carnet_t_${process.pid}_`])
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`).catch(() => {})
    await admin.end()
    await handle?.stop()
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  }
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export function withUser(url: string, role: { name: string; password: string }) {
  const u = new URL(url)
  u.username = encodeURIComponent(role.name)
  u.password = encodeURIComponent(role.password)
  return u.toString()
}
