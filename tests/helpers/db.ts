import { randomBytes } from 'node:crypto'
import pg from 'pg'
import postgres from 'postgres'
import { inject } from 'vitest'
import { closeDb, getDb, getSql } from '~/db.server'
import { closeQueues } from '~/queue/job.server'

const owners = new Map<string, postgres.Sql>()

const withDatabase = (url: string, database: string) => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * The prefix of the databases one test run creates (its template's pid in it), so that run's
 * teardown drops its own and never those of another run sharing the server.
 */
const runDatabasePrefix = (template: string) => `carnet_t_${template.replace(/^carnet_tpl_/, '')}_`

/**
 * Gives the calling test file its own database, cloned from the migrated template, and points
 * the app at it as the production roles do: DATABASE_URL is the runtime role (read and append
 * only on the logs), DATABASE_OWNER_URL the owner role. `owner` is an owner-role connection,
 * for what only the owner (or an attacker holding it) can do.
 */
export async function useTestDatabase() {
  const adminUrl = inject('pgAdminUrl')
  const template = inject('pgTemplate')
  const name = `${runDatabasePrefix(template)}${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name} template ${template} owner ${inject('pgOwnerRole')}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(inject('pgRuntimeUrl'), name)
  const ownerUrl = withDatabase(inject('pgOwnerUrl'), name)
  process.env.DATABASE_URL = url
  process.env.DATABASE_OWNER_URL = ownerUrl
  await closeDb()
  const owner = postgres(ownerUrl, { max: 2, idle_timeout: 5, onnotice: () => {} })
  owners.set(name, owner)
  return { url, ownerUrl, name, db: getDb(), sql: getSql(), owner }
}

export async function dropTestDatabase(name: string) {
  // Mail written by the file's tests enqueued its delivery (after commit): close those producers.
  await closeQueues()
  await closeDb()
  await owners.get(name)?.end({ timeout: 5 })
  owners.delete(name)
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${name} with (force)`)
  } finally {
    await admin.end()
  }
}
