// Children's login against a real database: the QR card, the class code + short code, the
// throttle on code guessing, regenerated cards, the 8-hour session, a teacher ending a
// session, and refused children (archived, deactivated).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, classes, enrolments, memberships, organizations, sessions, users } from '../../drizzle/schema'
import { HOUR, MINUTE, useFakeClock } from '~/clock.server'
import { validateSessionToken } from '~/auth/session.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { issueChildCard } from '~/models/children/login-card.server'
import {
  childLoginRefusal,
  endChildSession,
  listChildSessions,
  listClassChildrenForPicker,
  loginWithCardToken,
  loginWithClassCode,
  openClassPicker,
  pickerLabels,
  regenerateCard,
  setChildUsernamePassword,
} from '~/models/children/child-login.server'
import { printLoginCards } from '~/models/children/print-cards.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { liftRestriction, restrictSubject } from '~/compliance/restriction.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let orgId: string
let classId: string
let classCode: string
let teacherId: string
let n = 0

beforeAll(async () => {
  t = await useTestDatabase()
  const at = new Date()
  const [org] = await t.db.insert(organizations).values({ kind: 'school', name: 'École Test', createdAt: at }).returning()
  orgId = org!.id
  const [cls] = await t.db.insert(classes).values({ orgId, name: 'CE2 B', schoolYear: '2026-2027', loginCode: 'TSTCE2', createdAt: at }).returning()
  classId = cls!.id
  classCode = cls!.loginCode
  const [teacher] = await t.db.insert(users).values({ kind: 'adult', email: 'prof@example.org', firstName: 'Paul', lastName: 'Prof', createdAt: at }).returning()
  teacherId = teacher!.id
  await t.db.insert(memberships).values({ orgId, userId: teacherId, role: 'teacher', createdAt: at })
})
afterAll(() => dropTestDatabase(t.name))

let clock: ReturnType<typeof useFakeClock> | null = null
afterEach(() => {
  clock?.restore()
  clock = null
})

