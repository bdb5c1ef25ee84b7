import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { discardDeadLetter, mailDeliveryView, resendDeadLetter } from '~/privacy/outbox/dead-letters.server'
import { deadLetterSchema } from '~/privacy/outbox/dead-letters.schema'
import { MAIL_KEEP_DAYS } from '~/mail/outbox.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, confirmed, DataTable, FormNotice, PageHeader, Section, StatusBadge, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_mail')
// Mail delivery (the outbox): what is waiting, and the dead letters to send again or discard.
// Platform operator only.
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const v = await mailDeliveryView(ctx.db)
  return {
    summary: { ...v.summary, oldestPendingAt: v.summary.oldestPendingAt?.toISOString() ?? null },
    maxAttempts: v.maxAttempts,
    keepDays: MAIL_KEEP_DAYS,
    dead: v.dead.map((m) => ({
      id: m.id,
      createdAt: m.createdAt.toISOString(),
      to: m.to,
      subject: m.subject,
      attempts: m.attempts,
      lastAttemptAt: m.lastAttemptAt?.toISOString() ?? null,
      lastError: m.lastError ?? '',
    })),
  }
}

const schema = z.discriminatedUnion('intent', [deadLetterSchema.extend({ intent: z.literal('resend') }), deadLetterSchema.extend({ intent: z.literal('discard'), confirm: confirmed })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'manage', 'PlatformRegister', {})
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, origin: ctx.origin }
  try {
    if (v.intent === 'resend') {
      const row = await resendDeadLetter(ctx.db, { mailId: v.mailId, by })
      return form.success(translate(ctx.lang, 'retention.mail.resent', { to: row.to }))
    }
    const row = await discardDeadLetter(ctx.db, { mailId: v.mailId, by })
    return form.success(translate(ctx.lang, 'retention.mail.discarded', { to: row.to }))
  } catch (e) {
    return form.error(e)
  }
}

type Dead = Awaited<ReturnType<typeof loader>>['dead'][number]

export default function OperatorMailPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const columns: Column<Dead>[] = [
    { header: t('retention.mail.col_created'), cell: (m) => formatDate(t.lang, m.createdAt, true) },
    { header: t('retention.mail.col_to'), rowHeader: true, cell: (m) => <span className="break-all">{m.to}</span> },
    { header: t('retention.mail.col_subject'), cell: (m) => m.subject },
    { header: t('retention.mail.col_attempts'), cell: (m) => `${m.attempts} · ${formatDate(t.lang, m.lastAttemptAt, true)}` },
    { header: t('retention.mail.col_error'), cell: (m) => <span className="break-all">{m.lastError}</span> },
    {
      header: t('retention.mail.col_actions'),
      hiddenHeader: true,
      cell: (m) => (
        <>
          <Form method="post">
            <input type="hidden" name="intent" value="resend" />
            <input type="hidden" name="mailId" value={m.id} />
            <button type="submit" disabled={busy}>
              {t('retention.mail.resend')}
            </button>
          </Form>
          <ConfirmForm
            intent="discard"
            hidden={{ mailId: m.id }}
            open={t('retention.mail.discard')}
            consequences={[t('retention.mail.discard_confirm', { to: m.to })]}
            submit={t('retention.mail.discard_submit')}
            busy={busy}
          />
        </>
      ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('retention.mail.operator_title')} subtitle={t('retention.mail.operator_intro')} />
      <FormNotice />
      <Section title={t('retention.mail.state')}>
        <ul className="plain-list">
          <li data-state="pending">
            {d.summary.pending > 0 ? (
              <StatusBadge tone="warn">{t('retention.mail.pending', { n: d.summary.pending })}</StatusBadge>
            ) : (
              <StatusBadge tone="ok">{t('retention.mail.pending', { n: 0 })}</StatusBadge>
            )}
            {d.summary.oldestPendingAt && <> {t('retention.mail.oldest', { at: formatDate(t.lang, d.summary.oldestPendingAt, true) })}</>}
          </li>
          <li data-state="sent">{t('retention.mail.sent', { n: d.summary.sent, days: d.keepDays })}</li>
          <li data-state="dead">
            <StatusBadge tone={d.summary.dead > 0 ? 'bad' : 'ok'}>{t('retention.mail.dead', { n: d.summary.dead })}</StatusBadge>
          </li>
        </ul>
      </Section>
      <Section title={t('retention.mail.dead_title')}>
        <p className="muted">{t('retention.mail.dead_intro', { n: d.maxAttempts })}</p>
        <DataTable label={t('retention.mail.dead_title')} columns={columns} rows={d.dead} rowKey={(m) => m.id} rowAttributes={(m) => ({ 'data-mail': m.id })} empty={t('retention.mail.no_dead')} />
      </Section>
    </div>
  )
}
