import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { belongsElsewhere } from '~/privacy/erasure/engine.server'
import { accountForDeletion, cancelDeletion, graceHours, openRequestsFor, requestErasure } from '~/privacy/erasure/requests.server'
import { askSchoolErasure, erasureRequestsBy } from '~/privacy/rights-requests/guardian-erasure.server'
import { cancelDeletionSchema, requestDeletionSchema } from '~/privacy/erasure/requests.schema'
import { now } from '~/clock.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can, mayAskErasure, otherDeletionRequesterOf } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, confirmed, DataTable, Field, FormNotice, Notice, PageHeader, Section, StatusBadge, useCarnetForm } from '~/ui/kit'
import { isChildAccount } from '~/roles'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.member_delete')
// An admin deletes a member's account (only what this organization holds, when the person also
// belongs elsewhere); a guardian with consent rights deletes their linked child's account in a
// family space — and, for a school's pupil, asks the school's DPO to erase it (the school is the
// controller), then follows that request here.
export const handle = {
  access: { allow: ['admin'], params: { orgId: 'orgA', userId: 'childA1' }, note: "also a guardian with consent rights for that child (a school's pupil: asks the DPO)" },
} satisfies { access: RouteAccess }

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const userId = params.userId ?? ''
  // Not a member of the organization: a denial like any other (nothing learned about the person).
  const person = isUuid(orgId) && isUuid(userId) ? await accountForDeletion(ctx.db, { orgId, userId }) : null
  if (!person) return deny(ctx, 'delete', 'Account', userId || null, isUuid(orgId) ? orgId : null)
  // A school's pupil, for their guardian: the school decides; the guardian may ask its DPO.
  if (mayAskErasure(ctx.ability, person)) return { ctx, orgId, role: 'guardian' as const, person, asks: true }
  await authorize(ctx, 'delete', 'Account', person)
  // Here the admin's or the guardian's right (one's own account is deleted from /account).
  const role = otherDeletionRequesterOf(ctx.ability, person)
  if (!role) return deny(ctx, 'delete', 'Account', userId, orgId)
  return { ctx, orgId, role, person, asks: false }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, role, person, asks } = await load(request, params)
  // Back to where this person asks from: the privacy page (admins), their children (guardians).
  const back = { admin: `/org/${orgId}/privacy`, guardian: '/children' }[role]
  // The guardian's requests to the school about this child, with their state and deadline.
  const requests = asks
    ? (await erasureRequestsBy(ctx.db, { guardianId: ctx.user.id, childId: person.id, orgId })).map((r) => ({
        id: r.id,
        reference: r.reference,
        state:
          r.status === 'closed'
            ? translate(ctx.lang, 'retention.ask.state.closed', { outcome: r.outcome ? translate(ctx.lang, `dsr.outcome.${r.outcome}`) : '—' })
            : translate(ctx.lang, `retention.ask.state.${r.status === 'forwarded' ? 'forwarded' : 'received'}`),
        open: r.status !== 'closed',
        received: r.receivedAt?.toISOString() ?? null,
        due: r.dueAt?.toISOString() ?? null,
      }))
    : []
  return {
    orgId,
    role,
    asks,
    requests,
    back,
    name: `${person.firstName} ${person.lastName}`,
    kind: person.kind,
    alreadyRequested: !!person.deactivatedAt,
    membershipOnly: await belongsElsewhere(ctx.db, person.id, orgId),
    graceHours: await graceHours(ctx.db, orgId),
    // Within the organization's grace period, whoever asked (or an admin) may still cancel.
    cancellable:
      (await openRequestsFor(ctx.db, orgId))
        .filter((r) => r.subjectId === person.id && r.eraseAfter > now() && can(ctx.ability, 'cancel', 'DeletionRequest', r))
        .map((r) => ({ id: r.id, until: r.eraseAfter.toISOString() }))[0] ?? null,
  }
}

