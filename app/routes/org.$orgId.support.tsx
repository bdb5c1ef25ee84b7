import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { grantSupport, grantsOf, MAX_SUPPORT_HOURS, revokeSupport } from '~/privacy/support-access/grants.server'
import { grantSupportSchema, revokeSupportSchema } from '~/privacy/support-access/grants.schema'
import { activeGrants } from '~/permissions/support-access.server'
import { supportView } from '~/privacy/support-access/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, PageHeader, Section, StatusBadge, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.support')
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
  const history = (await grantsOf(ctx.db, orgId)).map((g) => ({
    id: g.id,
    reason: g.reason,
    grantedAt: g.grantedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    revokedAt: g.revokedAt?.toISOString() ?? null,
  }))
  const isAdmin = can(ctx.ability, 'administer', 'PrivacyArea', { orgId })
  return { mode, orgId, grant, view: null, history, isAdmin, max: MAX_SUPPORT_HOURS }
}

// The page's forms: open an access (reason, hours) or end the open one.
const schema = z.discriminatedUnion('intent', [grantSupportSchema.extend({ intent: z.literal('grant') }), revokeSupportSchema.extend({ intent: z.literal('revoke') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, mode } = await enter(request, orgId)
  const form = await readForm(request, schema, ctx.lang)
  if (mode === 'operator') return form.error(new DomainError('form.invalid_field'))
  // The DPO sees the page and its log; only an admin opens or closes an access.
  if (!can(ctx.ability, 'administer', 'PrivacyArea', { orgId })) return form.error(new DomainError('retention.support.admin_only'))
  await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'revoke') {
      await revokeSupport(ctx.db, { orgId, grantId: v.grantId, by: ctx.user.id, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.support.revoked'))
    }
    const g = await grantSupport(ctx.db, { orgId, by: ctx.user.id, reason: v.reason, hours: v.hours, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'retention.support.granted', { until: formatDate(ctx.lang, g.expiresAt, true) }))
  } catch (e) {
    return form.error(e)
  }
}

export default function SupportPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, { intent: 'grant', defaultValue: { intent: 'grant', hours: 24 } })
  return (
    <div className="container">
      <PageHeader title={t('retention.support.title')} subtitle={t('retention.support.intro')} />
      <FormNotice />
      {d.grant ? <Notice kind="info">{t('retention.support.active', { until: formatDate(t.lang, d.grant.expiresAt, true), reason: d.grant.reason })}</Notice> : <p>{t('retention.support.none')}</p>}
      {d.mode === 'operator' && d.view && (
        <Section title={t('retention.support.view_title')}>
          {d.view.map((c) => (
            <Section key={c.id} level={3} card={false} title={`${c.name} (${c.year})`}>
              <ul>
                {c.children.map((k) => (
                  <li key={k.id}>
                    {k.name} — {t('retention.support.results', { n: k.results })}
                  </li>
                ))}
              </ul>
            </Section>
          ))}
        </Section>
      )}
      {d.mode === 'member' && d.isAdmin && (
        <Section title={d.grant ? t('retention.support.end_title') : t('retention.support.grant_title')}>
          {d.grant ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="grantId" value={d.grant.id} />
              <button type="submit" className="secondary">
                {t('retention.support.revoke')}
              </button>
            </Form>
          ) : (
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="grant" />
              <Field meta={fields.reason} label={t('retention.support.reason')} />
              <Field meta={fields.hours} type="number" label={t('retention.support.hours', { max: d.max })} />
              <button type="submit">{t('retention.support.grant')}</button>
            </Form>
          )}
        </Section>
      )}
      {d.mode === 'member' && d.history.length > 0 && (
        <Section title={t('retention.support.history')}>
          <ul>
            {d.history.map((g) => (
              <li key={g.id}>
                {formatDate(t.lang, g.grantedAt, true)} → {formatDate(t.lang, g.revokedAt ?? g.expiresAt, true)} · {g.reason}
                {g.revokedAt && (
                  <>
                    {' '}
                    <StatusBadge>{t('retention.support.revoked_badge')}</StatusBadge>
                  </>
                )}
              </li>
            ))}
          </ul>
          <p className="hint">{t('retention.support.history_hint')}</p>
        </Section>
      )}
    </div>
  )
}
