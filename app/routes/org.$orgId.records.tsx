import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { recordsOfProcessing } from '~/privacy/records/records.server'
import { securityMeasures } from '~/privacy/records/security.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { activityLabel } from '~/privacy/subprocessors/activities'
import { DataTable, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.records')
// Records of processing (Annex B), generated from the classification and the organization's settings.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const r = await recordsOfProcessing(ctx.db, orgId)
  return { orgId, r: { ...r, generatedAt: r.generatedAt.toISOString() }, security: securityMeasures(ctx.lang) }
}

type Category = Awaited<ReturnType<typeof loader>>['r']['activities'][number]['categories'][number]

export default function RecordsPage() {
  const t = useT()
  const { orgId, r, security } = useLoaderData<typeof loader>()
  const categoryColumns: Column<Category>[] = [
    { header: t('retention.records.category'), cell: (c) => t(`retention.records.cat.${c.category}`), rowHeader: true },
    { header: t('retention.records.subjects'), cell: (c) => c.subjects.map((s) => t(`retention.records.subject.${s}`)).join(', ') },
    {
      header: t('retention.records.tables'),
      cell: (c) => (
        <small>
          {c.tables.map((name, i) => (
            <span key={name}>
              {i > 0 && ', '}
              <code>{name}</code>
            </span>
          ))}
        </small>
      ),
    },
  ]
  return (
    <div className="container">
      <h1>{t('retention.records.title')}</h1>
      <p className="muted">{t('retention.records.intro')}</p>
      <p>
        <a className="button" href={`/org/${orgId}/records/pdf`} download>
          {t('retention.records.download')}
        </a>
      </p>
      <section className="card">
        <dl>
          <dt>{t('retention.records.controller')}</dt>
          <dd>{r.org.name}</dd>
          <dt>{t('retention.records.dpo')}</dt>
          <dd>{r.dpos.length ? r.dpos.map((d) => `${d.name} <${d.email}>`).join(', ') : '—'}</dd>
          <dt>{t('retention.records.processor')}</dt>
          <dd>{t('retention.records.processor_name')}</dd>
          <dt>{t('retention.records.generated')}</dt>
          <dd>{formatDate(t.lang, r.generatedAt, true)}</dd>
        </dl>
      </section>
      {r.activities.map((a) => (
        <section key={a.purpose} className="card" aria-labelledby={`p-${a.purpose}`}>
          <h2 id={`p-${a.purpose}`}>{t(`retention.records.purpose.${a.purpose}`)}</h2>
          <p>{t(`retention.records.purpose_text.${a.purpose}`)}</p>
          <dl>
            <dt>{t('retention.records.legal_basis')}</dt>
            <dd>{t(`retention.basis.${a.legalBasis}`)}</dd>
            <dt>{t('retention.records.subjects')}</dt>
            <dd>{a.subjects.map((s) => t(`retention.records.subject.${s}`)).join(', ')}</dd>
            <dt>{t('retention.records.retention')}</dt>
            <dd>
              <ul>
                {a.retention.map((x) => (
                  <li key={x.key}>{t(x.key, x.vars)}</li>
                ))}
              </ul>
            </dd>
            <dt>{t('retention.records.recipients')}</dt>
            <dd>{[t('retention.records.processor_teams'), ...r.recipients.map((s) => `${s.name} (${activityLabel(t.lang, s.activity)})`)].join(', ')}</dd>
          </dl>
          <DataTable label={`${t(`retention.records.purpose.${a.purpose}`)} — ${t('retention.records.category')}`} columns={categoryColumns} rows={a.categories} rowKey={(c) => c.category} empty="—" />
        </section>
      ))}
      <section className="card">
        <h2>{t('retention.records.transfers')}</h2>
        <p>{r.recipients.some((s) => s.transfer) ? t('retention.records.transfers_some') : t('retention.records.transfers_none')}</p>
      </section>
      <section className="card" aria-labelledby="security">
        <h2 id="security">{t('retention.records.security')}</h2>
        <p className="muted">{t('retention.records.security_intro')}</p>
        {security.map((area) => (
          <section key={area.area} aria-labelledby={`security-${area.area}`}>
            <h3 id={`security-${area.area}`}>{area.title}</h3>
            <ul>
              {area.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </section>
        ))}
      </section>
    </div>
  )
}
