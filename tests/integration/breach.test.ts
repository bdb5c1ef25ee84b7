// Breach register (DPA §10.2, GDPR Art. 33): the operator records a breach, each affected
// organization's admins and DPO are told at once (in the app and by email) with the Art. 33(3)
// contents; information follows in phases; each controller has its own 72-hour clock from when
// it was informed, records its steps, and downloads the notification as PDF.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { breachOrgs, notifications, outboxMails } from '../../drizzle/schema'
import { HOUR, MINUTE, useFakeClock } from '~/clock.server'
import { breachNotificationPdf } from '~/privacy/breaches/pdf.server'
import { addBreachInfo, breachForOrg, clock72, orgBreaches, recordBreach, recordControllerSteps, unreadBreachNotices } from '~/privacy/breaches/register.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import * as pdfRoute from '~/routes/org.$orgId.breaches_.$breachId_.pdf'
import * as detailRoute from '~/routes/org.$orgId.breaches_.$breachId'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'
import { cookieFor, get } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  clock?.restore()
  clock = null
})

const contents = {
  nature: 'Accès non autorisé à une sauvegarde exposée par erreur',
  subjectCategories: 'Élèves, responsables légaux',
  approxSubjects: 120,
  recordCategories: "Noms, classes, résultats d'évaluation",
  approxRecords: 3400,
  consequences: 'Divulgation de résultats scolaires',
  measures: 'Sauvegarde retirée, clés changées, journaux analysés',
}

test('recorded by the operator, notified at once to each affected organization with the Art. 33(3) contents; others are not told', async () => {
  clock = useFakeClock('2026-11-10T08:00:00Z')
  const a = await makeOrg(t.db, 'school', 'École Alpha')
  const b = await makeOrg(t.db, 'school', 'École Beta')
  const c = await makeOrg(t.db, 'school', 'École Gamma')
  const adminA = await makeAdult(t.db, { orgId: a.id, role: 'admin' })
  const dpoA = await makeAdult(t.db, { orgId: a.id, role: 'dpo' })
  const dpoB = await makeAdult(t.db, { orgId: b.id, role: 'dpo' })
  const dpoC = await makeAdult(t.db, { orgId: c.id, role: 'dpo' })
  const operator = await makeAdult(t.db)

  const breach = await recordBreach(t.db, { ...contents, detectedAt: new Date('2026-11-09T22:00:00Z'), orgIds: [a.id, b.id], by: operator.id })
  expect(breach.reference).toMatch(/^BRE-2026-\d{4}$/)
  for (const u of [adminA, dpoA, dpoB]) {
    const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, u.email!))
    for (const part of [contents.nature, contents.subjectCategories, '≈ 120', '≈ 3400', contents.consequences, contents.measures, breach.reference]) expect(mail!.text).toContain(part)
    expect(mail!.text).toContain('13 nov. 2026') // the 72-hour deadline, Paris time
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, u.id), eq(notifications.refId, breach.id))),
    ).toHaveLength(1)
  }
  expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, dpoC.email!))).toHaveLength(0)
  expect(await orgBreaches(t.db, c.id)).toHaveLength(0)
  const [rowA] = await t.db
    .select()
    .from(breachOrgs)
    .where(and(eq(breachOrgs.breachId, breach.id), eq(breachOrgs.orgId, a.id)))
  expect(rowA!.recipients).toBe(2)
  // In the app: the navigation counts the unread notice until the DPO opens the breach.
  expect((await unreadBreachNotices(t.db, dpoA.id)).get(a.id)).toBe(1)
  const page = await get(detailRoute.loader, `/org/${a.id}/breaches/${breach.id}`, { orgId: a.id, breachId: breach.id }, await cookieFor(t.db, dpoA))
  expect(page.b.nature).toBe(contents.nature)
  expect(page.clock.state).toBe('running')
  expect((await unreadBreachNotices(t.db, dpoA.id)).get(a.id)).toBeUndefined()
  expect((await unreadBreachNotices(t.db, adminA.id)).get(a.id)).toBe(1)
})

