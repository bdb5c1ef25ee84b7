import nodemailer, { type Transporter } from 'nodemailer'
import { outboxMails } from '../../drizzle/schema'
import { now } from '../clock.server'
import { config } from '../config.server'
import type { DbOrTx } from '../db.server'

export type Mail = { to: string; subject: string; text: string; html?: string; userId?: string | null }

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
    await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })
    return
  }
  await db.insert(outboxMails).values({ createdAt: now(), to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, userId: mail.userId ?? null })
}
