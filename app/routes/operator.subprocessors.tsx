import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { allSubprocessors, announceChange, operatorView } from '~/privacy/subprocessors/register.server'
import { announceSchema } from '~/privacy/subprocessors/announce.schema'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, Field, FormNotice, PageHeader, Section, SelectField, StatusBadge, TextareaField, useCarnetForm, type Column } from '~/ui/kit'
import { activityLabel } from '~/privacy/subprocessors/activities'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_subprocessors')
// The sub-processor register (DPA §8): announce an addition or a replacement to every
// controller (7 business days to object) and see each objection. Platform operator only.
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const subs = await allSubprocessors(ctx.db)
  const changes = await operatorView(ctx.db)
  return {
    subs: subs.map((s) => ({
      id: s.id,
      name: s.name,
      registrationNumber: s.registrationNumber,
      activity: s.activity,
      transfer: s.personalDataTransfer,
      contract: s.contract,
      effectiveAt: s.effectiveAt?.toISOString() ?? null,
      removedAt: s.removedAt?.toISOString() ?? null,
    })),
    changes: changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      description: c.description,
      announcedAt: c.announcedAt.toISOString(),
      notified: c.notified,
      deadline: c.deadline?.toISOString() ?? null,
      objections: c.objections.map((o) => ({ orgId: o.orgId, orgName: o.orgName, at: o.at.toISOString() })),
    })),
  }
}

// One form: announce a change.
const schema = z.discriminatedUnion('intent', [announceSchema.extend({ intent: z.literal('announce') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    const out = await announceChange(ctx.db, {
      kind: v.kind,
      sub: { name: v.name, registrationNumber: v.registrationNumber, activity: v.activity, personalDataTransfer: v.transfer === 'yes', contract: v.contract || 'DPA' },
      replacesId: v.kind === 'replacement' ? (v.replacesId ?? null) : null,
      description: v.description,
      by: ctx.user.id,
      origin: ctx.origin,
    })
    return form.success(translate(ctx.lang, 'retention.sub.announced', { n: out.organizations }))
  } catch (e) {
    return form.error(e, (e as { code?: string }).code === 'retention.sub.replaces_required' ? 'replacesId' : undefined)
  }
}

type Sub = Awaited<ReturnType<typeof loader>>['subs'][number]

export default function OperatorSubprocessorsPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, { intent: 'announce', defaultValue: { intent: 'announce', kind: 'addition', transfer: 'no' } })
  const columns: Column<Sub>[] = [
    { header: t('retention.sub.col_name'), rowHeader: true, cell: (s) => s.name },
    { header: t('retention.sub.col_siret'), cell: (s) => s.registrationNumber },
    { header: t('retention.sub.col_activity'), cell: (s) => activityLabel(t.lang, s.activity) },
    { header: t('retention.sub.transfer'), cell: (s) => t(s.transfer ? 'retention.yes' : 'retention.no') },
    { header: t('retention.sub.col_contract'), cell: (s) => s.contract },
    {
      header: t('staff.state'),
      cell: (s) => (
        <>
          {s.removedAt && <StatusBadge>{t('retention.sub.until', { at: formatDate(t.lang, s.removedAt) })}</StatusBadge>}
          {s.effectiveAt && new Date(s.effectiveAt) > new Date() && <StatusBadge tone="warn">{t('retention.sub.from', { at: formatDate(t.lang, s.effectiveAt) })}</StatusBadge>}
        </>
      ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('retention.sub.operator_title')} />
      <FormNotice />
      <Section title={t('retention.sub.register')}>
        <DataTable label={t('retention.sub.register')} columns={columns} rows={d.subs} rowKey={(s) => s.id} empty={t('common.none')} />
      </Section>
      <Section title={t('retention.sub.announce')}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="announce" />
          <SelectField meta={fields.kind} label={t('retention.sub.kind_label')}>
            <option value="addition">{t('retention.sub.kind.addition')}</option>
            <option value="replacement">{t('retention.sub.kind.replacement')}</option>
          </SelectField>
          <SelectField meta={fields.replacesId} label={t('retention.sub.replaces')}>
            <option value="">—</option>
            {d.subs
              .filter((s) => !s.removedAt)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </SelectField>
          <Field meta={fields.name} label={t('retention.sub.col_name')} />
          <Field meta={fields.registrationNumber} label={t('retention.sub.col_siret')} />
          <Field meta={fields.activity} label={t('retention.sub.col_activity')} />
          <SelectField meta={fields.transfer} label={t('retention.sub.transfer')}>
            <option value="no">{t('retention.no')}</option>
            <option value="yes">{t('retention.yes')}</option>
          </SelectField>
          <Field meta={fields.contract} label={t('retention.sub.col_contract')} />
          <TextareaField meta={fields.description} label={t('retention.sub.description')} rows={2} />
          <button type="submit">{t('retention.sub.announce_submit')}</button>
        </Form>
      </Section>
      <Section title={t('retention.sub.changes')}>
        {d.changes.length === 0 && <p>{t('retention.sub.no_changes')}</p>}
        {d.changes.map((c) => (
          <Section key={c.id} level={3} card={false} title={`${t(`retention.sub.kind.${c.kind}`)} : ${c.name} — ${formatDate(t.lang, c.announcedAt, true)}`}>
            <p>
              {t('retention.sub.notified_n', { n: c.notified })} · {t('retention.sub.deadline_short', { at: formatDate(t.lang, c.deadline, true) })}
            </p>
            {c.objections.length === 0 ? (
              <p className="muted">{t('retention.sub.no_objection')}</p>
            ) : (
              <ul>
                {c.objections.map((o) => (
                  <li key={o.orgId}>
                    <StatusBadge tone="bad">{t('retention.sub.objection')}</StatusBadge> {o.orgName} — {formatDate(t.lang, o.at, true)}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        ))}
      </Section>
    </div>
  )
}
