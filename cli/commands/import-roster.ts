// `npx carnet import-roster --org <id> [--dry-run] [--year 2026-2027] [--lang fr|en] [--new-enrolment 3,7] <file>`
// The same dry run and the same one-transaction commit as the admin's import page; rows of
// children erased after a request are flagged and skipped unless named by --new-enrolment.
import fs from 'node:fs'
import path from 'node:path'
import { getDb } from '../../app/db.server'
import { now } from '../../app/clock.server'
import { DomainError, NotFound } from '../../app/errors.server'
import { t, type Lang } from '../../app/i18n'
import { commitImport } from '../../app/models/roster-import/commit.server'
import { createImport, discardImport } from '../../app/models/roster-import/imports.server'
import { planImport } from '../../app/models/roster-import/plan.server'
import { isSchoolYear, readRosterFiles, schoolYearOf, uploadErrorMessage, type UploadedFile } from '../../app/models/roster-import/source.server'
import type { ImportPlan } from '../../app/models/roster-import/types.server'
import { erasedFlag, erasedWhen, orgForImport, rejectionMessage } from '../../app/models/roster-import/view.server'
import { parseArgs, UsageError, type Io } from './args'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const importRosterHelp = (lang: Lang = 'en') => t(lang, 'roster.cli.usage')

/** Reads the named files; a folder stands for the OneRoster CSV files inside it. */
function readInputs(names: string[], lang: Lang): UploadedFile[] {
  const files: UploadedFile[] = []
  for (const name of names) {
    try {
      const stat = fs.statSync(name)
      if (stat.isDirectory()) {
        for (const entry of fs.readdirSync(name).sort()) {
          if (entry.toLowerCase().endsWith('.csv')) files.push({ name: entry, bytes: fs.readFileSync(path.join(name, entry)) })
        }
      } else files.push({ name: path.basename(name), bytes: fs.readFileSync(name) })
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? (lang === 'fr' ? 'fichier introuvable' : 'no such file') : (e as Error).message
      throw new UsageError(t(lang, 'roster.error.file_unreadable', { file: name, reason }))
    }
  }
  return files
}

/** "3,7" or "3 7" → [3, 7]; anything else is a usage error. */
function newEnrolmentLines(value: unknown, lang: Lang): number[] {
  if (value === undefined) return []
  const parts = typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : []
  if (!parts.length || !parts.every((p) => /^\d{1,7}$/.test(p) && Number(p) > 0)) throw new UsageError(t(lang, 'roster.cli.bad_new_enrolment'))
  return parts.map(Number)
}

export function formatPlan(plan: ImportPlan, lang: Lang, newEnrolment: readonly number[] = []): string[] {
  const lines = t(lang, 'roster.cli.counts', { ...plan.counts }).split('\n')
  const erased = plan.children.erased ?? []
  if (erased.length) {
    lines.push(t(lang, 'roster.cli.erased_title'))
    for (const c of erased) {
      const vars = { line: c.line, lastName: c.lastName, firstName: c.firstName }
      lines.push(
        newEnrolment.includes(c.line) ? t(lang, 'roster.cli.erased_reenrol', { ...vars, when: erasedWhen(c, lang) }) : t(lang, 'roster.cli.erased_line', { ...vars, flag: erasedFlag(c, lang) }),
      )
    }
  }
  if (plan.rejected.length) {
    lines.push(t(lang, 'roster.cli.rejected_title'))
    for (const r of plan.rejected) {
      lines.push(t(lang, 'roster.cli.rejected_line', { line: r.line, file: r.file ? ` (${r.file})` : '', message: rejectionMessage(r, lang), detail: r.detail }))
    }
  }
  return lines
}

