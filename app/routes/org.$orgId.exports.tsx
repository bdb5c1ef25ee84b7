import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useNavigation, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'
import { listMyExports, syncExportLimit } from '~/exports/learning/files.server'
import { mayExport, resolveScope } from '~/exports/learning/scope.server'
import { now } from '~/clock.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — exports' }]
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
  const period = (
    <div className="actions">
      <div className="field">
        <label htmlFor="f-from">{t('learning.grid.from')}</label>
        <input id="f-from" type="date" name="from" />
      </div>
      <div className="field">
        <label htmlFor="f-to">{t('learning.grid.to')}</label>
        <input id="f-to" type="date" name="to" />
      </div>
    </div>
  )
  return (
    <div className="container">
      <h1>{t('learning.export.title', { name: orgName })}</h1>
      <p className="muted">{t('learning.export.intro', { n: syncLimit })}</p>
      {params.get('started') && <Notice kind="success">{t('learning.export.started')}</Notice>}
      {params.get('error') && <Notice kind="error">{t.or(params.get('error'), t('error.unexpected.body'))}</Notice>}

      <div className="grid-cards" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))' }}>
        {classes.length > 0 && (
          <section className="card" aria-labelledby="class-export">
            <h2 id="class-export">{t('learning.export.class_title')}</h2>
            <Form method="post" action={`/org/${orgId}/exports/zip`} reloadDocument>
              <input type="hidden" name="kind" value="class" />
              <div className="field">
                <label htmlFor="f-class">{t('learning.export.class')}</label>
                <select id="f-class" name="classId" required>
                  {classes.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.schoolYear})
                    </option>
                  ))}
                </select>
              </div>
              {period}
              <button type="submit" disabled={busy}>
                {t('learning.export.class_submit')}
              </button>
            </Form>
          </section>
        )}
        {schoolAllowed && (
          <section className="card" aria-labelledby="school-export">
            <h2 id="school-export">{t('learning.export.school_title')}</h2>
            <p className="hint">{t('learning.export.school_hint')}</p>
            <Form method="post" action={`/org/${orgId}/exports/zip`} reloadDocument>
              <input type="hidden" name="kind" value="school" />
              {period}
              <button type="submit" disabled={busy}>
                {t('learning.export.school_submit')}
              </button>
            </Form>
          </section>
        )}
        {!classes.length && !schoolAllowed && <p>{t('learning.export.nothing_allowed')}</p>}
      </div>

      <section aria-labelledby="my-exports">
        <h2 id="my-exports">{t('learning.export.mine')}</h2>
        {exports.length === 0 ? (
          <p className="muted">{t('learning.export.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('learning.export.col_scope')}</th>
                  <th scope="col">{t('learning.export.col_created')}</th>
                  <th scope="col">{t('learning.export.col_status')}</th>
                  <th scope="col">{t('learning.export.col_file')}</th>
                </tr>
              </thead>
              <tbody>
                {exports.map((e) => (
                  <tr key={e.id}>
                    <td>
                      {e.what ?? t('learning.export.whole_school')}
                      {(e.from || e.to) && <span className="muted"> · {[e.from, e.to].map((d) => (d ? formatDate(t.lang, `${d}T12:00:00Z`) : '…')).join(' → ')}</span>}
                    </td>
                    <td>{formatDate(t.lang, e.createdAt, true)}</td>
                    <td style={{ minWidth: '14rem' }}>
                      {e.status === 'queued' || e.status === 'running' ? (
                        <>
                          <label htmlFor={`p-${e.id}`}>{t('learning.export.progress', { done: e.progress, total: e.total })}</label>
                          <progress id={`p-${e.id}`} max={Math.max(e.total, 1)} value={e.progress} />
                        </>
                      ) : e.status === 'failed' ? (
                        <Form method="post" action={`/org/${orgId}/exports/zip`} reloadDocument>
                          <span className="badge bad">{t('learning.export.status.failed')}</span> <span>{t('learning.export.failed_retry')}</span> <input type="hidden" name="intent" value="retry" />
                          <input type="hidden" name="exportId" value={e.id} />
                          <button type="submit" className="secondary" disabled={busy}>
                            {t('learning.export.retry')}
                          </button>
                        </Form>
                      ) : (
                        <span className={`badge${e.status === 'done' ? ' ok' : ''}`}>{t(`learning.export.status.${e.status}`)}</span>
                      )}
                    </td>
                    <td>
                      {e.status === 'done' ? (
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
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