// Every test comes from its own address, so the per-address throttle of one test never
// spills into another (as two schools would not share one).
let origin: { ip: string; userAgent: string }
beforeEach(() => {
  origin = { ip: `10.0.${n}.${++n}`, userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/605.1' }
})

async function makeChild(firstName: string, lastName = `Élève${n}`) {
  const at = new Date()
  const [c] = await t.db.insert(users).values({ kind: 'child', firstName, lastName, birthDate: '2017-03-14', createdAt: at }).returning()
  await t.db.insert(memberships).values({ orgId, userId: c!.id, role: 'child', createdAt: at })
  await t.db.insert(enrolments).values({ orgId, classId, childId: c!.id, createdAt: at })
  const card = await issueChildCard(t.db, { orgId, childId: c!.id })
  return { id: c!.id, ...card }
}

async function auditActions(childId: string) {
  const rows = await t.db.select({ action: auditEvents.action, outcome: auditEvents.outcome }).from(auditEvents).where(eq(auditEvents.actorId, childId))
  return rows.map((r) => `${r.action}:${r.outcome}`)
}

describe('logging in', () => {
  test('the QR card token opens a child session', async () => {
    const zoe = await makeChild('Zoé')
    const r = await loginWithCardToken(t.db, zoe.token, origin)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const check = await validateSessionToken(t.db, r.token)
    expect(check.state).toBe('valid')
    if (check.state !== 'valid') return
    expect(check.user.id).toBe(zoe.id)
    expect(check.session.kind).toBe('child')
    expect(check.session.userAgent).toContain('iPad')
    expect(await auditActions(zoe.id)).toContain('auth.child_login:success')
  })

  test('an unknown card token is refused and audited', async () => {
    const r = await loginWithCardToken(t.db, 'not-a-real-token', origin)
    expect(r).toEqual({ ok: false, reason: 'invalid' })
    const rows = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.child_login_failed'), eq(auditEvents.ip, origin.ip)))
    expect(rows).toHaveLength(1)
  })

  test('class code + name + short code opens a child session (code typed loosely)', async () => {
    const lea = await makeChild('Léa')
    const typed = `${lea.code.slice(0, 3).toLowerCase()} ${lea.code.slice(3)}`
    const r = await loginWithClassCode(t.db, { classCode: classCode.toLowerCase(), childId: lea.id, code: typed, origin })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const check = await validateSessionToken(t.db, r.token)
    expect(check.state === 'valid' && check.user.id).toBe(lea.id)
  })

  test("another child's code does not open this child's session", async () => {
    const a = await makeChild('Adam')
    const b = await makeChild('Bilal')
    const r = await loginWithClassCode(t.db, { classCode, childId: a.id, code: b.code, origin })
    expect(r).toEqual({ ok: false, reason: 'invalid' })
  })

  test('wrong code five times → throttled, even with the right code; audited as a lockout', async () => {
    const tom = await makeChild('Tom')
    for (let i = 0; i < 5; i++) {
      const r = await loginWithClassCode(t.db, { classCode, childId: tom.id, code: 'ZZZZZZ', origin })
      expect(r).toEqual({ ok: false, reason: 'invalid' })
    }
    const blocked = await loginWithClassCode(t.db, { classCode, childId: tom.id, code: tom.code, origin })
    expect(blocked.ok).toBe(false)
    expect(!blocked.ok && blocked.reason).toBe('throttled')
    // From another address the child's own code is still blocked (per child) …
    const elsewhere = await loginWithClassCode(t.db, { classCode, childId: tom.id, code: tom.code, origin: { ...origin, ip: '192.0.2.77' } })
    expect(!elsewhere.ok && elsewhere.reason).toBe('throttled')
    const actions = await auditActions(tom.id)
    expect(actions.filter((a) => a === 'auth.child_login_failed:failure')).toHaveLength(5)
    expect(actions).toContain('auth.lockout:denied')
  })

  test('the throttle lifts after 15 minutes', async () => {
    clock = useFakeClock('2026-09-07T08:00:00Z')
    const ines = await makeChild('Inès')
    for (let i = 0; i < 5; i++) await loginWithClassCode(t.db, { classCode, childId: ines.id, code: 'ZZZZZZ', origin })
    expect((await loginWithClassCode(t.db, { classCode, childId: ines.id, code: ines.code, origin })).ok).toBe(false)
    clock.advance(15 * MINUTE + 1000)
    expect((await loginWithClassCode(t.db, { classCode, childId: ines.id, code: ines.code, origin })).ok).toBe(true)
  })

  test('guessing across children from one address is throttled per address (100 in 15 minutes)', async () => {
    const kids = [await makeChild('Ana'), await makeChild('Ben'), await makeChild('Cléo')]
    for (let i = 0; i < 100; i++) {
      // A fresh (unknown) child id each time: only the address counter is shared.
      const r = await loginWithClassCode(t.db, { classCode, childId: i < 3 ? kids[i]!.id : crypto.randomUUID(), code: 'ZZZZZZ', origin })
      expect(r).toEqual({ ok: false, reason: 'invalid' })
    }
    const r = await loginWithClassCode(t.db, { classCode, childId: kids[0]!.id, code: kids[0]!.code, origin })
    expect(!r.ok && r.reason).toBe('throttled')
  })

  test('unknown class codes are throttled per address (30 in 15 minutes)', async () => {
    for (let i = 0; i < 30; i++) expect(await openClassPicker(t.db, `NOPE${i}`, origin)).toEqual({ ok: false, reason: 'invalid' })
    const r = await openClassPicker(t.db, classCode, origin)
    expect(!r.ok && r.reason).toBe('throttled')
  })
})

describe('the card', () => {
  test('a regenerated card: the old token and the old code are refused, the new ones work', async () => {
    const max = await makeChild('Max')
    const fresh = await regenerateCard(t.db, { orgId, childId: max.id, actorId: teacherId, origin })
    expect(await loginWithCardToken(t.db, max.token, origin)).toEqual({ ok: false, reason: 'invalid' })
    expect(await loginWithClassCode(t.db, { classCode, childId: max.id, code: max.code, origin })).toEqual({ ok: false, reason: 'invalid' })
    expect((await loginWithCardToken(t.db, fresh.token, origin)).ok).toBe(true)
    expect((await loginWithClassCode(t.db, { classCode, childId: max.id, code: fresh.code, origin })).ok).toBe(true)
  })

  test('printing the class cards re-issues them; the PDF holds the new codes', async () => {
    const noa = await makeChild('Noa')
    const pdf = await printLoginCards(t.db, { orgId, classId, scope: { kind: 'class' }, lang: 'fr', actorId: teacherId, origin })
    const text = (await extractPdfText(pdf.bytes)).join('\n')
    expect(text).toContain('Noa')
    expect(text).toContain('CE2 B')
    expect(await loginWithCardToken(t.db, noa.token, origin)).toEqual({ ok: false, reason: 'invalid' })
    const lines = text.split('\n')
    const printed = lines
      .slice(lines.findIndex((l) => l.trim() === 'Noa'))
      .find((l) => /^[A-Z2-9]{6}$/.test(l.trim()))!
      .trim()
    expect(printed).not.toBe(noa.code)
    expect((await loginWithClassCode(t.db, { classCode, childId: noa.id, code: printed, origin })).ok).toBe(true)
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'export.login_cards'))
    expect(audit.at(-1)?.details).toMatchObject({ classId, scope: 'class' })
  })

  test('?only=new prints only children who never had a card', async () => {
    const at = new Date()
    const [c] = await t.db.insert(users).values({ kind: 'child', firstName: 'Nouveau', lastName: 'Venu', createdAt: at }).returning()
    await t.db.insert(memberships).values({ orgId, userId: c!.id, role: 'child', createdAt: at })
    await t.db.insert(enrolments).values({ orgId, classId, childId: c!.id, createdAt: at })
    const pdf = await printLoginCards(t.db, { orgId, classId, scope: { kind: 'new' }, lang: 'fr', actorId: teacherId, origin })
    expect(pdf.count).toBe(1)
    expect((await extractPdfText(pdf.bytes)).join('\n')).toContain('Nouveau')
  })
})

