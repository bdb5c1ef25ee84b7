// The emails of a rights request. Mails to the school's DPO and admins carry the reference,
// the kind and the dates, and a link — the details stay in Carnet, behind a login.
import type { DsrKind, DsrOutcome } from '../../../drizzle/schema'
import { config } from '../../config.server'
import { formatDate, t, type Lang } from '../../i18n'
import type { Mail } from '../../mail/outbox.server'

type Req = { id: string; orgId: string; reference: string; kind: DsrKind; receivedAt: Date | null; dueAt: Date | null; extendedDueAt: Date | null; forwardedAt?: Date | null }

const due = (r: Req) => r.extendedDueAt ?? r.dueAt
const link = (r: Req) => `${config.appUrl}/org/${r.orgId}/dpo/requests/${r.id}`

export function codeMail(lang: Lang, to: string, a: { code: string; reference: string; orgName: string }): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.code_subject', { reference: a.reference }),
    text: t(lang, 'dsr.mail.code_text', { code: a.code, reference: a.reference, org: a.orgName }),
  }
}

export function forwardedMail(lang: Lang, to: string, userId: string, r: Req, orgName: string): Mail {
  return {
    to,
    userId,
    subject: t(lang, 'dsr.mail.forwarded_subject', { reference: r.reference }),
    text: t(lang, 'dsr.mail.forwarded_text', {
      reference: r.reference,
      kind: t(lang, `dsr.kind.${r.kind}`),
      org: orgName,
      received: formatDate(lang, r.receivedAt, true),
      due: formatDate(lang, due(r), true),
      link: link(r),
    }),
  }
}

/** The receipt, with where to follow the request: its status link, or "My requests" for a request filed in the app. */
export function receiptMail(lang: Lang, to: string, r: Req, orgName: string, follow: string): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.receipt_subject', { reference: r.reference }),
    text: t(lang, 'dsr.mail.receipt_text', {
      reference: r.reference,
      kind: t(lang, `dsr.kind.${r.kind}`),
      org: orgName,
      received: formatDate(lang, r.receivedAt, true),
      forwarded: formatDate(lang, r.forwardedAt ?? null, true),
      due: formatDate(lang, due(r)),
      follow,
    }),
  }
}

export function reminderMail(lang: Lang, to: string, userId: string, r: Req, orgName: string, which: 'soon' | 'overdue'): Mail {
  return {
    to,
    userId,
    subject: t(lang, `dsr.mail.reminder_${which}_subject`, { reference: r.reference, due: formatDate(lang, due(r)) }),
    text: t(lang, `dsr.mail.reminder_${which}_text`, { reference: r.reference, kind: t(lang, `dsr.kind.${r.kind}`), org: orgName, due: formatDate(lang, due(r), true), link: link(r) }),
  }
}

export function extensionMail(lang: Lang, to: string, r: Req, orgName: string, reason: string): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.extension_subject', { reference: r.reference }),
    text: t(lang, 'dsr.mail.extension_text', { reference: r.reference, org: orgName, due: formatDate(lang, due(r)), reason }),
  }
}

export function closedMail(lang: Lang, to: string, r: Req, orgName: string, outcome: DsrOutcome, note: string | null): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.closed_subject', { reference: r.reference }),
    text: t(lang, 'dsr.mail.closed_text', { reference: r.reference, org: orgName, outcome: t(lang, `dsr.outcome.${outcome}`), note: note?.trim() || '—' }),
  }
}

export function operatorAnswerMail(lang: Lang, to: string, r: Req, orgName: string, note: string): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.operator_subject', { reference: r.reference }),
    text: t(lang, 'dsr.mail.operator_text', { reference: r.reference, org: orgName, note }),
  }
}
