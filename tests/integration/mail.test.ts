import { afterAll, beforeAll, expect, test } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { eq } from 'drizzle-orm'
import { outboxMails } from '../../drizzle/schema'
import { sendMail } from '~/mail/mailer.server'
import { freePort } from '../../server/embedded-postgres'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test('without SMTP_URL, mail lands in the development outbox', async () => {
  delete process.env.SMTP_URL
  await sendMail(t.db, { to: 'parent@example.org', subject: 'Bonjour', text: 'Lien : http://localhost/x' })
  const rows = await t.db.select().from(outboxMails).where(eq(outboxMails.to, 'parent@example.org'))
  expect(rows).toHaveLength(1)
  expect(rows[0]!.text).toContain('http://localhost/x')
})

test('with SMTP_URL, mail goes to a real SMTP server and not to the outbox', async () => {
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let data = ''
      stream.on('data', (c) => (data += c))
      stream.on('end', () => {
        received.push(data)
        callback()
      })
    },
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  try {
    await sendMail(t.db, { to: 'enseignante@example.org', subject: 'Invitation Carnet', text: 'Bienvenue Zoé' })
  } finally {
    delete process.env.SMTP_URL
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  expect(received).toHaveLength(1)
  expect(received[0]).toContain('To: enseignante@example.org')
  expect(received[0]).toContain('Invitation Carnet')
  expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, 'enseignante@example.org'))).toHaveLength(0)
})
