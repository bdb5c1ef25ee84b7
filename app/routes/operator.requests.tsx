import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { formatDate, t as translate, useT } from '~/i18n'
import { operatorAnswer } from '~/privacy/rights-requests/handling.server'
import { operatorAnswerSchema } from '~/privacy/rights-requests/intake.schema'
import { operatorRegister } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, FormNotice, PageHeader, plainField, StatusBadge, TextareaField, type Column, type FormResult } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_requests')
// The platform operator (platform_operators) only — no matrix persona is one. Forwarding facts
// of every request; answering one is refused unless the school recorded a written instruction.
export const handle = { access: { allow: [], note: 'platform operator only (platform_operators)' } satisfies RouteAccess }

async function operator(request: Request) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await operator(request)
  const rows = await operatorRegister(ctx.db)
  return {
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      orgName: r.orgName,
      kind: r.kind,
      channel: r.channel,
      status: r.status,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      forwardDueAt: r.forwardDueAt?.toISOString() ?? null,
      forwardedAt: r.forwardedAt?.toISOString() ?? null,
      forwardingLate: r.forwardingLate,
      dueAt: r.effectiveDueAt?.toISOString() ?? null,
      urgency: r.urgency,
      instruction: r.writtenInstructionRef,
    })),
  }
}

// One form per row: the platform's answer, once the school gave a written instruction.
const schema = z.discriminatedUnion('intent', [operatorAnswerSchema.extend({ intent: z.literal('answer') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await operator(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    await operatorAnswer(ctx.db, { requestId: form.value.requestId, operatorId: ctx.user.id, note: form.value.note, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'dsr.operator.answered'))
  } catch (e) {
    return form.error(e)
  }
}

const URGENCY_TONE = { overdue: 'bad', nearly_due: 'warn', on_time: 'neutral', closed: 'ok', unverified: 'neutral' } as const

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]

/** The answer form of one request; the server's answer about this row's note shows on it. */
function AnswerForm({ row, busy }: { row: Row; busy: boolean }) {
  const t = useT()
  const result = useActionData() as FormResult | undefined
  const mine = result?.for === 'answer' && result.initialValue?.requestId === row.id
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="requestId" value={row.id} />
      <TextareaField
        meta={plainField('note', {
          id: `note-${row.id}`,
          required: true,
          error: mine ? result.error?.note?.join(' ') : null,
          defaultValue: mine && result.status !== 'success' ? String(result.initialValue?.note ?? '') : undefined,
        })}
        label={t('dsr.operator.instruction', { ref: row.instruction ?? '' })}
        rows={2}
      />
      <button type="submit" className="secondary" disabled={busy}>
        {t('dsr.operator.send_answer')}
      </button>
    </Form>
  )
}

export default function OperatorRequestsPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const columns: Column<Row>[] = [
    {
      header: t('dsr.reference'),
      rowHeader: true,
      cell: (r) => (
        <>
          {r.reference}
          <br />
          <small className="muted">{t(`dsr.channel.${r.channel}`)}</small>
        </>
      ),
    },
    { header: t('dsr.operator.org'), cell: (r) => r.orgName },
    { header: t('dsr.kind'), cell: (r) => t(`dsr.kind.${r.kind}`) },
    { header: t('dsr.received_at'), cell: (r) => formatDate(t.lang, r.receivedAt, true) },
    {
      header: t('dsr.forwarded_at'),
      cell: (r) => (
        <>
          {r.forwardedAt ? formatDate(t.lang, r.forwardedAt, true) : t('dsr.forward_due', { date: formatDate(t.lang, r.forwardDueAt, true) })}
          {r.forwardingLate && (
            <>
              {' '}
              <StatusBadge tone="bad">{t('dsr.forward_late')}</StatusBadge>
            </>
          )}
        </>
      ),
    },
    {
      header: t('dsr.due_at'),
      cell: (r) => (
        <>
          {formatDate(t.lang, r.dueAt)} <StatusBadge tone={URGENCY_TONE[r.urgency]}>{t(`dsr.urgency.${r.urgency}`)}</StatusBadge>
        </>
      ),
    },
    {
      header: t('dsr.operator.answer'),
      cell: (r) => (r.instruction ? <AnswerForm row={r} busy={busy} /> : <small className="muted">{t('dsr.operator.no_instruction_short')}</small>),
    },
  ]
  return (
    <div className="container">
      <PageHeader
        title={t('dsr.operator.title')}
        subtitle={t('dsr.operator.intro')}
        actions={
          <Link className="button" to="/operator/requests/new">
            {t('dsr.operator.log')}
          </Link>
        }
      />
      <FormNotice />
      <DataTable label={t('dsr.operator.title')} columns={columns} rows={data.rows} rowKey={(r) => r.id} empty={t('dsr.list.none')} />
    </div>
  )
}
