// Applies a confirmed dry-run plan in ONE transaction: all or nothing. Rows go in with
// multi-row INSERTs (BATCH rows per statement); updates use one UPDATE … FROM (VALUES …) per
// batch. The plan is refused when the organization changed since the dry run (digest check).
// Progress is written to the roster_imports row through another pooled connection, so the
// progress bar moves while the transaction is still open.
import { and, eq, inArray, sql } from 'drizzle-orm'
import {
  childProfiles,
  classes,
  classTeachers,
  enrolments,
  groups,
  invitationChildren,
  invitations,
  memberships,
  rosterImports,
  users,
} from '../../../drizzle/schema'
import { randomToken, sha256Hex, shortCode } from '../../auth/crypto.server'
import { DAY, now } from '../../clock.server'
import type { Db, Tx } from '../../db.server'
import { Conflict, DomainError, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../gdpr/audit.server'
import { newCardSecrets } from '../children/login-card.server'
import { loadOrgState } from './existing.server'
import { planWork } from './plan.server'
import type { CommitResult, ImportPayload, PlanDoc } from './types.server'

export const BATCH = 1000
/** Guardian invitations wait for the families flow to send them; this is only the initial expiry. */
export const INVITATION_TTL = 7 * DAY

export type CommitInput = {
  orgId: string
  importId: string
  actorId: string | null
  origin: RequestOrigin
  /** Children of the plan's "missing" list the admin chose to archive (others are ignored). Defaults to the stored confirmation. */
  archiveChildIds?: string[]
  /** Called after each batch, inside the transaction: a throw aborts the whole import. */
  onProgress?: (done: number, total: number) => void | Promise<void>
}

export type CommitOutcome = CommitResult & { alreadyDone: boolean }

function chunks<T>(rows: T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

const lockKey = (orgId: string) => sql`hashtextextended(${'roster-import:' + orgId}, 0)`

export async function commitImport(db: Db, input: CommitInput): Promise<CommitOutcome> {
  const { orgId, importId } = input
  const [row] = await db
    .select()
    .from(rosterImports)
    .where(and(eq(rosterImports.id, importId), eq(rosterImports.orgId, orgId)))
  if (!row) throw new NotFound('roster_import')
  const doc = row.plan as PlanDoc | null
  if (!doc?.plan) throw new Conflict('roster.error.no_plan')
  if (row.status === 'done' && doc.result) return { ...doc.result, alreadyDone: true }

  const plan = doc.plan
  const total = Math.max(planWork(plan), 1)
  await db.update(rosterImports).set({ status: 'running', progress: 0, total, error: null }).where(eq(rosterImports.id, importId))

  let done = 0
  let lastWrite = 0
  const progress = async (n: number) => {
    done += n
    // Another pooled connection: visible at once, while the import transaction is still open.
    if (done === total || Date.now() - lastWrite > 150) {
      lastWrite = Date.now()
      await db.update(rosterImports).set({ progress: Math.min(done, total) }).where(eq(rosterImports.id, importId))
    }
    await input.onProgress?.(done, total)
  }

  const started = Date.now()
  try {
    return await db.transaction(async (tx) => {
      // One import at a time per organization; a second run of the same import waits here,
      // then finds it done (the status is read again under the lock).
      await tx.execute(sql`select pg_advisory_xact_lock(${lockKey(orgId)})`)
      const [current] = await tx
        .select({ status: rosterImports.status, plan: rosterImports.plan })
        .from(rosterImports)
        .where(eq(rosterImports.id, importId))
      const currentDoc = current?.plan as PlanDoc | null
      if (current?.status === 'done' && currentDoc?.result) return { ...currentDoc.result, alreadyDone: true }

      const state = await loadOrgState(tx, orgId)
      if (state.digest !== plan.basis) throw new Conflict('roster.error.stale_plan')

      const result = await apply(tx, input, doc, progress)
      result.ms = Date.now() - started
      const payload = row.payload as ImportPayload | null
      await tx
        .update(rosterImports)
        .set({
          status: 'done',
          progress: total,
          finishedAt: now(),
          error: null,
          plan: { ...doc, result } satisfies PlanDoc,
          // The uploaded bytes are not needed any more: keep only the parsed rows.
          payload: payload ? { ...payload, source: null } : null,
        })
        .where(eq(rosterImports.id, importId))
      await recordAudit(tx, {
        action: 'roster.import_committed',
        orgId,
        actorId: input.actorId,
        targetType: 'roster_import',
        targetId: importId,
        ip: input.origin.ip,
        userAgent: input.origin.userAgent,
        // Counts only: no names, no emails.
        details: { format: payload?.info.format ?? null, schoolYear: plan.schoolYear, ...result },
      })
      return { ...result, alreadyDone: false }
    })
  } catch (e) {
    const code = e instanceof DomainError ? e.code : 'roster.error.commit_failed'
    await db
      .update(rosterImports)
      .set({ status: 'failed', error: code, progress: 0 })
      .where(and(eq(rosterImports.id, importId), sql`${rosterImports.status} <> 'done'`))
    throw e
  }
}

async function apply(tx: Tx, input: CommitInput, doc: PlanDoc, progress: (n: number) => Promise<void>): Promise<CommitResult> {
  const { orgId } = input
  const { plan } = doc
  const at = now()

  // Classes: the login code is unique across the platform, so collisions are retried with new codes.
  let pendingClasses = plan.classes.create
  for (let attempt = 0; pendingClasses.length; attempt++) {
    if (attempt > 5) throw new Conflict('roster.error.class_codes')
    const inserted = new Set<string>()
    for (const batch of chunks(pendingClasses)) {
      const rows = await tx
        .insert(classes)
        .values(batch.map((c) => ({ id: c.classId, orgId, name: c.name, level: c.level, schoolYear: plan.schoolYear, loginCode: shortCode(6), createdAt: at })))
        .onConflictDoNothing({ target: classes.loginCode })
        .returning({ id: classes.id })
      for (const r of rows) inserted.add(r.id)
    }
    await progress(inserted.size)
    pendingClasses = pendingClasses.filter((c) => !inserted.has(c.classId))
  }

  for (const batch of chunks(plan.groups.create)) {
    await tx.insert(groups).values(batch.map((g) => ({ id: g.groupId, orgId, classId: g.classId, name: g.name })))
    await progress(batch.length)
  }

  // New children: account row, child membership, profile with a login card, enrolment.
  for (const batch of chunks(plan.children.create)) {
    await tx.insert(users).values(batch.map((c) => ({ id: c.childId, kind: 'child' as const, firstName: c.firstName, lastName: c.lastName, birthDate: c.birthDate, createdAt: at })))
    await tx.insert(memberships).values(batch.map((c) => ({ orgId, userId: c.childId, role: 'child' as const, createdAt: at })))
    await tx.insert(childProfiles).values(
      batch.map((c) => {
        const card = newCardSecrets(c.childId)
        return { childId: c.childId, orgId, externalId: c.externalId, cardTokenHash: card.cardTokenHash, cardCodeHash: card.cardCodeHash, cardIssuedAt: at }
      }),
    )
    await tx.insert(enrolments).values(batch.map((c) => ({ orgId, classId: c.classId, childId: c.childId, groupId: c.groupId, createdAt: at })))
    await progress(batch.length)
  }

  // Updated children: only what changed, one statement per kind of change and batch.
  for (const batch of chunks(plan.children.update)) {
    const has = (c: (typeof batch)[number], ...fields: string[]) => c.changes.some((x) => fields.includes(x.field))
    const named = batch.filter((c) => has(c, 'firstName', 'lastName', 'birthDate'))
    if (named.length) {
      const values = sql.join(
        named.map((c) => sql`(${c.childId}::uuid, ${c.firstName}::text, ${c.lastName}::text, ${c.birthDate}::date)`),
        sql`, `,
      )
      await tx.execute(sql`
        update ${users} set first_name = v.first_name, last_name = v.last_name, birth_date = v.birth_date
        from (values ${values}) as v(id, first_name, last_name, birth_date)
        where ${users.id} = v.id and ${users.kind} = 'child'`)
    }
    const reactivated = batch.filter((c) => has(c, 'status')).map((c) => c.childId)
    if (reactivated.length) {
      await tx
        .update(memberships)
        .set({ status: 'active' })
        .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child'), inArray(memberships.userId, reactivated)))
    }
    const ids = batch.filter((c) => has(c, 'externalId'))
    if (ids.length) {
      await tx
        .insert(childProfiles)
        .values(ids.map((c) => ({ childId: c.childId, orgId, externalId: c.externalId })))
        .onConflictDoUpdate({ target: childProfiles.childId, set: { externalId: sql`excluded.external_id` }, setWhere: eq(childProfiles.orgId, orgId) })
    }
    const moved = batch.filter((c) => has(c, 'className'))
    const leaving = moved.filter((c) => c.fromClassId)
    if (leaving.length) {
      const pairs = sql.join(
        leaving.map((c) => sql`(${c.childId}::uuid, ${c.fromClassId}::uuid)`),
        sql`, `,
      )
      await tx.execute(sql`delete from ${enrolments} where ${enrolments.orgId} = ${orgId} and (${enrolments.childId}, ${enrolments.classId}) in (values ${pairs})`)
    }
    if (moved.length) {
      await tx
        .insert(enrolments)
        .values(moved.map((c) => ({ orgId, classId: c.classId, childId: c.childId, groupId: c.groupId, createdAt: at })))
        .onConflictDoUpdate({ target: [enrolments.classId, enrolments.childId], set: { groupId: sql`excluded.group_id` } })
    }
    const regrouped = batch.filter((c) => !has(c, 'className') && has(c, 'groupName'))
    if (regrouped.length) {
      const values = sql.join(
        regrouped.map((c) => sql`(${c.childId}::uuid, ${c.classId}::uuid, ${c.groupId}::uuid)`),
        sql`, `,
      )
      await tx.execute(sql`
        update ${enrolments} set group_id = v.group_id
        from (values ${values}) as v(child_id, class_id, group_id)
        where ${enrolments.orgId} = ${orgId} and ${enrolments.childId} = v.child_id and ${enrolments.classId} = v.class_id`)
    }
    await progress(batch.length)
  }

  // Invitations: guardians (one per email, covering every child of it) and teachers.
  const expiresAt = new Date(at.getTime() + INVITATION_TTL)
  const invitationRow = (id: string, email: string, role: 'guardian' | 'teacher') => ({
    id,
    orgId,
    email,
    role,
    // The token itself is never kept: the delivery flow issues the link it sends.
    tokenHash: sha256Hex(randomToken()),
    invitedBy: input.actorId,
    createdAt: at,
    expiresAt,
    pendingDelivery: true,
  })
  for (const batch of chunks(plan.guardians.create)) {
    await tx.insert(invitations).values(batch.map((g) => invitationRow(g.invitationId, g.email, 'guardian')))
    await progress(batch.length)
  }
  const links = [...plan.guardians.create, ...plan.guardians.unchanged].flatMap((g) => g.addChildIds.map((childId) => ({ invitationId: g.invitationId, childId })))
  for (const batch of chunks(links)) {
    await tx.insert(invitationChildren).values(batch).onConflictDoNothing()
  }
  await progress(plan.guardians.unchanged.filter((g) => g.addChildIds.length).length)
  for (const batch of chunks(plan.teachers.invite)) {
    await tx.insert(invitations).values(batch.map((t) => invitationRow(t.invitationId!, t.email, 'teacher')))
    await progress(batch.length)
  }
  for (const batch of chunks(plan.teachers.assign)) {
    await tx
      .insert(classTeachers)
      .values(batch.map((a) => ({ orgId, classId: a.classId, userId: a.userId, role: a.role })))
      .onConflictDoNothing()
    await progress(batch.length)
  }

  // Children missing from the file: archived only when the admin ticked them.
  const missing = new Set(plan.missing.map((m) => m.childId))
  const archive = [...new Set(input.archiveChildIds ?? doc.confirm?.archiveChildIds ?? [])].filter((id) => missing.has(id))
  let archived = 0
  for (const batch of chunks(archive)) {
    const rows = await tx
      .update(memberships)
      .set({ status: 'archived' })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active'), inArray(memberships.userId, batch)))
      .returning({ userId: memberships.userId })
    archived += rows.length
    for (const r of rows) {
      await recordAudit(tx, {
        action: 'child.archive',
        orgId,
        actorId: input.actorId,
        targetType: 'child',
        targetId: r.userId,
        ip: input.origin.ip,
        userAgent: input.origin.userAgent,
        details: { importId: input.importId },
      })
    }
  }

  return {
    classesCreated: plan.classes.create.length,
    groupsCreated: plan.groups.create.length,
    childrenCreated: plan.children.create.length,
    childrenUpdated: plan.children.update.length,
    childrenUnchanged: plan.children.unchanged.length,
    childrenArchived: archived,
    guardianInvitationsCreated: plan.guardians.create.length,
    guardianInvitationsExtended: plan.guardians.unchanged.filter((g) => g.addChildIds.length).length,
    teacherInvitationsCreated: plan.teachers.invite.length,
    teacherAssignments: plan.teachers.assign.length,
    rejected: plan.rejected.length,
    ms: 0,
  }
}
