import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { objectToChange, orgView } from '~/privacy/subprocessors/register.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — sous-traitants' }]
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

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const form = await request.formData()
  const changeId = String(form.get('changeId') ?? '')
  if (!isUuid(changeId)) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
  try {
    await objectToChange(ctx.db, { orgId, changeId, by: ctx.user.id, origin: ctx.origin })
    return successReply(translate(ctx.lang, 'retention.sub.objected'))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function SubprocessorsPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container">
      <h1>{t('retention.sub.title')}</h1>
      <p className="muted">{t('retention.sub.intro')}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {d.changes.length > 0 && (
        <section className="card" aria-labelledby="changes-title">
          <h2 id="changes-title">{t('retention.sub.changes')}</h2>
          {d.changes.map((c) => (
            <article key={c.id} className="card">
              <h3>
                {t(`retention.sub.kind.${c.kind}`)} : {c.name}
              </h3>
              <p>{c.description}</p>
              <p className="hint">
                {c.registrationNumber} · {c.activity} · {t('retention.sub.transfer')} : {t(c.transfer ? 'retention.yes' : 'retention.no')} · {c.contract}
              </p>
              <p>{t('retention.sub.deadline', { received: formatDate(t.lang, c.notifiedAt, true), deadline: formatDate(t.lang, c.deadline, true) })}</p>
              {c.objectedAt ? (
                <span className="badge warn">{t('retention.sub.objected_on', { at: formatDate(t.lang, c.objectedAt, true) })}</span>
              ) : c.open ? (
                <Form method="post">
                  <input type="hidden" name="changeId" value={c.id} />
                  <button type="submit" className="secondary">
                    {t('retention.sub.object')}
                  </button>
                </Form>
              ) : (
                <span className="muted">{t('retention.sub.closed')}</span>
              )}
            </article>
          ))}
        </section>
      )}
      <section className="card" aria-labelledby="reg-title">
        <h2 id="reg-title">{t('retention.sub.register')}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('retention.sub.col_name')}</th>
                <th scope="col">{t('retention.sub.col_siret')}</th>
                <th scope="col">{t('retention.sub.col_activity')}</th>
                <th scope="col">{t('retention.sub.transfer')}</th>
                <th scope="col">{t('retention.sub.col_contract')}</th>
              </tr>
            </thead>
            <tbody>
              {d.register.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.registrationNumber}</td>
                  <td>{s.activity}</td>
                  <td>{t(s.transfer ? 'retention.yes' : 'retention.no')}</td>
                  <td>{s.contract}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  )
}
