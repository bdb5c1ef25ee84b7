import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { checkpointPublicKey, ED25519 } from '~/compliance/checkpoints.server'
import { groupedFingerprint } from '~/compliance/signing-key.server'
import { certificateClasses, computeCertificate } from '~/privacy/certificate/certificate.server'
import { isUuid } from '~/privacy/consent/view.server'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { DataTable, Notice, PageHeader, plainField, Section, SelectField, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.certificate')
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const classId = new URL(request.url).searchParams.get('class')
  const list = await certificateClasses(ctx.db, { orgId })
  const scope = isUuid(classId) && list.some((c) => c.id === classId) ? { kind: 'class' as const, classId } : { kind: 'school' as const }
  const key = checkpointPublicKey()
  const base = { orgId, classes: list, classId: scope.kind === 'class' ? scope.classId : '', key: { algorithm: key.algorithm, fingerprint: groupedFingerprint(key.fingerprint) } }
  try {
    const cert = await computeCertificate(ctx.db, { orgId, scope })
    const decisions = (['obtained', 'refused', 'withdrawn'] as const).map((state) => ({
      state,
      count: cert.decisions[state].count,
      first: cert.decisions[state].first?.toISOString() ?? null,
      last: cert.decisions[state].last?.toISOString() ?? null,
    }))
    return {
      ...base,
      error: null,
      cert: {
        children: cert.children,
        informed: cert.informed.map((i) => ({ ...i, at: i.at.toISOString() })),
        decisions: [...decisions, { state: 'pending' as const, count: cert.pending, first: null, last: null }],
        checkpoint: cert.checkpoint
          ? { seq: cert.checkpoint.seq, signedAt: cert.checkpoint.signedAt.toISOString(), headHash: cert.checkpoint.headHash, legacy: cert.checkpoint.algorithm !== ED25519 }
          : null,
      },
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { ...base, error: translate(ctx.lang, e.code, e.vars), cert: null }
  }
}

type Decision = NonNullable<Awaited<ReturnType<typeof loader>>['cert']>['decisions'][number]

export default function CertificatePage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const c = data.cert
  const decisions: Column<Decision>[] = [
    { header: t('dpo.cert.col_state'), cell: (d) => t(`dpo.cert.state_${d.state}`), rowHeader: true },
    { header: t('dpo.cert.col_count'), cell: (d) => d.count },
    { header: t('dpo.cert.col_first'), cell: (d) => (d.state === 'pending' ? '—' : formatDate(t.lang, d.first)) },
    { header: t('dpo.cert.col_last'), cell: (d) => (d.state === 'pending' ? '—' : formatDate(t.lang, d.last)) },
  ]
  return (
    <div className="container">
      <PageHeader title={t('dpo.cert.title')} subtitle={t('dpo.cert.intro')} />
      <Section title={t('dpo.cert.scope')}>
        <Form method="get" className="filter-bar">
          <SelectField meta={plainField('class', { id: 'cert-class', defaultValue: data.classId })} label={t('dpo.cert.scope')}>
            <option value="">{t('dpo.cert.scope_school')}</option>
            {data.classes.map((cl) => (
              <option key={cl.id} value={cl.id}>
                {cl.name}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button type="submit" className="secondary">
              {t('dpo.cert.preview')}
            </button>
          </div>
        </Form>
      </Section>
      {data.error && <Notice kind="error">{data.error}</Notice>}
      {c && (
        <>
          <Section title={t('dpo.cert.informed_title')}>
            {c.informed.length === 0 ? (
              <Notice kind="error">{t('dpo.cert.informed_none')}</Notice>
            ) : (
              <ul className="plain-list">
                {c.informed.map((i, n) => (
                  <li key={n}>
                    {formatDate(t.lang, i.at, true)} · {t.or(`dpo.method.${i.channel}`, i.channel)} · {t('dpo.cert.col_notice')} {i.noticeVersion ?? '—'}
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title={t('dpo.cert.decisions_title')}>
            <DataTable label={t('dpo.cert.decisions_title')} columns={decisions} rows={c.decisions} rowKey={(d) => d.state} empty="—" />
            <p className="hint">{t('dpo.cert.children_count', { n: c.children })}</p>
          </Section>
          <Section title={t('dpo.cert.basis_title')}>
            {c.checkpoint ? (
              <p>
                {t('dpo.cert.basis', { seq: c.checkpoint.seq, date: formatDate(t.lang, c.checkpoint.signedAt, true) })} · <code>{c.checkpoint.headHash.slice(0, 16)}…</code>
                {c.checkpoint.legacy && <> ({t('dpo.checkpoint.legacy')})</>}
              </p>
            ) : (
              <p>{t('dpo.cert.basis_empty')}</p>
            )}
            <dl className="key-value">
              <dt>{t('dpo.key.algorithm')}</dt>
              <dd>{data.key.algorithm}</dd>
              <dt>{t('dpo.key.fingerprint')}</dt>
              <dd>
                <code className="break-all">{data.key.fingerprint}</code>
              </dd>
            </dl>
            <p className="hint">{t('dpo.key.cert_page_hint')}</p>
            <a className="button" href={`/org/${data.orgId}/dpo/certificate/download${data.classId ? `?class=${data.classId}` : ''}`} download>
              {t('dpo.cert.download')}
            </a>
          </Section>
        </>
      )}
    </div>
  )
}
