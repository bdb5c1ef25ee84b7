import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/ui/http.server'
import { allSubprocessors, announceChange, operatorView } from '~/privacy/subprocessors/register.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — opérateur : sous-traitants' }]
// The sub-processor register (DPA §8): announce an addition or a replacement to every
// controller (7 business days to object) and see each objection. Platform operator only.
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const subs = await allSubprocessors(ctx.db)
  const changes = await operatorView(ctx.db)
  return {
    subs: subs.map((s) => ({ id: s.id, name: s.name, registrationNumber: s.registrationNumber, activity: s.activity, transfer: s.personalDataTransfer, contract: s.contract, effectiveAt: s.effectiveAt?.toISOString() ?? null, removedAt: s.removedAt?.toISOString() ?? null })),
    changes: changes.map((c) => ({ id: c.id, kind: c.kind, name: c.name, description: c.description, announcedAt: c.announcedAt.toISOString(), notified: c.notified, deadline: c.deadline?.toISOString() ?? null, objections: c.objections.map((o) => ({ orgId: o.orgId, orgName: o.orgName, at: o.at.toISOString() })) })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  const kind = s('kind') === 'replacement' ? 'replacement' : s('kind') === 'addition' ? 'addition' : null
  if (!kind) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
  try {
    const out = await announceChange(ctx.db, {
      kind,
      sub: { name: s('name'), registrationNumber: s('registrationNumber'), activity: s('activity'), personalDataTransfer: s('transfer') === 'yes', contract: s('contract') || 'DPA' },
      replacesId: kind === 'replacement' && isUuid(s('replacesId')) ? s('replacesId') : null,
      description: s('description'),
      by: ctx.user.id,
      origin: ctx.origin,
    })
    return successReply(translate(ctx.lang, 'retention.sub.announced', { n: out.organizations }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function OperatorSubprocessorsPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const field = (name: string, label: string, required = true) => (
    <div className="field">
      <label htmlFor={`s-${name}`}>{label}</label>
      <input id={`s-${name}`} name={name} required={required} />
    </div>
  )
  return (
    <div className="container">
      <h1>{t('retention.sub.operator_title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <section className="card" aria-labelledby="reg-title">
        <h2 id="reg-title">{t('retention.sub.register')}</h2>
        <ul>
          {d.subs.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong> — {s.registrationNumber} · {s.activity} · {t('retention.sub.transfer')} {t(s.transfer ? 'retention.yes' : 'retention.no')} · {s.contract}
              {s.removedAt && <span className="badge"> {t('retention.sub.until', { at: formatDate(t.lang, s.removedAt) })}</span>}
              {s.effectiveAt && new Date(s.effectiveAt) > new Date() && <span className="badge warn"> {t('retention.sub.from', { at: formatDate(t.lang, s.effectiveAt) })}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="announce-title">
        <h2 id="announce-title">{t('retention.sub.announce')}</h2>
        <Form method="post">
          <div className="field">
            <label htmlFor="s-kind">{t('retention.sub.kind_label')}</label>
            <select id="s-kind" name="kind" defaultValue="addition">
              <option value="addition">{t('retention.sub.kind.addition')}</option>
              <option value="replacement">{t('retention.sub.kind.replacement')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="s-replaces">{t('retention.sub.replaces')}</label>
            <select id="s-replaces" name="replacesId" defaultValue="">
              <option value="">—</option>
              {d.subs.filter((s) => !s.removedAt).map((s) => (
                <option key={s.id} value={s.id}>{s.name}</option>
              ))}
            </select>
          </div>
          {field('name', t('retention.sub.col_name'))}
          {field('registrationNumber', t('retention.sub.col_siret'))}
          {field('activity', t('retention.sub.col_activity'))}
          <div className="field">
            <label htmlFor="s-transfer">{t('retention.sub.transfer')}</label>
            <select id="s-transfer" name="transfer" defaultValue="no">
              <option value="no">{t('retention.no')}</option>
              <option value="yes">{t('retention.yes')}</option>
            </select>
          </div>
          {field('contract', t('retention.sub.col_contract'), false)}
          <div className="field">
            <label htmlFor="s-description">{t('retention.sub.description')}</label>
            <textarea id="s-description" name="description" rows={2} required />
          </div>
          <button type="submit">{t('retention.sub.announce_submit')}</button>
        </Form>
      </section>
      <section className="card" aria-labelledby="changes-title">
        <h2 id="changes-title">{t('retention.sub.changes')}</h2>
        {d.changes.length === 0 && <p>{t('retention.sub.no_changes')}</p>}
        {d.changes.map((c) => (
          <article key={c.id}>
            <h3>
              {t(`retention.sub.kind.${c.kind}`)} : {c.name} — {formatDate(t.lang, c.announcedAt, true)}
            </h3>
            <p>
              {t('retention.sub.notified_n', { n: c.notified })} · {t('retention.sub.deadline_short', { at: formatDate(t.lang, c.deadline, true) })}
            </p>
            {c.objections.length === 0 ? (
              <p className="muted">{t('retention.sub.no_objection')}</p>
            ) : (
              <ul>
                {c.objections.map((o) => (
                  <li key={o.orgId}>
                    <span className="badge bad">{t('retention.sub.objection')}</span> {o.orgName} — {formatDate(t.lang, o.at, true)}
                  </li>
                ))}
              </ul>
            )}
          </article>
        ))}
      </section>
    </div>
  )
}
