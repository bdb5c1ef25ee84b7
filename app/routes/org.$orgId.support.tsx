import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/ui/http.server'
import { grantSupport, grantsOf, MAX_SUPPORT_HOURS, revokeSupport } from '~/privacy/support-access/grants.server'
import { activeGrants } from '~/permissions/support-access.server'
import { supportView } from '~/privacy/support-access/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — accès support' }]
// Admins grant the platform operator a support access (reason, ≤ 72 h) and see its log; the
// operator (not a matrix persona) reads the organization's learning data here while a grant is
// in force — the policy allows it only then, and audits every request.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'also the platform operator during a support grant' } satisfies RouteAccess }

async function enter(request: Request, orgId: string): Promise<{ ctx: UserCtx; mode: 'operator' | 'member' }> {
  const ctx = await requireAbility(request)
  const member = ctx.principal.memberships.some((m) => m.orgId === orgId)
  if (ctx.principal.isOperator && !member) {
    await authorize(ctx, 'read', 'LearningRecord', { orgId, classIds: [], childId: null, published: true })
    return { ctx, mode: 'operator' }
  }
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  return { ctx, mode: 'member' }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, mode } = await enter(request, orgId)
  const [active] = await activeGrants(ctx.db, [orgId])
  const grant = active ? { id: active.id, reason: active.reason, grantedAt: active.grantedAt.toISOString(), expiresAt: active.expiresAt.toISOString() } : null
  if (mode === 'operator') return { mode, orgId, grant, view: await supportView(ctx.db, orgId), history: [], isAdmin: false, max: MAX_SUPPORT_HOURS }
  const history = (await grantsOf(ctx.db, orgId)).map((g) => ({ id: g.id, reason: g.reason, grantedAt: g.grantedAt.toISOString(), expiresAt: g.expiresAt.toISOString(), revokedAt: g.revokedAt?.toISOString() ?? null }))
  const isAdmin = can(ctx.ability, 'administer', 'PrivacyArea', { orgId })
  return { mode, orgId, grant, view: null, history, isAdmin, max: MAX_SUPPORT_HOURS }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, mode } = await enter(request, orgId)
  if (mode === 'operator') return errorReply(new DomainError('form.invalid_field'), ctx.lang)
  // The DPO sees the page and its log; only an admin opens or closes an access.
  if (!can(ctx.ability, 'administer', 'PrivacyArea', { orgId })) return errorReply(new DomainError('retention.support.admin_only'), ctx.lang)
  await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  try {
    if (s('intent') === 'revoke') {
      if (!isUuid(s('grantId'))) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
      await revokeSupport(ctx.db, { orgId, grantId: s('grantId'), by: ctx.user.id, origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.support.revoked'))
    }
    const g = await grantSupport(ctx.db, { orgId, by: ctx.user.id, reason: s('reason'), hours: Number(s('hours')), origin: ctx.origin })
    return successReply(translate(ctx.lang, 'retention.support.granted', { until: formatDate(ctx.lang, g.expiresAt, true) }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function SupportPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container">
      <h1>{t('retention.support.title')}</h1>
      <p className="muted">{t('retention.support.intro')}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {d.grant ? (
        <Notice kind="info">{t('retention.support.active', { until: formatDate(t.lang, d.grant.expiresAt, true), reason: d.grant.reason })}</Notice>
      ) : (
        <p>{t('retention.support.none')}</p>
      )}
      {d.mode === 'operator' && d.view && (
        <section className="card" aria-labelledby="view-title">
          <h2 id="view-title">{t('retention.support.view_title')}</h2>
          {d.view.map((c) => (
            <div key={c.id}>
              <h3>
                {c.name} ({c.year})
              </h3>
              <ul>
                {c.children.map((k) => (
                  <li key={k.id}>
                    {k.name} — {t('retention.support.results', { n: k.results })}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      {d.mode === 'member' && d.isAdmin && (
        <section className="card" aria-labelledby="grant-title">
          <h2 id="grant-title">{d.grant ? t('retention.support.end_title') : t('retention.support.grant_title')}</h2>
          {d.grant ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="grantId" value={d.grant.id} />
              <button type="submit" className="secondary">{t('retention.support.revoke')}</button>
            </Form>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="grant" />
              <div className="field">
                <label htmlFor="reason">{t('retention.support.reason')}</label>
                <input id="reason" name="reason" required minLength={5} aria-invalid={reply?.formError ? true : undefined} />
              </div>
              <div className="field">
                <label htmlFor="hours">{t('retention.support.hours', { max: d.max })}</label>
                <input id="hours" name="hours" type="number" min={1} max={d.max} defaultValue={24} required />
              </div>
              <button type="submit">{t('retention.support.grant')}</button>
            </Form>
          )}
        </section>
      )}
      {d.mode === 'member' && d.history.length > 0 && (
        <section className="card" aria-labelledby="hist-title">
          <h2 id="hist-title">{t('retention.support.history')}</h2>
          <ul>
            {d.history.map((g) => (
              <li key={g.id}>
                {formatDate(t.lang, g.grantedAt, true)} → {formatDate(t.lang, g.revokedAt ?? g.expiresAt, true)} · {g.reason}
                {g.revokedAt && <span className="badge"> {t('retention.support.revoked_badge')}</span>}
              </li>
            ))}
          </ul>
          <p className="hint">{t('retention.support.history_hint')}</p>
        </section>
      )}
    </div>
  )
}
