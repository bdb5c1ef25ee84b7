import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { cancelDeletion, MAX_GRACE_HOURS, requestErasure, setGraceHours } from '~/privacy/erasure/requests.server'
import { isUuid } from '~/ui/http.server'
import { deletableMembers, privacyOverview } from '~/privacy/retention/privacy-view.server'
import { LEGAL_BASES, type LegalBasis } from '~/privacy/records/constants'
import { setLegalBasis } from '~/privacy/records/records.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — confidentialité' }]
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
  const o = await privacyOverview(ctx.db, orgId)
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null
  return {
    orgId,
    isAdmin,
    maxGrace: MAX_GRACE_HOURS,
    graceHours: o.graceHours,
    legalBasis: o.legalBasis,
    retention: { state: o.retention.state, subscriptionEndsAt: iso(o.retention.subscriptionEndsAt), erasureAt: iso(o.retention.erasureAt) },
    open: o.open.map((r) => ({
      id: r.id,
      scope: r.scope,
      name: r.name,
      role: r.requestedByRole,
      requestedAt: iso(r.requestedAt)!,
      dueAt: iso(r.dueAt)!,
      eraseAfter: iso(r.eraseAfter)!,
      overdue: !!r.overdueAt,
    })),
    erased30d: o.erased30d,
    members: isAdmin
      ? (await deletableMembers(ctx.db, orgId)).filter((m) => m.id !== ctx.user.id).map((m) => ({ id: m.id, label: `${m.lastName} ${m.firstName} — ${translate(ctx.lang, `role.${m.role}`)}` }))
      : [],
    recent: o.recent.map((x) => ({
      id: x.id,
      scope: x.scope,
      role: x.requestedByRole,
      requestedAt: iso(x.requestedAt)!,
      completedAt: iso(x.completedAt)!,
      late: x.late,
      rows: Object.values(x.deleted).reduce((a, b) => a + b, 0),
      anonymized: Object.values(x.anonymized).reduce((a, b) => a + b, 0),
    })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  const intent = s('intent')
  try {
    if (intent === 'cancel') {
      if (!isUuid(s('requestId'))) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
      await cancelDeletion(ctx.db, { requestId: s('requestId'), principal: ctx.principal, origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.privacy.cancelled'))
    }
    if (intent === 'grace') {
      await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
      await setGraceHours(ctx.db, { orgId, hours: Number(s('hours')), by: ctx.user.id })
      return successReply(translate(ctx.lang, 'retention.privacy.saved'))
    }
    if (intent === 'basis') {
      await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
      if (!(LEGAL_BASES as readonly string[]).includes(s('legalBasis'))) return errorReply(new DomainError('form.invalid_field'), ctx.lang, 'legalBasis')
      await setLegalBasis(ctx.db, { orgId, legalBasis: s('legalBasis') as LegalBasis, by: ctx.user.id })
      return successReply(translate(ctx.lang, 'retention.privacy.saved'))
    }
    if (intent === 'delete-org') {
      await authorize(ctx, 'delete', 'Organization', { id: orgId, orgId })
      if (s('confirm') !== 'SUPPRIMER' && s('confirm') !== 'DELETE') return errorReply(new DomainError('retention.privacy.confirm_required'), ctx.lang, 'confirm')
      const r = await requestErasure(ctx.db, { of: 'organization', orgId, requestedBy: ctx.user.id, role: 'admin', reason: 'early_deletion', origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.privacy.org_requested', { due: formatDate(ctx.lang, r.dueAt, true) }))
    }
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
  return errorReply(new DomainError('form.invalid_field'), ctx.lang)
}

export default function PrivacyPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const base = `/org/${d.orgId}`
  return (
    <div className="container">
      <h1>{t('retention.privacy.title')}</h1>
      <p className="muted">{t('retention.privacy.intro')}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
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

      <section className="card" aria-labelledby="del-title">
        <h2 id="del-title">{t('retention.privacy.deletions')}</h2>
        <p className="hint">{t('retention.privacy.deletions_hint')}</p>
        {d.open.length === 0 ? (
          <p>{t('retention.privacy.none_open')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('retention.privacy.col_who')}</th>
                  <th scope="col">{t('retention.privacy.col_by')}</th>
                  <th scope="col">{t('retention.privacy.col_requested')}</th>
                  <th scope="col">{t('retention.privacy.col_due')}</th>
                  <th scope="col">{t('retention.privacy.col_actions')}</th>
                </tr>
              </thead>
              <tbody>
                {d.open.map((r) => (
                  <tr key={r.id}>
                    <td>{r.scope === 'organization' ? t('retention.privacy.whole_org') : (r.name ?? '—')}</td>
                    <td>{t(`retention.role.${r.role}`)}</td>
                    <td>{formatDate(t.lang, r.requestedAt, true)}</td>
                    <td>
                      {formatDate(t.lang, r.dueAt, true)} {r.overdue && <span className="badge bad">{t('retention.privacy.overdue')}</span>}
                    </td>
                    <td>
                      {new Date(r.eraseAfter) > new Date() ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="requestId" value={r.id} />
                          <button type="submit" className="secondary">
                            {t('retention.privacy.cancel_until', { at: formatDate(t.lang, r.eraseAfter, true) })}
                          </button>
                        </Form>
                      ) : (
                        <span className="muted">{t('retention.privacy.no_cancel')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>{t('retention.privacy.erased_30d', { n: d.erased30d.n, late: d.erased30d.late })}</p>
        {d.isAdmin && d.members.length > 0 && (
          <Form method="get" className="actions">
            <label htmlFor="member-pick">{t('retention.privacy.delete_member')}</label>
            <select id="member-pick" name="member" defaultValue="">
              <option value="">—</option>
              {d.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              {t('retention.privacy.delete_member_go')}
            </button>
          </Form>
        )}
        {d.recent.length > 0 && (
          <details>
            <summary>{t('retention.privacy.tombstones')}</summary>
            <ul>
              {d.recent.map((x) => (
                <li key={x.id}>
                  {formatDate(t.lang, x.completedAt, true)} · {t(`retention.scope.${x.scope}`)} · {t(`retention.role.${x.role}`)} ·{' '}
                  {t('retention.privacy.rows', { deleted: x.rows, anonymized: x.anonymized })}
                  {x.late && <span className="badge bad"> {t('retention.privacy.late')}</span>}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      <section className="card" aria-labelledby="grace-title">
        <h2 id="grace-title">{t('retention.privacy.grace_title')}</h2>
        <p>{d.graceHours ? t('retention.privacy.grace_is', { hours: d.graceHours }) : t('retention.privacy.grace_none')}</p>
        {d.isAdmin && (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="grace" />
            <label htmlFor="grace-hours">{t('retention.privacy.grace_label', { max: d.maxGrace })}</label>
            <input id="grace-hours" name="hours" type="number" min={0} max={d.maxGrace} defaultValue={d.graceHours} />
            <button type="submit" className="secondary">
              {t('retention.privacy.save')}
            </button>
          </Form>
        )}
      </section>

      <section className="card" aria-labelledby="ret-title">
        <h2 id="ret-title">{t('retention.privacy.retention_title')}</h2>
        {d.retention.state === 'active' && <p>{t('retention.privacy.retention_active')}</p>}
        {d.retention.state === 'ending' && (
          <p>{t('retention.privacy.retention_ending', { end: formatDate(t.lang, d.retention.subscriptionEndsAt), erase: formatDate(t.lang, d.retention.erasureAt) })}</p>
        )}
        {d.retention.state === 'retention' && (
          <Notice kind="error">{t('retention.privacy.retention_running', { end: formatDate(t.lang, d.retention.subscriptionEndsAt), erase: formatDate(t.lang, d.retention.erasureAt) })}</Notice>
        )}
        {d.isAdmin && (
          <Form method="post">
            <input type="hidden" name="intent" value="delete-org" />
            <p className="hint">{t('retention.privacy.delete_org_hint')}</p>
            <div className="field">
              <label htmlFor="confirm">{t('retention.privacy.confirm_label')}</label>
              <input id="confirm" name="confirm" autoComplete="off" aria-invalid={reply?.fieldErrors?.confirm ? true : undefined} />
              {reply?.fieldErrors?.confirm && (
                <p className="error" role="alert">
                  {reply.fieldErrors.confirm}
                </p>
              )}
            </div>
            <button type="submit" className="danger">
              {t('retention.privacy.delete_org')}
            </button>
          </Form>
        )}
      </section>

      {d.isAdmin && (
        <section className="card" aria-labelledby="basis-title">
          <h2 id="basis-title">{t('retention.privacy.basis_title')}</h2>
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="basis" />
            <label htmlFor="legal-basis">{t('retention.records.legal_basis')}</label>
            <select id="legal-basis" name="legalBasis" defaultValue={d.legalBasis ?? 'public_task'}>
              {LEGAL_BASES.map((b) => (
                <option key={b} value={b}>
                  {t(`retention.basis.${b}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              {t('retention.privacy.save')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}
