// Mail goes through the outbox: written in the business transaction, delivered after commit by
// the mail-deliver job, retried with backoff, dead after its attempts, sent once.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { outboxMails } from '../../drizzle/schema'
import { MINUTE, useFakeClock } from '~/clock.server'
import { deliverMails, MAIL_LEASE, messageIdFor, retryDelay, sweepOutbox, closeMailTransport } from '~/mail/delivery.server'
import { latestOutboxMails, queueMail } from '~/mail/outbox.server'
import { asDelivery, smtpSend } from '~/mail/smtp.server'
import { closeQueues } from '~/queue/job.server'
import { startWorkers, type WorkersHandle } from '../../workers/runtime.server'
import { mailDeliverJob } from '../../workers/jobs/mail.server'
import { freePort } from '../../server/embedded-postgres'
import * as operatorMail from '~/routes/operator.mail'
import { auditEvents } from '../../drizzle/schema'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'
import { startSmtp } from '../helpers/smtp'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const quiet = { info() {}, warn() {}, error: console.error }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
  closeMailTransport()
  delete process.env.SMTP_URL
  delete process.env.MAIL_MAX_ATTEMPTS
  delete process.env.MAIL_RETRY_BASE_MS
})
afterAll(async () => {
  await closeQueues()
  await dropTestDatabase(t.name)
})

const row = async (id: string) => (await t.db.select().from(outboxMails).where(eq(outboxMails.id, id)))[0]!
const to = (tag: string) => `${tag}-${randomBytes(3).toString('hex')}@example.org`

test('without SMTP_URL, mail is an outbox row the development mailbox shows, and stays there once delivered', async () => {
  const id = await queueMail(t.db, { to: 'parent@example.org', subject: 'Bonjour', text: 'Lien : http://localhost/x' })
  expect((await row(id)).status).toBe('pending')
  expect((await latestOutboxMails(t.db)).map((m) => m.id)).toContain(id)
  expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ sent: 1 })
  const r = await row(id)
  expect(r.status).toBe('sent')
  expect(r.text).toContain('http://localhost/x')
})

test('a mail written in a transaction goes out only after commit, once, with the outbox id as Message-ID; a rolled-back one never', async () => {
  const smtp = await startSmtp()
  process.env.SMTP_URL = smtp.url
  try {
    const a = to('commit')
    let id = ''
    await t.db.transaction(async (tx) => {
      id = await queueMail(tx, { to: a, subject: 'Invitation Carnet', text: 'Bienvenue Zoé' })
      // Not yet committed: another connection does not see it, and nothing reached SMTP.
      expect(await t.db.select().from(outboxMails).where(eq(outboxMails.id, id))).toHaveLength(0)
    })
    expect(smtp.received).toHaveLength(0)
    const b = to('rollback')
    await expect(
      t.db.transaction(async (tx) => {
        await queueMail(tx, { to: b, subject: 'Jamais', text: '…' })
        throw new Error('business change refused')
      }),
    ).rejects.toThrow('business change refused')
    expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, b))).toHaveLength(0)

    expect(await deliverMails(t.db, [id, id], quiet)).toMatchObject({ sent: 1, skipped: 1 })
    expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ sent: 0, skipped: 1 })
    expect(smtp.received.filter((m) => m.to === a)).toHaveLength(1)
    expect(smtp.received[0]!.messageId).toBe(messageIdFor(id))
    expect(smtp.received[0]!.raw).toContain('Bienvenue Zo')
    const r = await row(id)
    expect(r).toMatchObject({ status: 'sent', attempts: 1, text: '', html: null })
  } finally {
    closeMailTransport()
    await smtp.stop()
  }
})

