// The SMTP transport. Only the delivery of the outbox talks to it (delivery.server.ts, run by
// the mail-deliver job and the outbox sweep, never inside a database transaction); everything
// else writes mail to the outbox with queueMail(). Enforced three ways: ESLint forbids importing
// nodemailer or this module anywhere else, tests/integration/mail.test.ts checks the sources, and
// smtpSend() refuses to run outside a delivery.
import { AsyncLocalStorage } from 'node:async_hooks'
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'

const delivering = new AsyncLocalStorage<true>()

/** Marks `fn` as the outbox delivery: the only code allowed to call smtpSend(). */
export function asDelivery<T>(fn: () => Promise<T>): Promise<T> {
  return delivering.run(true, fn)
}

let transport: Transporter | null = null
let transportUrl: string | null = null

function transportFor(url: string): Transporter {
  if (!transport || transportUrl !== url) {
    void transport?.close()
    transport = nodemailer.createTransport({
      url,
      // A few long-lived connections: a burst is sent over them without a handshake per mail.
      pool: true,
      maxConnections: Number(process.env.MAIL_SMTP_CONNECTIONS ?? 5),
      maxMessages: 1000,
      // Bounded, so a delivery never outlives its lease (MAIL_LEASE) and a dead server fails fast.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    })
    transportUrl = url
  }
  return transport
}

export type SmtpResult = { messageId: string; response: string }

export async function smtpSend(url: string, message: SendMailOptions): Promise<SmtpResult> {
  if (!delivering.getStore()) throw new Error('SMTP is used only by the outbox delivery (mail-deliver job): write the mail with queueMail() in the business transaction')
  const info = await transportFor(url).sendMail(message)
  return { messageId: String(info.messageId ?? ''), response: String(info.response ?? '') }
}

/** Closes the pooled connections (worker shutdown, tests). */
export function closeSmtp() {
  transport?.close()
  transport = null
  transportUrl = null
}