test("each controller's 72-hour clock runs from when it was informed; steps recorded; information in phases; the PDF", async () => {
  clock = useFakeClock('2026-11-10T08:00:00Z')
  const a = await makeOrg(t.db, 'school', 'École Delta')
  const b = await makeOrg(t.db, 'school', 'École Epsilon')
  const dpoA = await makeAdult(t.db, { orgId: a.id, role: 'dpo' })
  const dpoB = await makeAdult(t.db, { orgId: b.id, role: 'dpo' })
  const operator = await makeAdult(t.db)
  const breach = await recordBreach(t.db, { ...contents, detectedAt: new Date('2026-11-10T07:00:00Z'), orgIds: [a.id], by: operator.id, approxSubjects: null })

  // 71 hours later: still running, one hour left.
  clock.advance(71 * HOUR)
  let view = await breachForOrg(t.db, a.id, breach.id)
  expect(view.clock).toMatchObject({ state: 'running' })
  expect(view.clock.deadline.toISOString()).toBe('2026-11-13T08:00:00.000Z')
  expect(Math.round(view.clock.remainingMs / MINUTE)).toBe(60)
  // The processor adds information: told again (phase 2); the count becomes known.
  await addBreachInfo(t.db, { breachId: breach.id, orgId: null, by: operator.id, text: 'Nombre de personnes établi : 118.', approxSubjects: 118 })
  const mails = await t.db.select().from(outboxMails).where(eq(outboxMails.to, dpoA.email!))
  expect(mails).toHaveLength(2)
  expect(mails.some((m) => m.text.includes('Nombre de personnes établi : 118.'))).toBe(true)
  // The DPO notifies the CNIL at 71h30: on time.
  clock.advance(30 * MINUTE)
  await recordControllerSteps(t.db, {
    breachId: breach.id,
    orgId: a.id,
    by: dpoA.id,
    steps: { notifiedAt: new Date('2026-11-13T07:30:00Z'), reference: 'CNIL-2026-4411', subjectsInformed: 'yes', subjectsInformedAt: null },
  })
  view = await breachForOrg(t.db, a.id, breach.id)
  expect(view.clock.state).toBe('notified_on_time')
  expect(view.org.subjectsInformed).toBe('yes')
  expect(view.org.subjectsInformedAt).not.toBeNull()

  // Organization B is added to the breach later (informed now): its own clock starts now.
  const later = await recordBreach(t.db, { ...contents, detectedAt: new Date('2026-11-10T07:00:00Z'), orgIds: [b.id], by: operator.id })
  expect((await breachForOrg(t.db, b.id, later.id)).clock.deadline.toISOString()).toBe('2026-11-16T07:30:00.000Z')
  // Without any step, after 72 hours: overdue.
  clock.advance(73 * HOUR)
  expect((await breachForOrg(t.db, b.id, later.id)).clock.state).toBe('overdue')
  expect(clock72(new Date('2026-11-10T00:00:00Z'), new Date('2026-11-13T00:00:01Z')).state).toBe('notified_late')

  // The notification as PDF, with the contents, the phases and the clock.
  const pdf = await breachNotificationPdf(t.db, { orgId: a.id, breachId: breach.id, lang: 'fr' })
  const text = (await extractPdfText(pdf.bytes)).join('\n')
  for (const part of [breach.reference, 'École Delta', contents.nature, '≈ 118', contents.measures, 'CNIL-2026-4411', 'notifiée dans les 72 h', 'Nombre de personnes établi : 118.'])
    expect(text).toContain(part)
  // Through the route, as the DPO; another school's DPO gets a 404.
  const ok = (await get(pdfRoute.loader, `/org/${a.id}/breaches/${breach.id}/pdf`, { orgId: a.id, breachId: breach.id }, await cookieFor(t.db, dpoA))) as Response
  expect(ok.headers.get('content-type')).toBe('application/pdf')
  const other = (await get(pdfRoute.loader, `/org/${b.id}/breaches/${breach.id}/pdf`, { orgId: b.id, breachId: breach.id }, await cookieFor(t.db, dpoB))) as Response
  expect(other.status).toBe(404)
})
