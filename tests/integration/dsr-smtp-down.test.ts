// Issue 12 §11: an SMTP server that is down never loses or rolls back a rights request. The
// public request is stored, verified, counted (deadlines set) and forwarded to the school while
// SMTP refuses every connection; its mails wait in the outbox and go out when SMTP returns.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { notifications, outboxMails, rightsRequests } from '../../drizzle/schema'
import { HOUR } from '~/clock.server'
import { closeMailTransport } from '~/mail/delivery.server'
import { closeQueues } from '~/queue/job.server'
import * as publicForm from '~/routes/rights-request'
import * as verifyPage from '~/routes/rights-request_.verify'
import { startWorkers, type WorkersHandle } from '../../workers/runtime.server'
import { dsrForwardJob } from '../../workers/jobs/dsr-forward.server'
import { mailDeliverJob } from '../../workers/jobs/mail.server'
import { freePort } from '../../server/embedded-postgres'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { startSmtp } from '../helpers/smtp'
import { post } from './dsr-helpers'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL

let t: Awaited<ReturnType<typeof useTestDatabase>>
let workers: WorkersHandle | null = null
const quiet = { info() {}, warn() {}, error: console.error }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(async () => {
  await workers?.stop()
  closeMailTransport()
  delete process.env.SMTP_URL
  delete process.env.MAIL_RETRY_BASE_MS
  await closeQueues()
  await dropTestDatabase(t.name)
})

test('SMTP down: a public rights request is received, its deadlines set and forwarded; its mails go out when SMTP returns', async () => {
  const port = await freePort() // nobody listens: every SMTP connection is refused
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  process.env.MAIL_RETRY_BASE_MS = '300'
  workers = await startWorkers({ log: quiet, jobs: [dsrForwardJob, mailDeliverJob] })

  const org = await makeOrg(t.db, 'school', `École ${randomBytes(3).toString('hex')}`)
  const cls = await makeClass(t.db, org.id)
  await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Ömer', lastName: 'Yılmaz', birthDate: '2017-06-21' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const email = `ayse.${randomBytes(3).toString('hex')}@example.org`

  const res = (await post(publicForm.action, '/rights-request', {}, null, {
    intent: 'submit',
    orgId: org.id,
    kind: 'access',
    relation: 'guardian',
    requesterName: 'Ayşe Yılmaz',
    requesterEmail: email,
    subjectFirstName: 'Omer',
    subjectLastName: 'YILMAZ',
    subjectBirthDate: '2017-06-21',
    message: '',
  })) as Response
  expect(res.status).toBe(302)
  const id = new URL(res.headers.get('location')!, 'http://x').searchParams.get('id')!
  // The code mail could not be sent, and the request is kept all the same.
  const [codeMail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email))
  await expect.poll(async () => (await t.db.select().from(outboxMails).where(eq(outboxMails.id, codeMail!.id)))[0]!.lastError, { timeout: 10_000 }).toMatch(/ECONNREFUSED|connect/i)
  expect(['pending', 'sending']).toContain((await t.db.select().from(outboxMails).where(eq(outboxMails.id, codeMail!.id)))[0]!.status)
  const code = codeMail!.text.match(/(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i)![1]!

  const ok = await post(verifyPage.action, `/rights-request/verify?id=${id}`, {}, null, { intent: 'verify', code })
  expect(ok.status).toBe('success')
  await expect.poll(async () => (await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, id)))[0]!.status, { timeout: 15_000 }).toBe('forwarded')
  const r = (await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, id)))[0]!
  expect(r.receivedAt).not.toBeNull()
  expect(r.dueAt).not.toBeNull()
  expect(r.forwardDueAt!.getTime() - r.receivedAt!.getTime()).toBe(48 * HOUR)
  expect(r.forwardedAt).not.toBeNull()
  for (const who of [dpo, admin]) {
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, who.id), eq(notifications.refId, id))),
    ).toHaveLength(1)
  }
  const recipients = [email, dpo.email!, admin.email!]
  const mails = () => t.db.select().from(outboxMails).where(inArray(outboxMails.to, recipients))
  // Code, forward to the DPO and to the administrator, receipt to the requester: all waiting.
  const waiting = await mails()
  expect(waiting).toHaveLength(4)
  expect(waiting.filter((m) => m.status === 'pending' || m.status === 'sending')).toHaveLength(4)

  const smtp = await startSmtp({ port })
  try {
    await expect.poll(async () => (await mails()).map((m) => m.status), { timeout: 20_000 }).toEqual(['sent', 'sent', 'sent', 'sent'])
    expect(smtp.received.map((m) => m.to).sort()).toEqual([...recipients, email].sort())
    expect(smtp.received.find((m) => m.to === dpo.email)!.raw).toContain(r.reference)
  } finally {
    await workers.stop()
    workers = null
    closeMailTransport()
    await smtp.stop()
  }
})
