import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { cancelDeletion, requestErasure, setGraceHours } from '~/privacy/erasure/requests.server'
import { isUuid } from '~/ui/http.server'
import { setLegalBasis } from '~/privacy/records/records.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, PageHeader } from '~/ui/kit'
import { schema } from './intents'
import { privacyView } from './view.server'
import { BasisSection, DeletionsSection, GraceSection, RetentionSection } from './sections'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.privacy')
// The organization's privacy hub: deletions under way (24 h), grace period, retention after
// the contract, early deletion, and the registers (backups, breaches, sub-processors, records).
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const isAdmin = can(ctx.ability, 'administer', 'PrivacyArea', { orgId })
  // The member picker (a GET form): on to that member's deletion page.
  const pick = new URL(request.url).searchParams.get('member')
  if (isAdmin && isUuid(pick)) throw redirect(`/org/${orgId}/members/${pick}/delete`)
  return privacyView(ctx.db, ctx.lang, { orgId, isAdmin, userId: ctx.user.id })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  // The organization's settings and its deletion are the admin's: asked before what was typed is read.
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'delete-org') await authorize(ctx, 'delete', 'Organization', { id: orgId, orgId })
  if (intent === 'grace' || intent === 'basis') await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  const form = await readForm(formData, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'cancel') {
      await cancelDeletion(ctx.db, { requestId: v.requestId, principal: ctx.principal, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.privacy.cancelled'))
    }
    if (v.intent === 'delete-org') {
      const r = await requestErasure(ctx.db, { of: 'organization', orgId, requestedBy: ctx.user.id, role: 'admin', reason: 'early_deletion', origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.privacy.org_requested', { due: formatDate(ctx.lang, r.dueAt, true) }))
    }
    if (v.intent === 'grace') await setGraceHours(ctx.db, { orgId, hours: v.hours, by: ctx.user.id })
    else await setLegalBasis(ctx.db, { orgId, legalBasis: v.legalBasis, by: ctx.user.id })
    return form.success(translate(ctx.lang, 'retention.privacy.saved'), { keep: true })
  } catch (e) {
    return form.error(e, v.intent === 'grace' ? 'hours' : undefined)
  }
}

export default function PrivacyPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const base = `/org/${d.orgId}`
  return (
    <div className="container">
      <PageHeader title={t('retention.privacy.title')} subtitle={t('retention.privacy.intro')} />
      <FormNotice />
      <nav className="actions" aria-label={t('retention.privacy.registers')}>
        <Link className="button secondary" to={`${base}/records`}>
          {t('retention.nav.records')}
        </Link>
        <Link className="button secondary" to={`${base}/subprocessors`}>
          {t('retention.nav.subprocessors')}
        </Link>
        <Link className="button secondary" to={`${base}/breaches`}>
          {t('retention.nav.breaches')}
        </Link>
        <Link className="button secondary" to={`${base}/backups`}>
          {t('retention.nav.backups')}
        </Link>
        <Link className="button secondary" to={`${base}/support`}>
          {t('retention.nav.support')}
        </Link>
      </nav>

      <DeletionsSection d={d} />
      <GraceSection d={d} />
      <RetentionSection d={d} />
      <BasisSection d={d} />
    </div>
  )
}