test('two workers delivering the same mail at once send it once; a worker that died mid-send is taken over after its lease, with the same Message-ID', async () => {
  const smtp = await startSmtp()
  process.env.SMTP_URL = smtp.url
  try {
    const a = to('race')
    const id = await queueMail(t.db, { to: a, subject: 'Une fois', text: 'x' })
    await Promise.all([deliverMails(t.db, [id], quiet), deliverMails(t.db, [id], quiet), deliverMails(t.db, [id], quiet)])
    expect(smtp.received.filter((m) => m.to === a)).toHaveLength(1)

    // A worker claimed this one and died: while its lease holds, nobody sends it.
    clock = useFakeClock('2026-03-02T08:00:00Z')
    const b = to('crash')
    const id2 = await queueMail(t.db, { to: b, subject: 'Reprise', text: 'y' })
    await t.db
      .update(outboxMails)
      .set({ status: 'sending', attempts: 1, leaseUntil: new Date(Date.parse('2026-03-02T08:00:00Z') + MAIL_LEASE) })
      .where(eq(outboxMails.id, id2))
    expect(await deliverMails(t.db, [id2], quiet)).toMatchObject({ skipped: 1 })
    expect(await sweepOutbox(t.db, quiet)).toMatchObject({ sent: 0 })
    clock.advance(MAIL_LEASE + MINUTE)
    expect(await sweepOutbox(t.db, quiet)).toMatchObject({ sent: 1 })
    const got = smtp.received.filter((m) => m.to === b)
    expect(got).toHaveLength(1)
    expect(got[0]!.messageId).toBe(messageIdFor(id2))
    expect(await row(id2)).toMatchObject({ status: 'sent', attempts: 2 })
  } finally {
    closeMailTransport()
    await smtp.stop()
  }
})

test('SMTP down: the mail waits with exponential backoff and goes out when SMTP returns; the sweep sends a mail whose job was lost', async () => {
  process.env.MAIL_RETRY_BASE_MS = String(MINUTE)
  const port = await freePort()
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  clock = useFakeClock('2026-03-03T08:00:00Z')
  const a = to('down')
  const id = await queueMail(t.db, { to: a, subject: 'Patience', text: 'z' })
  expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ retry: 1 })
  let r = await row(id)
  expect(r).toMatchObject({ status: 'pending', attempts: 1 })
  expect(r.lastError).toMatch(/ECONNREFUSED|connect/i)
  expect(r.nextAttemptAt.getTime() - Date.parse('2026-03-03T08:00:00Z')).toBe(MINUTE)
  clock.advance(MINUTE)
  await deliverMails(t.db, [id], quiet)
  r = await row(id)
  expect(r.nextAttemptAt.getTime() - Date.parse('2026-03-03T08:01:00Z')).toBe(2 * MINUTE)
  expect(retryDelay(3)).toBe(4 * MINUTE)

  // The sweep leaves a mail alone until its retry is overdue (its job is waiting), then sends it.
  const smtp = await startSmtp({ port })
  try {
    expect(await sweepOutbox(t.db, quiet)).toMatchObject({ due: 0 })
    clock.advance(2 * MINUTE + 3 * MINUTE)
    expect(await sweepOutbox(t.db, quiet)).toMatchObject({ sent: 1 })
    expect(smtp.received.filter((m) => m.to === a)).toHaveLength(1)
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null })
  } finally {
    closeMailTransport()
    await smtp.stop()
  }
})

test('a mail refused again and again is dead after MAIL_MAX_ATTEMPTS; one refused for good is dead at once', async () => {
  process.env.MAIL_MAX_ATTEMPTS = '4'
  const smtp = await startSmtp({ refuse: (rcpt) => (rcpt.startsWith('busy') ? { code: 451, message: 'Try again later' } : rcpt.startsWith('nobody') ? { code: 550, message: 'No such user' } : null) })
  process.env.SMTP_URL = smtp.url
  clock = useFakeClock('2026-03-04T08:00:00Z')
  try {
    const id = await queueMail(t.db, { to: to('busy'), subject: 'Réessaie', text: 'x' })
    for (let i = 1; i <= 3; i++) {
      expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ retry: 1 })
      clock.advance(retryDelay(i))
    }
    expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ dead: 1 })
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 4 })
    expect((await row(id)).lastError).toMatch(/451/)
    // Dead is final for the job and the sweep.
    clock.advance(24 * 60 * MINUTE)
    expect(await deliverMails(t.db, [id], quiet)).toMatchObject({ skipped: 1 })
    expect(await sweepOutbox(t.db, quiet)).toMatchObject({ sent: 0, dead: 0 })

    const id2 = await queueMail(t.db, { to: to('nobody'), subject: 'Inconnu', text: 'x' })
    expect(await deliverMails(t.db, [id2], quiet)).toMatchObject({ dead: 1 })
    expect(await row(id2)).toMatchObject({ status: 'dead', attempts: 1 })
    expect(smtp.received).toHaveLength(0)
  } finally {
    closeMailTransport()
    await smtp.stop()
  }
})

