// Applies a confirmed dry-run plan in ONE transaction: all or nothing. Rows go in with
// multi-row INSERTs (BATCH rows per statement); updates use one UPDATE … FROM (VALUES …) per
// batch. The plan is refused when the organization changed since the dry run (digest check).
// Progress is written to the roster_imports row through another pooled connection, so the
// progress bar moves while the transaction is still open.
import { randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { childProfiles, classes, classTeachers, enrolments, groups, invitationChildren, invitations, memberships, rosterImports, users } from '../../../drizzle/schema'
import { shortCode } from '../../crypto.server'
import { DAY, now } from '../../clock.server'
import type { Db, Tx } from '../../db.server'
import { Conflict, DomainError, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { cardCodeHash } from '../children/login-card.server'
import { bulkInsert, unnestOf, unusedTokenHashes } from './bulk.server'
import { loadOrgState } from './existing.server'
import { withNewEnrolments } from './erased.server'
import { planWork } from './plan.server'
import type { CommitResult, ImportPayload, ImportPlan } from './types.server'

/** Rows per INSERT statement. */
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
  /** Lines of erased rows to create anyway as a new enrolment (audited; unflagged lines ignored). Defaults to the stored confirmation. */
  newEnrolmentLines?: number[]
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
  const plan = row.plan as ImportPlan | null
  const payload = row.payload as ImportPayload | null
  if (!plan) throw new Conflict('roster.error.no_plan')
  if (row.status === 'done' && payload?.result) return { ...payload.result, alreadyDone: true }

  const total = Math.max(planWork(plan), 1)
  await db.update(rosterImports).set({ status: 'running', progress: 0, total, error: null }).where(eq(rosterImports.id, row.id))

  let done = 0
  let lastWrite = 0
  const progress = async (n: number) => {
    done += n
    // Another pooled connection: visible at once, while the import transaction is still open.
    if (done === total || Date.now() - lastWrite > 150) {
      lastWrite = Date.now()
      await db
        .update(rosterImports)
        .set({ progress: Math.min(done, total) })
        .where(eq(rosterImports.id, row.id))
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
        .select({ status: rosterImports.status, result: sql<CommitResult | null>`${rosterImports.payload} -> 'result'` })
        .from(rosterImports)
        .where(eq(rosterImports.id, row.id))
      if (current?.status === 'done' && current.result) return { ...current.result, alreadyDone: true }

      const state = await loadOrgState(tx, orgId)
      if (state.digest !== plan.basis) throw new Conflict('roster.error.stale_plan')

      const result = await apply(tx, input, plan, payload, progress)
      result.ms = Date.now() - started
      await tx
        .update(rosterImports)
        .set({
          status: 'done',
          progress: total,
          finishedAt: now(),
          error: null,
          // The uploaded file is not needed any more (the plan keeps what was done); the small
          // payload is edited in the database and the plan (megabytes) is left as it is.
          payload: sql`(${rosterImports.payload} - 'source') || jsonb_build_object('result', ${JSON.stringify(result)}::jsonb)`,
        })
        .where(eq(rosterImports.id, row.id))
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
      .where(and(eq(rosterImports.id, row.id), sql`${rosterImports.status} <> 'done'`))
    throw e
  }
}

async function apply(tx: Tx, input: CommitInput, planned: ImportPlan, payload: ImportPayload | null, progress: (n: number) => Promise<void>): Promise<CommitResult> {
  const { orgId } = input
  // Children erased after a request are not re-created, unless the admin ticked the row as a new enrolment (ADR 021).
  const { plan, reenrolled, skipped } = withNewEnrolments(planned, input.newEnrolmentLines ?? payload?.confirm?.newEnrolmentLines ?? [])
  const at = now()
  const org = () => orgId
  const atText = at.toISOString()
  const when = () => atText

  // Classes: the login code is unique across the platform, so collisions are retried with new codes.
  let pendingClasses = plan.classes.create
  for (let attempt = 0; pendingClasses.length; attempt++) {
    if (attempt > 5) throw new Conflict('roster.error.class_codes')
    const inserted = new Set<string>()
    for (const batch of chunks(pendingClasses)) {
      const rows = await bulkInsert(
        tx,
        classes,
        batch.map((c) => ({ ...c, code: shortCode(6) })),
        [
          { column: classes.id, type: 'uuid', value: (c) => c.classId },
          { column: classes.orgId, type: 'uuid', value: org },
          { column: classes.name, type: 'text', value: (c) => c.name },
          { column: classes.level, type: 'text', value: (c) => c.level },
          { column: classes.schoolYear, type: 'text', value: () => plan.schoolYear },
          { column: classes.loginCode, type: 'text', value: (c) => c.code },
          { column: classes.createdAt, type: 'timestamptz', value: when },
        ],
        sql`on conflict (login_code) do nothing returning id`,
      )
      for (const r of rows) inserted.add(String(r.id))
    }
    await progress(inserted.size)
    pendingClasses = pendingClasses.filter((c) => !inserted.has(c.classId))
  }

  for (const batch of chunks(plan.groups.create)) {
    await bulkInsert(tx, groups, batch, [
      { column: groups.id, type: 'uuid', value: (g) => g.groupId },
      { column: groups.orgId, type: 'uuid', value: org },
      { column: groups.classId, type: 'uuid', value: (g) => g.classId },
      { column: groups.name, type: 'text', value: (g) => g.name },
    ])
    await progress(batch.length)
  }

  // New children: account row, child membership, profile with a login card, enrolment.
  for (const batch of chunks(plan.children.create)) {
    await bulkInsert(tx, users, batch, [
      { column: users.id, type: 'uuid', value: (c) => c.childId },
      { column: users.kind, type: 'text', value: () => 'child' },
      { column: users.firstName, type: 'text', value: (c) => c.firstName },
      { column: users.lastName, type: 'text', value: (c) => c.lastName },
      { column: users.birthDate, type: 'date', value: (c) => c.birthDate },
      { column: users.createdAt, type: 'timestamptz', value: when },
    ])
    await bulkInsert(tx, memberships, batch, [
      { column: memberships.orgId, type: 'uuid', value: org },
      { column: memberships.userId, type: 'uuid', value: (c) => c.childId },
      { column: memberships.role, type: 'text', value: () => 'child' },
      { column: memberships.createdAt, type: 'timestamptz', value: when },
    ])
    // Login card hashes computed here rather than one issueChildCard query per child. The
    // secrets are not kept: printing the class's cards issues the ones children will use.
    const tokenHashes = unusedTokenHashes(batch.length)
    const cards = batch.map((c, i) => ({ c, card: { cardTokenHash: tokenHashes[i]!, cardCodeHash: cardCodeHash(c.childId, shortCode(6)) } }))
    await bulkInsert(tx, childProfiles, cards, [
      { column: childProfiles.childId, type: 'uuid', value: (x) => x.c.childId },
      { column: childProfiles.orgId, type: 'uuid', value: org },
      { column: childProfiles.externalId, type: 'text', value: (x) => x.c.externalId },
      { column: childProfiles.cardTokenHash, type: 'text', value: (x) => x.card.cardTokenHash },
      { column: childProfiles.cardCodeHash, type: 'text', value: (x) => x.card.cardCodeHash },
      { column: childProfiles.cardIssuedAt, type: 'timestamptz', value: when },
    ])
    await bulkInsert(tx, enrolments, batch, [
      { column: enrolments.orgId, type: 'uuid', value: org },
      { column: enrolments.classId, type: 'uuid', value: (c) => c.classId },
      { column: enrolments.childId, type: 'uuid', value: (c) => c.childId },
      { column: enrolments.groupId, type: 'uuid', value: (c) => c.groupId },
      { column: enrolments.createdAt, type: 'timestamptz', value: when },
    ])
    await progress(batch.length)
  }

  // Updated children: only what changed, one statement per kind of change and batch.
  for (const batch of chunks(plan.children.update)) {
    const has = (c: (typeof batch)[number], ...fields: string[]) => c.changes.some((x) => fields.includes(x.field))
    const named = batch.filter((c) => has(c, 'firstName', 'lastName', 'birthDate'))
    if (named.length) {
      const v = unnestOf(named, [
        { column: users.id, type: 'uuid', value: (c) => c.childId },
        { column: users.firstName, type: 'text', value: (c) => c.firstName },
        { column: users.lastName, type: 'text', value: (c) => c.lastName },
        { column: users.birthDate, type: 'date', value: (c) => c.birthDate },
      ])
      await tx.execute(sql`
        update ${users} set first_name = v.first_name, last_name = v.last_name, birth_date = v.birth_date
        from ${v} where ${users.id} = v.id and ${users.kind} = 'child'`)
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
      await bulkInsert(
        tx,
        childProfiles,
        ids,
        [
          { column: childProfiles.childId, type: 'uuid', value: (c) => c.childId },
          { column: childProfiles.orgId, type: 'uuid', value: org },
          { column: childProfiles.externalId, type: 'text', value: (c) => c.externalId },
        ],
        sql`on conflict (child_id) do update set external_id = excluded.external_id where ${childProfiles.orgId} = ${orgId}`,
      )
    }
    const moved = batch.filter((c) => has(c, 'className'))
    const leaving = moved.filter((c) => c.fromClassId)
    if (leaving.length) {
      const v = unnestOf(leaving, [
        { column: enrolments.childId, type: 'uuid', value: (c) => c.childId },
        { column: enrolments.classId, type: 'uuid', value: (c) => c.fromClassId },
      ])
      await tx.execute(sql`delete from ${enrolments} using ${v}
        where ${enrolments.orgId} = ${orgId} and ${enrolments.childId} = v.child_id and ${enrolments.classId} = v.class_id`)
    }
    await bulkInsert(
      tx,
      enrolments,
      moved,
      [
        { column: enrolments.orgId, type: 'uuid', value: org },
        { column: enrolments.classId, type: 'uuid', value: (c) => c.classId },
        { column: enrolments.childId, type: 'uuid', value: (c) => c.childId },
        { column: enrolments.groupId, type: 'uuid', value: (c) => c.groupId },
        { column: enrolments.createdAt, type: 'timestamptz', value: when },
      ],
      sql`on conflict (class_id, child_id) do update set group_id = excluded.group_id`,
    )
    const regrouped = batch.filter((c) => !has(c, 'className') && has(c, 'groupName'))
    if (regrouped.length) {
      const v = unnestOf(regrouped, [
        { column: enrolments.childId, type: 'uuid', value: (c) => c.childId },
        { column: enrolments.classId, type: 'uuid', value: (c) => c.classId },
        { column: enrolments.groupId, type: 'uuid', value: (c) => c.groupId },
      ])
      await tx.execute(sql`
        update ${enrolments} set group_id = v.group_id from ${v}
        where ${enrolments.orgId} = ${orgId} and ${enrolments.childId} = v.child_id and ${enrolments.classId} = v.class_id`)
    }
    await progress(batch.length)
  }

  // Invitations: guardians (one per email, covering every child of it) and teachers.
  const expiresText = new Date(at.getTime() + INVITATION_TTL).toISOString()
  const insertInvitations = (list: { id: string; email: string }[], role: 'guardian' | 'teacher') => {
    const hashes = unusedTokenHashes(list.length)
    const rows = list.map((r, i) => ({ ...r, tokenHash: hashes[i]! }))
    return bulkInsert(tx, invitations, rows, [
      { column: invitations.id, type: 'uuid', value: (r) => r.id },
      { column: invitations.orgId, type: 'uuid', value: org },
      { column: invitations.email, type: 'text', value: (r) => r.email },
      { column: invitations.role, type: 'text', value: () => role },
      // The token itself is never kept: the delivery flow issues the link it sends.
      { column: invitations.tokenHash, type: 'text', value: (r) => r.tokenHash },
      { column: invitations.invitedBy, type: 'uuid', value: () => input.actorId },
      { column: invitations.createdAt, type: 'timestamptz', value: when },
      { column: invitations.expiresAt, type: 'timestamptz', value: () => expiresText },
      { column: invitations.pendingDelivery, type: 'boolean', value: () => true },
    ])
  }
  const links: { invitationId: string; childId: string }[] = []
  for (const batch of chunks(plan.guardians.create)) {
    const rows = batch.map((g) => ({ id: randomUUID(), email: g.email, childIds: g.childIds }))
    await insertInvitations(rows, 'guardian')
    for (const r of rows) for (const childId of r.childIds) links.push({ invitationId: r.id, childId })
    await progress(batch.length)
  }
  for (const g of plan.guardians.unchanged) for (const childId of g.addChildIds) links.push({ invitationId: g.invitationId, childId })
  for (const batch of chunks(links)) {
    await bulkInsert(
      tx,
      invitationChildren,
      batch,
      [
        { column: invitationChildren.invitationId, type: 'uuid', value: (l) => l.invitationId },
        { column: invitationChildren.childId, type: 'uuid', value: (l) => l.childId },
      ],
      sql`on conflict do nothing`,
    )
  }
  await progress(plan.guardians.unchanged.filter((g) => g.addChildIds.length).length)
  for (const batch of chunks(plan.teachers.invite)) {
    await insertInvitations(
      batch.map((x) => ({ id: randomUUID(), email: x.email })),
      'teacher',
    )
    await progress(batch.length)
  }
  for (const batch of chunks(plan.teachers.assign)) {
    await bulkInsert(
      tx,
      classTeachers,
      batch,
      [
        { column: classTeachers.orgId, type: 'uuid', value: org },
        { column: classTeachers.classId, type: 'uuid', value: (a) => a.classId },
        { column: classTeachers.userId, type: 'uuid', value: (a) => a.userId },
        { column: classTeachers.role, type: 'text', value: (a) => a.role },
      ],
      sql`on conflict do nothing`,
    )
    await progress(batch.length)
  }

  // Children missing from the file: archived only when the admin ticked them.
  const missing = new Set(plan.missing.map((m) => m.childId))
  const archive = [...new Set(input.archiveChildIds ?? payload?.confirm?.archiveChildIds ?? [])].filter((id) => missing.has(id))
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

  // Each tick used is evidence: who re-created which erased child, from which import and row.
  for (const c of reenrolled) {
    await recordAudit(tx, {
      action: 'roster.erased_child_reenrolled',
      orgId,
      actorId: input.actorId,
      targetType: 'child',
      targetId: c.childId,
      ip: input.origin.ip,
      userAgent: input.origin.userAgent,
      details: {
        importId: input.importId,
        line: c.line,
        tombstoneId: c.erasure.tombstoneId,
        deletionRequestId: c.erasure.pendingRequestId ?? null,
        erasedAt: c.erasure.erasedAt,
        match: c.erasure.match,
      },
    })
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
    childrenErasedSkipped: skipped.length,
    childrenReenrolled: reenrolled.length,
    ms: 0,
  }
}
