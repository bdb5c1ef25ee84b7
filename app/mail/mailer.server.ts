import nodemailer, { type Transporter } from 'nodemailer'
import { outboxMails } from '../../drizzle/schema'
import { now } from '../clock.server'
import { config } from '../config.server'
import type { DbOrTx } from '../db.server'

/** A file sent with a mail (e.g. a signed checkpoint, JSON): small, built in memory. */
export type Attachment = { filename: string; contentType: string; content: string | Buffer }
export type Mail = { to: string; subject: string; text: string; html?: string; userId?: string | null; attachments?: Attachment[] }

let transport: Transporter | null = null
let transportUrl: string | null = null

/**
 * Real SMTP when SMTP_URL is set; otherwise the development outbox (a table shown on the
 * /dev/mailbox page), so sign-up and reset links work on a laptop with nothing configured.
 */
export async function sendMail(db: DbOrTx, mail: Mail) {
  const url = config.smtpUrl
  if (url) {
    if (!transport || transportUrl !== url) {
      transport = nodemailer.createTransport(url)
      transportUrl = url
    }
    await transport.sendMail({
      from: config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    })
    return
  }
  await db.insert(outboxMails).values({
    createdAt: now(),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
    attachments: mail.attachments?.length ? mail.attachments.map(storedAttachment) : null,
    userId: mail.userId ?? null,
  })
}

/** How an attachment is kept in the outbox row: its bytes in base64. */
export type StoredAttachment = { filename: string; contentType: string; content: string }
const storedAttachment = (a: Attachment): StoredAttachment => ({
  filename: a.filename,
  contentType: a.contentType,
  content: (typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content).toString('base64'),
})

/** An outbox row's attachments, decoded (the dev mailbox, tests). */
export function outboxAttachments(row: { attachments: unknown }): { filename: string; contentType: string; content: Buffer }[] {
  const list = Array.isArray(row.attachments) ? (row.attachments as StoredAttachment[]) : []
  return list.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') }))
}