describe('with the workers running (BullMQ on PostgreSQL)', () => {
  let workers: WorkersHandle | null = null
  afterEach(async () => {
    await workers?.stop()
    workers = null
  })

  test('committed mail is delivered by the mail-deliver job, retried by it while SMTP is down, and sent when SMTP returns', async () => {
    process.env.MAIL_RETRY_BASE_MS = '200'
    const port = await freePort()
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
    workers = await startWorkers({ log: quiet, jobs: [mailDeliverJob] })
    const a = to('job')
    const id = await t.db.transaction((tx) => queueMail(tx, { to: a, subject: 'Par le job', text: 'x' }))
    await expect.poll(async () => (await row(id)).attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    expect((await row(id)).status).not.toBe('sent')
    const smtp = await startSmtp({ port })
    try {
      await expect.poll(async () => (await row(id)).status, { timeout: 15_000 }).toBe('sent')
      expect(smtp.received.filter((m) => m.to === a)).toHaveLength(1)
    } finally {
      await workers.stop()
      workers = null
      closeMailTransport()
      await smtp.stop()
    }
  })

  test('a failing mail ends dead after its retries, through the job', async () => {
    process.env.MAIL_RETRY_BASE_MS = '50'
    process.env.MAIL_MAX_ATTEMPTS = '3'
    const smtp = await startSmtp({ refuse: () => ({ code: 452, message: 'Mailbox full, try later' }) })
    process.env.SMTP_URL = smtp.url
    workers = await startWorkers({ log: quiet, jobs: [mailDeliverJob] })
    try {
      const ids = await t.db.transaction(async (tx) => [await queueMail(tx, { to: to('full'), subject: 'a', text: 'x' }), await queueMail(tx, { to: to('full'), subject: 'b', text: 'y' })])
      await expect.poll(async () => (await t.db.select({ s: outboxMails.status }).from(outboxMails).where(inArray(outboxMails.id, ids))).map((r) => r.s), { timeout: 15_000 }).toEqual(['dead', 'dead'])
      expect((await row(ids[0]!)).attempts).toBe(3)
    } finally {
      await workers.stop()
      workers = null
      closeMailTransport()
      await smtp.stop()
    }
  })
})

test('the platform operator sees the dead letters (recipient, subject, answer — never the body), sends one again or discards it, audited; nobody else may', async () => {
  process.env.MAIL_MAX_ATTEMPTS = '1'
  const smtp = await startSmtp({ refuse: () => ({ code: 451, message: 'Greylisted, try later' }) })
  process.env.SMTP_URL = smtp.url
  const operator = await makeAdult(t.db)
  const org = await makeOrg(t.db, 'school', `École ${randomBytes(3).toString('hex')}`)
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  process.env.CARNET_OPERATOR_IDS = operator.id
  try {
    const a = to('dead')
    const b = to('dead')
    const [idA, idB] = [await queueMail(t.db, { to: a, subject: 'Demande DSR-2026-ABCDEF', text: 'secret-reset-token' }), await queueMail(t.db, { to: b, subject: 'Autre', text: 'x' })]
    await deliverMails(t.db, [idA, idB], quiet)
    expect((await row(idA)).status).toBe('dead')

    expect(((await get(operatorMail.loader, '/operator/mail', {}, await cookieFor(t.db, dpo))) as Response).status).toBe(403)
    expect(((await post(operatorMail.action, '/operator/mail', {}, await cookieFor(t.db, dpo), { intent: 'resend', mailId: idA })) as Response).status).toBe(403)
    const cookie = await cookieFor(t.db, operator)
    const page = await get(operatorMail.loader, '/operator/mail', {}, cookie)
    expect(page.summary.dead).toBeGreaterThanOrEqual(2)
    const shown = page.dead.find((m: { id: string }) => m.id === idA)
    expect(shown).toMatchObject({ to: a, subject: 'Demande DSR-2026-ABCDEF', attempts: 1 })
    expect(shown.lastError).toMatch(/451/)
    expect(JSON.stringify(page)).not.toContain('secret-reset-token')

    // The cause is fixed (here: the server accepts again); the operator sends it again.
    closeMailTransport()
    await smtp.stop()
    const ok = await startSmtp()
    process.env.SMTP_URL = ok.url
    try {
      const res = await post(operatorMail.action, '/operator/mail', {}, cookie, { intent: 'resend', mailId: idA })
      expect(res.status).toBe('success')
      expect(await row(idA)).toMatchObject({ status: 'pending', attempts: 0 })
      await deliverMails(t.db, [idA], quiet)
      expect(ok.received.filter((m) => m.to === a)).toHaveLength(1)
    } finally {
      closeMailTransport()
      await ok.stop()
    }
    // Discarding needs the confirmation box.
    const unconfirmed = await post(operatorMail.action, '/operator/mail', {}, cookie, { intent: 'discard', mailId: idB })
    expect(unconfirmed.status).toBe('error')
    expect((await row(idB)).status).toBe('dead')
    expect((await post(operatorMail.action, '/operator/mail', {}, cookie, { intent: 'discard', mailId: idB, confirm: 'yes' })).status).toBe('success')
    expect(await t.db.select().from(outboxMails).where(eq(outboxMails.id, idB))).toHaveLength(0)
    const again = await post(operatorMail.action, '/operator/mail', {}, cookie, { intent: 'resend', mailId: idB })
    expect(again.status).toBe('error')
    const audits = await t.db
      .select({ action: auditEvents.action, targetId: auditEvents.targetId })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, operator.id), inArray(auditEvents.targetId, [idA, idB])))
    expect(audits.map((x) => x.action).sort()).toEqual(['mail.dead_letter_discarded', 'mail.dead_letter_resent'])
  } finally {
    delete process.env.CARNET_OPERATOR_IDS
    closeMailTransport()
    await smtp.stop().catch(() => {})
  }
})

