import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { objectToChange, orgView } from '~/privacy/subprocessors/register.server'
import { objectionSchema } from '~/privacy/subprocessors/objection.schema'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, DataTable, FormNotice, PageHeader, Section, StatusBadge, type Column } from '~/ui/kit'
import { activityLabel } from '~/privacy/subprocessors/activities'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.subprocessors')
// The processor's sub-processors (DPA §8, Annex C) and the announced changes, each with this
// organization's own objection deadline (7 business days); an objection goes to the consent log.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const v = await orgView(ctx.db, orgId)
  const at = new Date()
  return {
    register: v.register.map((s) => ({ id: s.id, name: s.name, registrationNumber: s.registrationNumber, activity: s.activity, transfer: s.personalDataTransfer, contract: s.contract })),
    changes: v.changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      registrationNumber: c.registrationNumber,
      activity: c.activity,
      transfer: c.transfer,
      contract: c.contract,
      description: c.description,
      notifiedAt: c.notifiedAt.toISOString(),
      deadline: c.deadline.toISOString(),
      objectedAt: c.objectedAt?.toISOString() ?? null,
      open: !c.objectedAt && c.deadline > at,
    })),
  }
}

// One form: object to an announced change (irreversible: the ConfirmForm's ticked box).
const schema = z.discriminatedUnion('intent', [objectionSchema.extend({ intent: z.literal('object') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    await objectToChange(ctx.db, { orgId, changeId: form.value.changeId, by: ctx.user.id, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'retention.sub.objected'))
  } catch (e) {
    return form.error(e)
  }
}

type Sub = Awaited<ReturnType<typeof loader>>['register'][number]

export default function SubprocessorsPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const columns: Column<Sub>[] = [
    { header: t('retention.sub.col_name'), cell: (s) => s.name },
    { header: t('retention.sub.col_siret'), cell: (s) => s.registrationNumber },
    { header: t('retention.sub.col_activity'), cell: (s) => activityLabel(t.lang, s.activity) },
    { header: t('retention.sub.transfer'), cell: (s) => t(s.transfer ? 'retention.yes' : 'retention.no') },
    { header: t('retention.sub.col_contract'), cell: (s) => s.contract },
  ]
  return (
    <div className="container">
      <PageHeader title={t('retention.sub.title')} subtitle={t('retention.sub.intro')} />
      <FormNotice />
      {d.changes.length > 0 && (
        <Section title={t('retention.sub.changes')}>
          {d.changes.map((c) => (
            <Section key={c.id} level={3} title={`${t(`retention.sub.kind.${c.kind}`)} : ${c.name}`}>
              <p>{c.description}</p>
              <p className="hint">
                {c.registrationNumber} · {activityLabel(t.lang, c.activity)} · {t('retention.sub.transfer')} : {t(c.transfer ? 'retention.yes' : 'retention.no')} · {c.contract}
              </p>
              <p>{t('retention.sub.deadline', { received: formatDate(t.lang, c.notifiedAt, true), deadline: formatDate(t.lang, c.deadline, true) })}</p>
              {c.objectedAt ? (
                <StatusBadge tone="warn">{t('retention.sub.objected_on', { at: formatDate(t.lang, c.objectedAt, true) })}</StatusBadge>
              ) : c.open ? (
                <ConfirmForm
                  intent="object"
                  hidden={{ changeId: c.id }}
                  consequences={[t('retention.sub.object_logged'), t('retention.sub.object_operator')]}
                  cancelWindow={t('retention.sub.object_final', { deadline: formatDate(t.lang, c.deadline, true) })}
                  submit={t('retention.sub.object')}
                  busy={busy}
                />
              ) : (
                <span className="muted">{t('retention.sub.closed')}</span>
              )}
            </Section>
          ))}
        </Section>
      )}
      <Section title={t('retention.sub.register')}>
        <DataTable label={t('retention.sub.register')} columns={columns} rows={d.register} rowKey={(s) => s.id} empty={t('common.none')} />
      </Section>
    </div>
  )
}
