import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { formatDate, t as translate, useT } from '~/i18n'
import { openAlerts, resolveAlert } from '~/models/families/codes.server'
import { resolveAlertSchema } from '~/models/families/codes.schema'
import { orgLinkingOverview, suspendedLinks } from '~/models/families/status.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, FormNotice, PageHeader, Section, StatusBadge, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.guardians')
// The school's families at a glance: "not my child" alerts, linking status per class, links
// suspended. Administrators (the DPO reads).
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'the DPO reads only' } satisfies RouteAccess,
}

async function load(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'GuardianLink', { orgId })
  const org = await getOrganization(ctx.db, { orgId }).catch(() => {
    throw new Response('Not found', { status: 404 })
  })
  return { ctx, org }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, org } = await load(request, orgId)
  const [alerts, classes, suspended] = await Promise.all([openAlerts(ctx.db, { orgId }), orgLinkingOverview(ctx.db, { orgId }), suspendedLinks(ctx.db, { orgId })])
  return {
    org: { id: org.id, name: org.name },
    alerts: alerts.map((a) => ({ id: a.id, childId: a.childId, childName: `${a.firstName} ${a.lastName}`, classNames: a.classNames, reportedAt: a.reportedAt.toISOString(), channel: a.channel })),
    classes,
    suspended: suspended.map((s) => ({ ...s, suspendedAt: s.suspendedAt.toISOString() })),
    mayManage: can(ctx.ability, 'update', 'GuardianLink', { orgId }),
  }
}

// The page's one form: an administrator marks an alert as handled.
const schema = z.discriminatedUnion('intent', [resolveAlertSchema.extend({ intent: z.literal('resolve-alert') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx } = await load(request, orgId)
  const formData = await request.formData()
  // The DPO reads only: refused before anything sent is looked at.
  if (formData.get('intent') === 'resolve-alert') await authorize(ctx, 'update', 'GuardianLink', { orgId })
  const form = await readForm(formData, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    await resolveAlert(ctx.db, { orgId, alertId: form.value.alertId, by: { actorId: ctx.user.id, ...ctx.origin } })
  } catch (e) {
    return form.error(e)
  }
  return form.success(translate(ctx.lang, 'families.alerts.resolved'))
}

type ClassRow = ReturnType<typeof useLoaderData<typeof loader>>['classes'][number]

export default function OrgGuardians() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${data.org.id}`
  const columns: Column<ClassRow>[] = [
    { header: t('families.org.col_class'), cell: (c) => <Link to={`${base}/classes/${c.id}/guardians`}>{c.name}</Link> },
    { header: t('families.org.col_children'), cell: (c) => c.children },
    { header: t('families.org.col_linked'), cell: (c) => <StatusBadge tone={c.children && c.linked === c.children ? 'ok' : 'warn'}>{`${c.linked} / ${c.children}`}</StatusBadge> },
    { header: t('families.org.col_not_sent'), cell: (c) => c.notSent },
    { header: t('families.org.col_alerts'), cell: (c) => (c.alerts ? <StatusBadge tone="bad">{String(c.alerts)}</StatusBadge> : '0') },
  ]
  return (
    <div className="container">
      <PageHeader title={t('families.org.title', { org: data.org.name })} />
      <FormNotice />

      <Section title={t('families.alerts.title', { count: data.alerts.length })}>
        {data.alerts.length === 0 ? (
          <p>{t('families.alerts.none')}</p>
        ) : (
          <ul className="spaced">
            {data.alerts.map((a) => (
              <li key={a.id}>
                <Link to={`${base}/children/${a.childId}`}>{a.childName}</Link> ({a.classNames.join(', ') || '—'}) —{' '}
                {t('families.alerts.reported', { date: formatDate(t.lang, a.reportedAt, true), channel: t(`families.channel.${a.channel ?? 'letter'}`) })}{' '}
                {data.mayManage && (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="resolve-alert" />
                    <input type="hidden" name="alertId" value={a.id} />
                    <button type="submit" className="link-button" disabled={busy}>
                      {t('families.alerts.resolve')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
        <p className="hint">{t('families.alerts.hint')}</p>
      </Section>

      <Section title={t('families.org.classes_title')} card={false}>
        <DataTable label={t('families.org.classes_title')} columns={columns} rows={data.classes} rowKey={(c) => c.id} empty={t('families.org.classes_none')} />
      </Section>

      <Section title={t('families.org.suspended_title')}>
        {data.suspended.length === 0 ? (
          <p>{t('families.org.suspended_none')}</p>
        ) : (
          <ul>
            {data.suspended.map((s) => (
              <li key={s.id}>
                {t('families.org.suspended_item', { guardian: s.guardianName, child: s.childName, date: formatDate(t.lang, s.suspendedAt) })}
                {s.reason && <span className="muted"> — {s.reason}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  )
}