describe('SMTP is reached only by the outbox delivery', () => {
  test('the transport refuses to send outside a delivery', async () => {
    await expect(smtpSend('smtp://127.0.0.1:1', { to: 'x@example.org', subject: 's', text: 't' })).rejects.toThrow(/only by the outbox delivery/)
    // …and inside one it does talk to the server (here: nobody listens).
    await expect(asDelivery(() => smtpSend('smtp://127.0.0.1:1', { to: 'x@example.org', subject: 's', text: 't' }))).rejects.toThrow(/ECONNREFUSED|connect/i)
  })

  test('no module but the transport imports nodemailer, none but the delivery imports the transport, and nothing calls sendMail', () => {
    const root = path.resolve(__dirname, '../..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name)
        if (e.isDirectory()) walk(rel)
        else if (/\.(ts|tsx|mjs)$/.test(e.name)) files.push(rel)
      }
    }
    for (const dir of ['app', 'server', 'workers', 'cli', 'scripts']) walk(dir)
    const importing = (re: RegExp) => files.filter((f) => re.test(fs.readFileSync(path.join(root, f), 'utf8'))).sort()
    expect(importing(/from ['"]nodemailer['"]/)).toEqual(['app/mail/smtp.server.ts'])
    expect(importing(/mail\/smtp\.server['"]|from ['"]\.\/smtp\.server['"]/)).toEqual(['app/mail/delivery.server.ts'])
    expect(importing(/\bsendMail\(/)).toEqual(['app/mail/smtp.server.ts'])
  })
})
