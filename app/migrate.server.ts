import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'

const here = path.dirname(fileURLToPath(import.meta.url))
export const MIGRATIONS_FOLDER = path.resolve(here, '../drizzle/migrations')

/** Applies the drizzle-kit migrations (the same ones in dev, tests, CI and production). */
export async function runMigrations(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER })
  } finally {
    await sql.end()
  }
}