describe('sessions', () => {
  test('a child session lasts 8 hours', async () => {
    clock = useFakeClock('2026-09-07T08:00:00Z')
    const eva = await makeChild('Eva')
    const r = await loginWithCardToken(t.db, eva.token, origin)
    if (!r.ok) throw new Error('login failed')
    clock.advance(7 * HOUR + 59 * MINUTE)
    expect((await validateSessionToken(t.db, r.token)).state).toBe('valid')
    clock.advance(2 * MINUTE)
    expect((await validateSessionToken(t.db, r.token)).state).toBe('none')
  })

  test("the teacher sees the child's sessions and ends one → that session is refused", async () => {
    const hugo = await makeChild('Hugo')
    const tablet = await loginWithCardToken(t.db, hugo.token, origin)
    const other = await loginWithCardToken(t.db, hugo.token, { ...origin, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120' })
    if (!tablet.ok || !other.ok) throw new Error('login failed')
    const listed = await listChildSessions(t.db, { orgId, childId: hugo.id })
    expect(listed).toHaveLength(2)
    const target = listed.find((s) => s.userAgent?.includes('iPad'))!
    await endChildSession(t.db, { orgId, childId: hugo.id, ref: target.ref, actorId: teacherId, origin })
    expect((await validateSessionToken(t.db, tablet.token)).state).toBe('none')
    expect((await validateSessionToken(t.db, other.token)).state).toBe('valid')
    const ended = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.child_session_ended'), eq(auditEvents.targetId, hugo.id)))
    expect(ended).toHaveLength(1)
    expect(ended[0]!.actorId).toBe(teacherId)
  })

  test("a teacher of another organization cannot list or end this child's sessions", async () => {
    const [otherOrg] = await t.db.insert(organizations).values({ kind: 'school', name: 'Ailleurs', createdAt: new Date() }).returning()
    const jade = await makeChild('Jade')
    const s = await loginWithCardToken(t.db, jade.token, origin)
    if (!s.ok) throw new Error('login failed')
    await expect(listChildSessions(t.db, { orgId: otherOrg!.id, childId: jade.id })).rejects.toThrow()
    const [row] = await t.db.select().from(sessions).where(eq(sessions.userId, jade.id))
    await expect(endChildSession(t.db, { orgId: otherOrg!.id, childId: jade.id, ref: row!.id.slice(0, 16), actorId: teacherId, origin })).rejects.toThrow()
    expect((await validateSessionToken(t.db, s.token)).state).toBe('valid')
  })
})

describe('refused children', () => {
  test('an archived child is refused on both paths and left out of the picker', async () => {
    const leo = await makeChild('Léo')
    await t.db
      .update(memberships)
      .set({ status: 'archived' })
      .where(and(eq(memberships.userId, leo.id), eq(memberships.orgId, orgId)))
    expect(await loginWithCardToken(t.db, leo.token, origin)).toEqual({ ok: false, reason: 'refused' })
    expect(await loginWithClassCode(t.db, { classCode, childId: leo.id, code: leo.code, origin })).toEqual({ ok: false, reason: 'refused' })
    const picker = await listClassChildrenForPicker(t.db, classCode)
    expect(picker!.children.map((c) => c.id)).not.toContain(leo.id)
    expect(await auditActions(leo.id)).toContain('auth.child_login_failed:denied')
    // The same rule, for the username/password path (no organization known there).
    expect(await childLoginRefusal(t.db, { childId: leo.id })).toBe('archived')
  })

  test('a restricted child (GDPR art. 18, set by the DPO) is refused on every path until lifted', async () => {
    const noa = await makeChild('Noa')
    await restrictSubject(t.db, { orgId, subjectId: noa.id, requestId: null, actorId: teacherId, reason: null })
    expect(await loginWithCardToken(t.db, noa.token, origin)).toEqual({ ok: false, reason: 'refused' })
    expect(await loginWithClassCode(t.db, { classCode, childId: noa.id, code: noa.code, origin })).toEqual({ ok: false, reason: 'refused' })
    expect(await childLoginRefusal(t.db, { childId: noa.id })).toBe('restricted')
    await liftRestriction(t.db, { orgId, subjectId: noa.id, actorId: teacherId })
    expect(await loginWithCardToken(t.db, noa.token, origin)).toMatchObject({ ok: true })
  })

  test('a deactivated child (deletion requested) is refused', async () => {
    const mia = await makeChild('Mia')
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, mia.id))
    expect(await loginWithCardToken(t.db, mia.token, origin)).toEqual({ ok: false, reason: 'refused' })
    expect(await loginWithClassCode(t.db, { classCode, childId: mia.id, code: mia.code, origin })).toEqual({ ok: false, reason: 'refused' })
  })
})

