import { type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { config } from '~/config.server'
import { formatDate, useT } from '~/i18n'
import { latestOutboxMails } from '~/mail/outbox.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { PageHeader } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

// Development only: lets a newcomer follow emailed links without an SMTP server.
export const meta = pageTitle('title.mailbox')
export const handle = { access: { allow: 'everyone', note: 'absent (404) in production, with SMTP_URL, or to a client not on this machine' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  if (!config.devMailboxFor(request)) throw new Response('Not found', { status: 404 })
  const ctx = baseContext(request)
  const mails = await latestOutboxMails(ctx.db, { limit: 50 })
  return { mails: mails.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, at: m.createdAt.toISOString() })) }
}

export default function Mailbox() {
  const t = useT()
  const { mails } = useLoaderData<typeof loader>()
  return (
    <div className="container">
      <PageHeader title={t('mailbox.title')} subtitle={t('mailbox.body')} />
      {mails.length === 0 && <p className="empty">{t('mailbox.empty')}</p>}
      {mails.map((m) => (
        <article key={m.id} className="card mail" data-to={m.to}>
          <h2>{m.subject}</h2>
          <p className="muted">
            → {m.to} · {formatDate(t.lang, m.at, true)}
          </p>
          <pre className="mail-text">
            {m.text.split(/(https?:\/\/\S+)/g).map((part, i) =>
              part.match(/^https?:\/\//) ? (
                <a key={i} href={part}>
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </pre>
        </article>
      ))}
    </div>
  )
}
