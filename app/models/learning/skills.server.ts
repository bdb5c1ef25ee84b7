// The school's skills. A school gets the starter set (French curriculum, cycles 1–3) the first
// time anyone needs its skills, or when the demo is seeded; admins then edit labels and
// domains, add their own skills and archive the ones they do not use.
import { and, asc, count, eq, isNull } from 'drizzle-orm'
import { skills } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { STARTER_SKILLS } from './starter-skills'

export type Skill = typeof skills.$inferSelect
export type By = { actorId: string } & RequestOrigin

/** Inserts the starter set once per school (idempotent: existing codes are left alone). */
export async function ensureStarterSkills(db: DbOrTx, orgId: string): Promise<number> {
  const [{ n }] = (await db.select({ n: count() }).from(skills).where(eq(skills.orgId, orgId))) as [{ n: number }]
  if (n > 0) return 0
  const at = now()
  const rows = await db
    .insert(skills)
    .values(STARTER_SKILLS.map((s, i) => ({ orgId, code: s.code, label: s.label, domain: s.domain, cycle: s.cycle, position: i, createdAt: at })))
    .onConflictDoNothing()
    .returning({ id: skills.id })
  return rows.length
}

/** The school's skills, starter set seeded on first use. */
export async function listSkills(db: DbOrTx, { orgId, includeArchived = false }: { orgId: string; includeArchived?: boolean }): Promise<Skill[]> {
  await ensureStarterSkills(db, orgId)
  return db
    .select()
    .from(skills)
    .where(and(eq(skills.orgId, orgId), includeArchived ? undefined : isNull(skills.archivedAt)))
    .orderBy(asc(skills.cycle), asc(skills.position), asc(skills.code))
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/

function clean(a: { code: string; label: string; domain: string; cycle: number }) {
  const code = a.code.trim().toUpperCase()
  const label = a.label.trim()
  const domain = a.domain.trim()
  if (!CODE.test(code)) throw new Invalid('learning.skills.code_invalid')
  if (!label || label.length > 200) throw new Invalid('learning.skills.label_required')
  if (!domain || domain.length > 80) throw new Invalid('learning.skills.domain_required')
  if (![1, 2, 3, 4].includes(a.cycle)) throw new Invalid('learning.skills.cycle_invalid')
  return { code, label, domain, cycle: a.cycle }
}

export async function createSkill(db: DbOrTx, a: { orgId: string; code: string; label: string; domain: string; cycle: number; by: By }) {
  const v = clean(a)
  const [row] = await db
    .insert(skills)
    .values({ orgId: a.orgId, ...v, position: 1000, createdAt: now() })
    .onConflictDoNothing()
    .returning()
  if (!row) throw new Conflict('learning.skills.code_taken', { code: v.code })
  await recordAudit(db, { action: 'skill.create', orgId: a.orgId, actorId: a.by.actorId, ip: a.by.ip, userAgent: a.by.userAgent, targetType: 'skill', targetId: row.id })
  return row
}

export async function updateSkill(db: DbOrTx, a: { orgId: string; skillId: string; code: string; label: string; domain: string; cycle: number; by: By }) {
  const v = clean(a)
  const clash = await db
    .select({ id: skills.id })
    .from(skills)
    .where(and(eq(skills.orgId, a.orgId), eq(skills.code, v.code)))
  if (clash.some((c) => c.id !== a.skillId)) throw new Conflict('learning.skills.code_taken', { code: v.code })
  const [row] = await db
    .update(skills)
    .set(v)
    .where(and(eq(skills.orgId, a.orgId), eq(skills.id, a.skillId)))
    .returning()
  if (!row) throw new NotFound('skill')
  await recordAudit(db, { action: 'skill.update', orgId: a.orgId, actorId: a.by.actorId, ip: a.by.ip, userAgent: a.by.userAgent, targetType: 'skill', targetId: row.id })
  return row
}

/** Archived skills keep their observations; they are offered for no new activity. */
export async function setSkillArchived(db: DbOrTx, a: { orgId: string; skillId: string; archived: boolean; by: By }) {
  const [row] = await db
    .update(skills)
    .set({ archivedAt: a.archived ? now() : null })
    .where(and(eq(skills.orgId, a.orgId), eq(skills.id, a.skillId)))
    .returning()
  if (!row) throw new NotFound('skill')
  await recordAudit(db, {
    action: a.archived ? 'skill.archive' : 'skill.restore',
    orgId: a.orgId,
    actorId: a.by.actorId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    targetType: 'skill',
    targetId: row.id,
  })
  return row
}
