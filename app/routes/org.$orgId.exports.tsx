import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData, useNavigation, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'
import { listMyExports, syncExportLimit } from '~/exports/learning/files.server'
import { mayExport, resolveScope } from '~/exports/learning/scope.server'
import { now } from '~/clock.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { DataTable, Field, Notice, PageHeader, plainField, Section, SelectField, StatusBadge, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.exports')
// Learning exports (ZIP of PDFs + CSV + JSON + manifest) of a class or of the school, for the
// staff allowed to export every record in them. Small ones download at once; large ones are
// built in the background and downloadable here for 7 days.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo'],
    params: { orgId: 'orgA' },
    note: 'the forms post to exports/zip',
  } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const school = await resolveScope(ctx.db, orgId, { kind: 'school' }).catch(() => {
    throw new Response('Not found', { status: 404 })
  })
  const exportable = school.classes.filter((c) => mayExport(ctx.ability, orgId, { scope: { kind: 'class', classId: c.id }, orgName: school.orgName, classes: [c] }))
  const mine = await listMyExports(ctx.db, { orgId, authorId: ctx.user.id })
  const names = new Map(school.classes.map((c) => [c.id, c.name]))
  const at = now().getTime()
  return {
    orgId,
    orgName: school.orgName,
    classes: exportable.map((c) => ({ id: c.id, name: c.name, schoolYear: c.schoolYear })),
    schoolAllowed: mayExport(ctx.ability, orgId, school),
    syncLimit: syncExportLimit(),
    exports: mine.map((e) => ({
      id: e.id,
      what: e.scope.kind === 'school' ? null : (names.get(e.scope.classId ?? '') ?? '—'),
      from: e.scope.from ?? null,
      to: e.scope.to ?? null,
      status: e.status === 'done' && e.expiresAt.getTime() <= at ? 'expired' : e.status,
      progress: e.progress,
      total: e.total,
      bytes: e.bytes,
      createdAt: e.createdAt.toISOString(),
      expiresAt: e.expiresAt.toISOString(),
    })),
  }
}

function size(bytes: number | null) {
  if (!bytes) return ''
  return bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} Mo` : `${Math.ceil(bytes / 1024)} ko`
}

type Export = Awaited<ReturnType<typeof loader>>['exports'][number]

/** The period of an export: two optional dates (ids per form, the page has two). */
function Period({ form }: { form: string }) {
  const t = useT()
  return (
    <div className="period">
      <Field meta={plainField('from', { id: `${form}-from` })} type="date" label={t('learning.grid.from')} />
      <Field meta={plainField('to', { id: `${form}-to` })} type="date" label={t('learning.grid.to')} />
    </div>
  )
}

export default function Exports() {
  const t = useT()
  const { orgId, orgName, classes, schoolAllowed, syncLimit, exports } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const revalidator = useRevalidator()
  const pending = exports.some((e) => e.status === 'queued' || e.status === 'running')
  useEffect(() => {
    if (!pending) return
    const id = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 1500)
    return () => clearInterval(id)
  }, [pending, revalidator])
  const zip = `/org/${orgId}/exports/zip`
  const columns: Column<Export>[] = [
    {
      header: t('learning.export.col_scope'),
      cell: (e) => (
        <>
          {e.what ?? t('learning.export.whole_school')}
          {(e.from || e.to) && <span className="muted"> · {[e.from, e.to].map((d) => (d ? formatDate(t.lang, `${d}T12:00:00Z`) : '…')).join(' → ')}</span>}
        </>
      ),
    },
    { header: t('learning.export.col_created'), cell: (e) => formatDate(t.lang, e.createdAt, true) },
    {
      header: t('learning.export.col_status'),
      className: 'col-status',
      cell: (e) =>
        e.status === 'queued' || e.status === 'running' ? (
          <>
            <label htmlFor={`p-${e.id}`}>{t('learning.export.progress', { done: e.progress, total: e.total })}</label>
            <progress id={`p-${e.id}`} max={Math.max(e.total, 1)} value={e.progress} />
          </>
        ) : e.status === 'failed' ? (
          <Form method="post" action={zip} reloadDocument>
            <StatusBadge tone="bad">{t('learning.export.status.failed')}</StatusBadge> <span>{t('learning.export.failed_retry')}</span> <input type="hidden" name="intent" value="retry" />
            <input type="hidden" name="exportId" value={e.id} />
            <button type="submit" className="secondary" disabled={busy}>
              {t('learning.export.retry')}
            </button>
          </Form>
        ) : (
          <StatusBadge tone={e.status === 'done' ? 'ok' : 'neutral'}>{t(`learning.export.status.${e.status}`)}</StatusBadge>
        ),
    },
    {
      header: t('learning.export.col_file'),
      cell: (e) =>
        e.status === 'done' ? (
          <>
            <a href={`/org/${orgId}/exports/${e.id}`} download>
              {t('learning.export.download')}
            </a>{' '}
            <span className="muted">
              {size(e.bytes)} · {t('learning.export.until', { date: formatDate(t.lang, e.expiresAt, true) })}
            </span>
          </>
        ) : (
          '—'
        ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('learning.export.title', { name: orgName })} subtitle={t('learning.export.intro', { n: syncLimit })} />
      {params.get('started') && <Notice kind="success">{t('learning.export.started')}</Notice>}
      {params.get('error') && <Notice kind="error">{t.or(params.get('error'), t('error.unexpected.body'))}</Notice>}

      <div className="grid-cards wide">
        {classes.length > 0 && (
          <Section title={t('learning.export.class_title')}>
            <Form method="post" action={zip} reloadDocument>
              <input type="hidden" name="kind" value="class" />
              <SelectField meta={plainField('classId', { id: 'f-class', required: true })} label={t('learning.export.class')}>
                {classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.schoolYear})
                  </option>
                ))}
              </SelectField>
              <Period form="class" />
              <button type="submit" disabled={busy}>
                {t('learning.export.class_submit')}
              </button>
            </Form>
          </Section>
        )}
        {schoolAllowed && (
          <Section title={t('learning.export.school_title')}>
            <p className="hint">{t('learning.export.school_hint')}</p>
            <Form method="post" action={zip} reloadDocument>
              <input type="hidden" name="kind" value="school" />
              <Period form="school" />
              <button type="submit" disabled={busy}>
                {t('learning.export.school_submit')}
              </button>
            </Form>
          </Section>
        )}
        {!classes.length && !schoolAllowed && <p>{t('learning.export.nothing_allowed')}</p>}
      </div>

      <Section title={t('learning.export.mine')} card={false}>
        <DataTable label={t('learning.export.mine')} columns={columns} rows={exports} rowKey={(e) => e.id} empty={t('learning.export.none')} />
      </Section>
    </div>
  )
}