// The page's forms: ask for the deletion (typed word), or cancel it within the grace period.
// A guardian of a school's pupil: ask the school's DPO (a ticked box).
const schema = z.discriminatedUnion('intent', [
  requestDeletionSchema.extend({ intent: z.literal('delete') }),
  cancelDeletionSchema.extend({ intent: z.literal('cancel') }),
  z.object({ intent: z.literal('ask'), confirm: confirmed }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, role, person, asks } = await load(request, params)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  // Asking is all a guardian may do about a school's pupil: the old delete form is refused (audited).
  if (asks !== (v.intent === 'ask')) return deny(ctx, v.intent === 'ask' ? 'ask' : 'delete', 'Account', person.id, orgId)
  try {
    if (v.intent === 'ask') {
      const r = await askSchoolErasure(ctx.db, { orgId, childId: person.id, guardian: ctx.user, lang: ctx.lang, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.ask.done', { reference: r.reference, due: formatDate(ctx.lang, r.dueAt) }))
    }
    if (v.intent === 'cancel') {
      await cancelDeletion(ctx.db, { requestId: v.requestId, principal: ctx.principal, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.privacy.cancelled'))
    }
    const r = await requestErasure(ctx.db, { of: 'person', subjectId: person.id, orgId, requestedBy: ctx.user.id, role, reason: `${role}_request`, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'retention.member.requested', { due: formatDate(ctx.lang, r.dueAt, true) }))
  } catch (e) {
    return form.error(e)
  }
}

export default function DeleteMemberPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [form, fields] = useCarnetForm(schema, { intent: 'delete' })
  if (d.asks) return <AskSchoolPage />
  const cancel = d.cancellable && (
    <Form method="post">
      <input type="hidden" name="intent" value="cancel" />
      <input type="hidden" name="requestId" value={d.cancellable.id} />
      <button type="submit" className="secondary">
        {t('retention.privacy.cancel_until', { at: formatDate(t.lang, d.cancellable.until, true) })}
      </button>
    </Form>
  )
  return (
    <div className="container narrow">
      <PageHeader title={t('retention.member.title', { name: d.name })} />
      <FormNotice />
      {result?.message ? (
        <>
          {cancel}
          <p>
            <Link to={d.back}>{t('retention.member.back')}</Link>
          </p>
        </>
      ) : (
        <div className="card">
          <p>{d.membershipOnly ? t('retention.member.scope_membership', { name: d.name }) : t('retention.member.scope_account', { name: d.name })}</p>
          {d.alreadyRequested && <Notice kind="info">{t('retention.member.already')}</Notice>}
          {cancel}
          <ConfirmForm
            intent="delete"
            formProps={getFormProps(form)}
            consequences={[t('retention.account.point_now'), t('retention.account.point_24h'), ...(isChildAccount(d) ? [t('retention.account.point_results')] : [])]}
            cancelWindow={d.graceHours ? t('retention.member.grace', { hours: d.graceHours }) : t('retention.member.no_grace')}
            confirmation={<Field meta={fields.confirm} label={t('retention.privacy.confirm_label')} autoComplete="off" />}
            submit={t('retention.member.submit')}
          />
        </div>
      )}
    </div>
  )
}

/** A school's pupil, for their guardian: what happens, the request to the DPO, and its state. */
function AskSchoolPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const open = d.requests.find((r) => r.open)
  return (
    <div className="container narrow">
      <PageHeader title={t('retention.ask.title', { name: d.name })} />
      <FormNotice />
      <p>{t('retention.ask.explain', { name: d.name })}</p>
      {d.requests.length > 0 && (
        <Section title={t('retention.ask.requests')}>
          <DataTable
            label={t('retention.ask.requests')}
            empty={t('retention.ask.none')}
            rows={d.requests}
            rowKey={(r) => r.id}
            columns={[
              { header: t('retention.ask.col_reference'), cell: (r) => r.reference },
              { header: t('retention.ask.col_received'), cell: (r) => formatDate(t.lang, r.received) },
              { header: t('retention.ask.col_due'), cell: (r) => formatDate(t.lang, r.due) },
              { header: t('retention.ask.col_state'), cell: (r) => <StatusBadge tone={r.open ? 'warn' : 'ok'}>{r.state}</StatusBadge> },
            ]}
          />
        </Section>
      )}
      {open ? (
        <Notice kind="info">{t('retention.ask.pending', { reference: open.reference })}</Notice>
      ) : (
        <div className="card">
          <ConfirmForm
            intent="ask"
            consequences={[t('retention.ask.point_dpo'), t('retention.ask.point_deadline'), t('retention.ask.point_follow'), t('retention.ask.point_own')]}
            confirmLabel={t('retention.ask.confirm', { name: d.name })}
            submit={t('retention.ask.submit')}
          />
        </div>
      )}
      <p>
        <Link to={d.back}>{t('retention.member.back')}</Link>
      </p>
    </div>
  )
}
