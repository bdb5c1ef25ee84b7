// A guardian's "delete" of a school's pupil (issue 13 §4): the school is the controller of the
// pupil's record, so the guardian does not erase it — they ask the school's DPO, by an erasure
// rights request through the ordinary in-app intake (channel in_app, the legal deadlines
// computed as for every request, forwarded within 48 hours), and follow its status where they
// asked. A second request while one is open for the same child is refused, nothing written.
import { and, desc, eq, ne, sql } from 'drizzle-orm'
import { rightsRequests } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid } from '../../errors.server'
import type { RequestOrigin } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import { effectiveDue } from './deadlines.server'
import { createReceivedRequest } from './intake.server'
import { enqueueDsrForward } from './jobs.server'

type Guardian = { id: string; email: string | null; emailVerifiedAt: Date | null; firstName: string; lastName: string }

/** The erasure requests this guardian made about a child (newest first), as they follow them. */
export async function erasureRequestsBy(db: DbOrTx, a: { guardianId: string; childId?: string; orgId?: string }) {
  const rows = await db
    .select({
      id: rightsRequests.id,
      reference: rightsRequests.reference,
      orgId: rightsRequests.orgId,
      childId: rightsRequests.subjectId,
      status: rightsRequests.status,
      outcome: rightsRequests.outcome,
      receivedAt: rightsRequests.receivedAt,
      dueAt: rightsRequests.dueAt,
      extendedDueAt: rightsRequests.extendedDueAt,
      closedAt: rightsRequests.closedAt,
    })
    .from(rightsRequests)
    .where(
      and(
        eq(rightsRequests.requesterUserId, a.guardianId),
        eq(rightsRequests.kind, 'erasure'),
        ne(rightsRequests.status, 'awaiting_verification'),
        a.childId ? eq(rightsRequests.subjectId, a.childId) : undefined,
        a.orgId ? eq(rightsRequests.orgId, a.orgId) : undefined,
      ),
    )
    .orderBy(desc(rightsRequests.receivedAt))
  return rows.map((r) => ({ ...r, dueAt: effectiveDue(r) }))
}

/**
 * Files the erasure request with the school (the route has asked the policy: 'ask' 'Account').
 * The guardian's requests about one child are serialized, so a double click files one request.
 */
export async function askSchoolErasure(db: Db, a: { orgId: string; childId: string; guardian: Guardian; lang: Lang; origin: RequestOrigin }, log: Pick<Console, 'warn'> = console) {
  // Their account's address is verified: the request counts at once, as on the in-app form.
  if (!a.guardian.email || !a.guardian.emailVerifiedAt) throw new Invalid('dsr.form.verify_email_first')
  const row = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`dsr-erasure:${a.guardian.id}:${a.childId}`}))`)
    const [open] = await tx
      .select({ reference: rightsRequests.reference })
      .from(rightsRequests)
      .where(
        and(
          eq(rightsRequests.requesterUserId, a.guardian.id),
          eq(rightsRequests.subjectId, a.childId),
          eq(rightsRequests.orgId, a.orgId),
          eq(rightsRequests.kind, 'erasure'),
          ne(rightsRequests.status, 'closed'),
        ),
      )
      .limit(1)
    if (open) throw new Conflict('retention.ask.duplicate', { reference: open.reference })
    return createReceivedRequest(tx as unknown as Db, {
      orgId: a.orgId,
      kind: 'erasure',
      channel: 'in_app',
      subjectId: a.childId,
      subjectName: null,
      requesterEmail: a.guardian.email!,
      requesterName: `${a.guardian.firstName} ${a.guardian.lastName}`,
      requesterUserId: a.guardian.id,
      relation: 'guardian',
      message: null,
      lang: a.lang,
      receivedAt: now(),
      actorId: a.guardian.id,
      origin: a.origin,
    })
  })
  await enqueueDsrForward(row.id, log)
  return row
}