export async function importRosterCommand(args: string[], io: Io): Promise<number> {
  // The shell's language by default (LANG=fr_FR.UTF-8 → French), English otherwise.
  let lang: Lang = /^fr/i.test(process.env.LC_ALL || process.env.LANG || '') ? 'fr' : 'en'
  try {
    const { flags, positional } = parseArgs(args, { org: 'string', 'dry-run': 'boolean', year: 'string', lang: 'string', 'new-enrolment': 'string', help: 'boolean' })
    if (flags.lang !== undefined) {
      if (flags.lang !== 'fr' && flags.lang !== 'en') throw new UsageError(t(lang, 'roster.cli.bad_lang'))
      lang = flags.lang
    }
    if (flags.help || args.includes('-h')) {
      io.out(importRosterHelp(lang))
      return 0
    }
    const orgId = flags.org
    if (typeof orgId !== 'string' || !UUID.test(orgId)) throw new UsageError(t(lang, 'roster.cli.need_org'))
    const schoolYear = typeof flags.year === 'string' ? flags.year : schoolYearOf(now())
    if (!isSchoolYear(schoolYear)) throw new UsageError(t(lang, 'roster.cli.bad_year'))
    const newEnrolment = newEnrolmentLines(flags['new-enrolment'], lang)
    if (!positional.length) throw new UsageError(t(lang, 'roster.cli.need_file'))
    const files = readInputs(positional, lang)
    if (!files.length) throw new UsageError(t(lang, 'roster.cli.need_file'))

    const db = getDb()
    const org = await orgForImport(db, orgId).catch((e) => {
      if (e instanceof NotFound) throw new UsageError(t(lang, 'roster.error.unknown_org', { org: orgId }))
      throw e
    })

    // Read and plan first: nothing is written before the file is known to be readable.
    const read = readRosterFiles(files, { today: now() })
    if (read.info.mapping?.missing.length) {
      throw new UsageError(t(lang, 'roster.cli.mapping_missing', { fields: read.info.mapping.missing.map((f) => t(lang, `roster.field.${f}`)).join(', ') }))
    }
    io.out(t(lang, 'roster.cli.header', { file: read.info.fileName, org: org.name, year: schoolYear, format: describeFormat(read.info, lang) }))

    if (flags['dry-run']) {
      const plan = await planImport(db, { orgId, roster: read.roster, schoolYear })
      for (const line of formatPlan(plan, lang, newEnrolment)) io.out(line)
      io.out(t(lang, 'roster.cli.dry_run_done'))
      return 0
    }

    const created = await createImport(db, { orgId, actorId: null, files, schoolYear })
    for (const line of formatPlan(created.plan!, lang, newEnrolment)) io.out(line)
    try {
      // Each --new-enrolment line used is audited by the commit (who: the command line, no account).
      const result = await commitImport(db, { orgId, importId: created.id, actorId: null, origin: { ip: null, userAgent: 'carnet-cli' }, archiveChildIds: [], newEnrolmentLines: newEnrolment })
      io.out(
        t(lang, 'roster.cli.committed', {
          ms: result.ms,
          created: result.childrenCreated,
          updated: result.childrenUpdated,
          unchanged: result.childrenUnchanged,
          classes: result.classesCreated,
          invitations: result.guardianInvitationsCreated,
        }),
      )
      if ((result.childrenErasedSkipped ?? 0) + (result.childrenReenrolled ?? 0) > 0) {
        io.out(t(lang, 'roster.result.erased', { skipped: result.childrenErasedSkipped ?? 0, reenrolled: result.childrenReenrolled ?? 0 }))
      }
      return 0
    } catch (e) {
      // The transaction rolled back; drop the import row too, so a failed command leaves nothing.
      await discardImport(db, { orgId, importId: created.id })
      const reason = e instanceof DomainError ? t(lang, e.code, e.vars) : e instanceof Error ? e.message : String(e)
      io.err(t(lang, 'roster.cli.failed', { reason }))
      return 1
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message)
      return 2
    }
    const message = uploadErrorMessage(e, lang)
    if (message !== null) {
      io.err(message)
      return 1
    }
    throw e
  }
}

function describeFormat(info: ReturnType<typeof readRosterFiles>['info'], lang: Lang) {
  const parts = [t(lang, `roster.format.${info.format}`)]
  if (info.encoding) parts.push(t(lang, 'roster.encoding', { encoding: t(lang, `roster.encoding.${info.encoding}`) }))
  if (info.format === 'generic' && info.delimiter) {
    parts.push(t(lang, 'roster.delimiter', { delimiter: t(lang, `roster.delimiter.${info.delimiter === ';' ? 'semicolon' : info.delimiter === ',' ? 'comma' : 'tab'}`) }))
  }
  return parts.join(', ')
}
