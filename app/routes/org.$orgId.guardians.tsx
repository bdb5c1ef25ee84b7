import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { openAlerts, resolveAlert } from '~/models/families/codes.server'
import { orgLinkingOverview, suspendedLinks } from '~/models/families/status.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — familles' }]
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

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx } = await load(request, orgId)
  const form = await request.formData()
  if (form.get('intent') !== 'resolve-alert') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies FormReply
  await authorize(ctx, 'update', 'GuardianLink', { orgId })
  try {
    await resolveAlert(ctx.db, { orgId, alertId: String(form.get('alertId') ?? ''), by: { actorId: ctx.user.id, ...ctx.origin } })
  } catch (e) {
    if (e instanceof DomainError) return errorReply(e, ctx.lang)
    throw e
  }
  return successReply(translate(ctx.lang, 'families.alerts.resolved'))
}

export default function OrgGuardians() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${data.org.id}`
  return (
    <div className="container">
      <h1>{t('families.org.title', { org: data.org.name })}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title" style={{ marginTop: 0 }}>
          {t('families.alerts.title', { count: data.alerts.length })}
        </h2>
        {data.alerts.length === 0 ? (
          <p>{t('families.alerts.none')}</p>
        ) : (
          <ul>
            {data.alerts.map((a) => (
              <li key={a.id} style={{ marginBottom: '.4rem' }}>
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
      </section>

      <section aria-labelledby="classes-title">
        <h2 id="classes-title">{t('families.org.classes_title')}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('families.org.col_class')}</th>
                <th scope="col">{t('families.org.col_children')}</th>
                <th scope="col">{t('families.org.col_linked')}</th>
                <th scope="col">{t('families.org.col_not_sent')}</th>
                <th scope="col">{t('families.org.col_alerts')}</th>
              </tr>
            </thead>
            <tbody>
              {data.classes.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`${base}/classes/${c.id}/guardians`}>{c.name}</Link>
                  </td>
                  <td>{c.children}</td>
                  <td>
                    <span className={`badge ${c.children && c.linked === c.children ? 'ok' : 'warn'}`}>
                      {c.linked} / {c.children}
                    </span>
                  </td>
                  <td>{c.notSent}</td>
                  <td>{c.alerts ? <span className="badge bad">{c.alerts}</span> : '0'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="suspended-title">
        <h2 id="suspended-title" style={{ marginTop: 0 }}>
          {t('families.org.suspended_title')}
        </h2>
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
      </section>
    </div>
  )
}
