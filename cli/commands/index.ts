import { and, desc, eq } from 'drizzle-orm'
import { organizations, platformOperators, users } from '../../drizzle/schema'
import { now } from '../../app/clock.server'
import { recordAudit } from '../../app/compliance/audit.server'
import { getDb } from '../../app/db.server'
import { seedDemo, seedDemoIfEmpty } from '../../app/models/demo/seed.server'
import { runDueJobsOnce } from '../../workers/runtime.server'
import { closeQueues } from '../../app/queue/job.server'
import { parseArgs, UsageError } from './args'
import { importRosterCommand, importRosterHelp } from './import-roster'
import { backupCommand, restoreCommand } from './backup'
import { verifyLogCommand } from './verify-log'

import type { Command } from './args'

export type { Io } from './args'

export const COMMANDS: Record<string, Command> = {
  orgs: {
    summary: 'list organizations (id, kind, name)',
    help: 'Usage: npx carnet orgs\n\nLists every organization: id, kind (school, family, practice) and name.',
    run: async (args, io) => {
      parseArgs(args, {})
      const rows = await getDb().select().from(organizations).orderBy(desc(organizations.createdAt))
      if (!rows.length) io.out('No organization yet. Run "npx carnet seed-demo" or sign up in the app.')
      for (const o of rows) io.out(`${o.id}\t${o.kind}\t${o.name}`)
      return 0
    },
  },
  'seed-demo': {
    summary: 'create the demo school and family (when the database is empty)',
    help: 'Usage: npx carnet seed-demo [--force]\n\nCreates the demo school (admin, teacher, DPO, a class of children)\nand family. Without --force it does nothing if any organization exists.',
    run: async (args, io) => {
      const { flags } = parseArgs(args, { force: 'boolean' })
      const demo = flags.force ? await seedDemo(getDb()) : await seedDemoIfEmpty(getDb())
      if (!demo) {
        io.out('The database already has organizations: nothing seeded (use --force to add another demo).')
        return 0
      }
      io.out(`Demo created. Password for every demo login: ${demo.password}`)
      for (const l of demo.logins) io.out(`  ${l.role.padEnd(18)} ${l.email}`)
      return 0
    },
  },
  'import-roster': {
    summary: 'import children from a CSV or OneRoster file (--dry-run first)',
    help: importRosterHelp(),
    run: importRosterCommand,
  },
  sweep: {
    summary: 'run every due repeatable job once and exit',
    help: 'Usage: npx carnet sweep\n\nRuns each repeatable job (session purge, deadlines, expiries) once in this\nprocess and prints a line per job. Exits 1 if any job failed.',
    run: async (args, io) => {
      parseArgs(args, {})
      const results = await runDueJobsOnce({ log: { info: () => {}, warn: io.err, error: io.err } })
      await closeQueues()
      for (const r of results) io.out(r.ok ? `ok\t${r.job}\t${r.ms} ms\t${JSON.stringify(r.result)}` : `FAILED\t${r.job}\t${r.error}`)
      return results.every((r) => r.ok) ? 0 : 1
    },
  },
  'verify-log': verifyLogCommand,
  backup: backupCommand,
  restore: restoreCommand,
  operators: {
    summary: 'list, add or remove platform operators',
    help: "Usage: npx carnet operators [--add <email> | --remove <email>]\n\nPlatform operators run the processor side (rights requests received by email\nor post, breach and sub-processor registers). They have no access to any\norganization's learning data. Without an option, lists them.",
    run: async (args, io) => {
      const { flags } = parseArgs(args, { add: 'string', remove: 'string' })
      const db = getDb()
      const email = (typeof flags.add === 'string' ? flags.add : typeof flags.remove === 'string' ? flags.remove : '').trim().toLowerCase()
      if (email) {
        const [user] = await db
          .select()
          .from(users)
          .where(and(eq(users.email, email), eq(users.kind, 'adult')))
        if (!user) throw new UsageError(`No adult account with the email ${email}: the person signs up first.`)
        if (flags.add) await db.insert(platformOperators).values({ userId: user.id, grantedAt: now() }).onConflictDoNothing()
        else await db.delete(platformOperators).where(eq(platformOperators.userId, user.id))
        await recordAudit(db, { action: flags.add ? 'platform.operator_added' : 'platform.operator_removed', targetType: 'user', targetId: user.id, details: { via: 'cli' } })
      }
      const rows = await db.select({ email: users.email, at: platformOperators.grantedAt }).from(platformOperators).innerJoin(users, eq(users.id, platformOperators.userId))
      if (!rows.length) io.out('No platform operator.')
      for (const r of rows) io.out(`${r.email}\tsince ${r.at.toISOString().slice(0, 10)}`)
      return 0
    },
  },
  migrate: {
    summary: 'apply database migrations',
    help: 'Usage: npx carnet migrate\n\nApplies the drizzle-kit migrations to DATABASE_URL (or the embedded PostgreSQL).',
    run: async (args, io) => {
      parseArgs(args, {})
      io.out('Migrations applied.')
      return 0
    },
  },
}
