// The two on-demand PDFs: a child's record (for staff allowed to export it: every item they
// may export; for a guardian: the published items only) and a class's results report.
import { and, eq } from 'drizzle-orm'
import { organizations } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import type { Lang } from '../../i18n'
import { listClassActivities } from '../../models/learning/activities.server'
import { classChildren } from '../../models/learning/grid.server'
import { cleanPeriod, loadObservations, loadResults, type ChildHeader, type Period } from '../../models/learning/record.server'
import { can, type AppAbility } from '../../permissions/abilities'
import { childReportPdf } from './child-report.server'
import { classReportPdf } from './class-report.server'
import { fileSafe } from './zip.server'

export async function childRecordPdf(db: DbOrTx, ability: AppAbility, a: { orgId: string; child: ChildHeader; period: Period; lang: Lang }) {
  const full = can(ability, 'export', 'LearningRecord', { orgId: a.orgId, childId: a.child.id, classIds: a.child.classes.map((c) => c.id) })
  const visibleTo = { ability, action: full ? ('export' as const) : ('read' as const) }
  const period = cleanPeriod(a.period)
  const [results, observations] = await Promise.all([
    loadResults(db, { orgId: a.orgId, childIds: [a.child.id], period, visibleTo }),
    loadObservations(db, { orgId: a.orgId, childIds: [a.child.id], period, visibleTo }),
  ])
  const at = now()
  const bytes = await childReportPdf({
    lang: a.lang,
    now: at,
    orgName: a.child.orgName,
    child: a.child,
    classNames: a.child.classes.map((c) => c.name),
    period,
    results,
    observations,
    publishedOnly: !full,
  })
  return {
    bytes,
    fileName: `livret-${fileSafe(a.child.lastName)}-${fileSafe(a.child.firstName)}-${at.toISOString().slice(0, 10)}.pdf`,
    publishedOnly: !full,
    results: results.length,
    observations: observations.length,
  }
}

export async function classResultsPdf(db: DbOrTx, a: { orgId: string; klass: { id: string; name: string }; period: Period; lang: Lang }) {
  const period = cleanPeriod(a.period)
  const [org] = await db
    .select({ name: organizations.name })
    .from(organizations)
    .where(and(eq(organizations.id, a.orgId)))
  const [children, acts] = await Promise.all([classChildren(db, { orgId: a.orgId, classId: a.klass.id }), listClassActivities(db, { orgId: a.orgId, classId: a.klass.id })])
  const childIds = children.map((c) => c.id)
  const [results, observations] = await Promise.all([
    loadResults(db, { orgId: a.orgId, childIds, classId: a.klass.id, period }),
    loadObservations(db, { orgId: a.orgId, childIds, classId: a.klass.id, period }),
  ])
  const inPeriod = (d: Date) => (!period.from || d.toISOString().slice(0, 10) >= period.from) && (!period.to || d.toISOString().slice(0, 10) <= period.to)
  const at = now()
  const bytes = await classReportPdf({
    lang: a.lang,
    now: at,
    orgName: org?.name ?? '',
    className: a.klass.name,
    period,
    children,
    activities: [...acts].reverse().filter((x) => inPeriod(x.createdAt) || results.some((r) => r.activityId === x.id)),
    results,
    observations,
  })
  return { bytes, fileName: `resultats-${fileSafe(a.klass.name)}-${at.toISOString().slice(0, 10)}.pdf`, children: children.length, results: results.length }
}
