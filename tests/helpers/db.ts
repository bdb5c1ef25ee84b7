import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { closeDb, getDb, getSql } from '~/db.server'

/**
 * Gives the calling test file its own database, cloned from the migrated template,
 * and points the app's DATABASE_URL at it.
 */
export async function useTestDatabase() {
  const adminUrl = inject('pgAdminUrl')
  const template = inject('pgTemplate')
  const name = `carnet_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name} template ${template}`)
  } finally {
    await admin.end()
  }
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  process.env.DATABASE_URL = u.toString()
  await closeDb()
  return { url: u.toString(), name, db: getDb(), sql: getSql() }
}

export async function dropTestDatabase(name: string) {
  await closeDb()
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${name} with (force)`)
  } finally {
    await admin.end()
  }
}
