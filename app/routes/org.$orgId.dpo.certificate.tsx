import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { certificateClasses, computeCertificate } from '~/privacy/certificate/certificate.server'
import { isUuid } from '~/privacy/consent/view.server'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — attestation de conformité' }]
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const classId = new URL(request.url).searchParams.get('class')
  const list = await certificateClasses(ctx.db, { orgId })
  const scope = isUuid(classId) && list.some((c) => c.id === classId) ? { kind: 'class' as const, classId } : { kind: 'school' as const }
  try {
    const cert = await computeCertificate(ctx.db, { orgId, scope })
    return {
      orgId,
      classes: list,
      classId: scope.kind === 'class' ? scope.classId : '',
      error: null,
      cert: {
        children: cert.children,
        informed: cert.informed.map((i) => ({ ...i, at: i.at.toISOString() })),
        decisions: Object.fromEntries(Object.entries(cert.decisions).map(([k, v]) => [k, { count: v.count, first: v.first?.toISOString() ?? null, last: v.last?.toISOString() ?? null }])),
        pending: cert.pending,
        checkpoint: cert.checkpoint ? { seq: cert.checkpoint.seq, signedAt: cert.checkpoint.signedAt.toISOString(), headHash: cert.checkpoint.headHash } : null,
      },
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { orgId, classes: list, classId: scope.kind === 'class' ? scope.classId : '', error: translate(ctx.lang, e.code, e.vars), cert: null }
  }
}

export default function CertificatePage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const c = data.cert
  return (
    <div className="container">
      <h1>{t('dpo.cert.title')}</h1>
      <p className="muted">{t('dpo.cert.intro')}</p>
      <Form method="get" className="card actions">
        <label htmlFor="cert-class">{t('dpo.cert.scope')}</label>
        <select id="cert-class" name="class" defaultValue={data.classId}>
          <option value="">{t('dpo.cert.scope_school')}</option>
          {data.classes.map((cl) => (
            <option key={cl.id} value={cl.id}>
              {cl.name}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t('dpo.cert.preview')}
        </button>
      </Form>
      {data.error && <Notice kind="error">{data.error}</Notice>}
      {c && (
        <>
          <section className="card" aria-labelledby="informed-title">
            <h2 id="informed-title">{t('dpo.cert.informed_title')}</h2>
            {c.informed.length === 0 ? (
              <Notice kind="error">{t('dpo.cert.informed_none')}</Notice>
            ) : (
              <ul>
                {c.informed.map((i, n) => (
                  <li key={n}>
                    {formatDate(t.lang, i.at, true)} · {t.or(`dpo.method.${i.channel}`, i.channel)} · {t('dpo.cert.col_notice')} {i.noticeVersion ?? '—'}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="decisions-title">
            <h2 id="decisions-title">{t('dpo.cert.decisions_title')}</h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('dpo.cert.col_state')}</th>
                    <th scope="col">{t('dpo.cert.col_count')}</th>
                    <th scope="col">{t('dpo.cert.col_first')}</th>
                    <th scope="col">{t('dpo.cert.col_last')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(['obtained', 'refused', 'withdrawn'] as const).map((s) => (
                    <tr key={s}>
                      <td>{t(`dpo.cert.state_${s}`)}</td>
                      <td>{c.decisions[s]!.count}</td>
                      <td>{formatDate(t.lang, c.decisions[s]!.first)}</td>
                      <td>{formatDate(t.lang, c.decisions[s]!.last)}</td>
                    </tr>
                  ))}
                  <tr>
                    <td>{t('dpo.cert.state_pending')}</td>
                    <td>{c.pending}</td>
                    <td>—</td>
                    <td>—</td>
                  </tr>
                </tbody>
              </table>
            </div>
            <p className="hint">{t('dpo.cert.children_count', { n: c.children })}</p>
          </section>
          <section className="card" aria-labelledby="basis-title">
            <h2 id="basis-title">{t('dpo.cert.basis_title')}</h2>
            {c.checkpoint ? (
              <p>
                {t('dpo.cert.basis', { seq: c.checkpoint.seq })} {formatDate(t.lang, c.checkpoint.signedAt, true)} · <code>{c.checkpoint.headHash.slice(0, 16)}…</code>
              </p>
            ) : (
              <p>{t('dpo.cert.basis_empty')}</p>
            )}
            <a className="button" href={`/org/${data.orgId}/dpo/certificate/download${data.classId ? `?class=${data.classId}` : ''}`} download>
              {t('dpo.cert.download')}
            </a>
          </section>
        </>
      )}
    </div>
  )
}