describe('the picker', () => {
  test('shows first names and the initial of the last name only', async () => {
    await makeChild('Zoé', 'Müller')
    const picker = await listClassChildrenForPicker(t.db, classCode)
    expect(picker!.className).toBe('CE2 B')
    const zoe = picker!.children.find((c) => c.label === 'Zoé M.')
    expect(zoe).toBeTruthy()
    expect(Object.keys(zoe!).sort()).toEqual(['id', 'label'])
    expect(JSON.stringify(picker)).not.toContain('Müller')
    expect(JSON.stringify(picker)).not.toContain('2017')
  })

  test('two children who would look the same get the shortest telling prefix', () => {
    const labels = pickerLabels([
      { id: '1', firstName: 'Lucas', lastName: 'Dupont' },
      { id: '2', firstName: 'Lucas', lastName: 'Durand' },
      { id: '3', firstName: 'Emma', lastName: "O'Brien" },
    ]).map((c) => c.label)
    expect(labels).toEqual(['Lucas Dup.', 'Lucas Dur.', 'Emma O.'])
  })

  test('an unknown class code shows nobody', async () => {
    expect(await listClassChildrenForPicker(t.db, 'ZZZZZZ')).toBeNull()
  })
})

describe('username and password', () => {
  test('the teacher sets a username and an 8-character password; the child logs in with them', async () => {
    const sam = await makeChild('Samuel')
    await expect(setChildUsernamePassword(t.db, { orgId, childId: sam.id, username: 'sam.b', password: 'court', actorId: teacherId, origin })).rejects.toMatchObject({
      code: 'children.password_too_short',
    })
    await expect(setChildUsernamePassword(t.db, { orgId, childId: sam.id, username: 'sam.b', password: 'password', actorId: teacherId, origin })).rejects.toMatchObject({
      code: 'children.password_common',
    })
    await setChildUsernamePassword(t.db, { orgId, childId: sam.id, username: 'Sam.B', password: 'girafe-72', actorId: teacherId, origin })
    const r = await loginWithPassword(t.db, 'sam.b', 'girafe-72', origin)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const check = await validateSessionToken(t.db, r.token)
    expect(check.state === 'valid' && check.session.kind).toBe('child')
    const other = await makeChild('Autre')
    await expect(setChildUsernamePassword(t.db, { orgId, childId: other.id, username: 'sam.b', password: 'girafe-72', actorId: teacherId, origin })).rejects.toMatchObject({
      code: 'children.username_taken',
    })
  })
})
