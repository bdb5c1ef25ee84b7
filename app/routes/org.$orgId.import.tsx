import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { DomainError, PayloadTooLarge } from '~/errors.server'
import { formatDate, t as translate, useT, type MessageKey } from '~/i18n'
import { commitImport } from '~/models/roster-import/commit.server'
import { confirmImport, createImport, discardImport, getImport, listImports, markImportFailed, remapImport, replanImport } from '~/models/roster-import/imports.server'
import { enqueueRosterImport } from '~/models/roster-import/jobs.server'
import { isSchoolYear, MAX_UPLOAD_BYTES, schoolYearOf, uploadErrorMessage, type UploadedFile } from '~/models/roster-import/source.server'
import { importView, orgForImport, type ImportView } from '~/models/roster-import/view.server'
import { now } from '~/clock.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { ROSTER_FIELDS, type MappingOverride } from '~/models/roster/index.server'
import { readFormData } from '~/ui/body.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — import' }]
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA' } } satisfies RouteAccess }

type Reply = { status: 'error'; formError: string }

async function context(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  // Denied (403, audited) before anything about the organization is looked up.
  await authorize(ctx, 'create', 'RosterImport', { orgId })
  return ctx
}

function notFound(): never {
  throw new Response('Not found', { status: 404 })
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await context(request, orgId)
  const org = await orgForImport(ctx.db, orgId).catch(notFound)
  const url = new URL(request.url)
  const id = url.searchParams.get('id')
  const thisYear = schoolYearOf(now())
  const start = Number(thisYear.slice(0, 4))
  const years = [`${start - 1}-${start}`, thisYear, `${start + 1}-${start + 2}`]
  if (!id) {
    const recent = await listImports(ctx.db, orgId)
    return {
      org,
      years,
      thisYear,
      maxMb: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024),
      recent: recent.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })),
      view: null as ImportView | null,
      step: null as string | null,
      stale: false,
    }
  }
  const row = await getImport(ctx.db, { orgId, importId: id }).catch(notFound)
  return { org, years, thisYear, maxMb: 0, recent: [], view: importView(row, ctx.lang), step: url.searchParams.get('step'), stale: url.searchParams.has('stale') }
}

async function readFiles(form: FormData): Promise<UploadedFile[]> {
  const out: UploadedFile[] = []
  for (const v of form.getAll('file')) {
    if (typeof v === 'string' || !v.size) continue
    out.push({ name: v.name || 'roster.csv', bytes: Buffer.from(await v.arrayBuffer()) })
  }
  return out
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await context(request, orgId)
  const lang = ctx.lang
  const fail = (key: MessageKey, vars?: Record<string, string | number>): Reply => ({ status: 'error', formError: translate(lang, key, vars) })
  // The ceiling counts the bytes actually received (a chunked upload sends no Content-Length).
  const form = await readFormData(request, MAX_UPLOAD_BYTES + 64 * 1024).catch((e: unknown) => {
    if (e instanceof PayloadTooLarge) return null
    throw e
  })
  if (!form) return fail('roster.error.too_big', { mb: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024) })
  const intent = String(form.get('intent') ?? '')
  const importId = String(form.get('importId') ?? '')
  const base = `/org/${orgId}/import`
  await orgForImport(ctx.db, orgId).catch(notFound)
  try {
    switch (intent) {
      case 'upload': {
        const files = await readFiles(form)
        if (!files.length) return fail('roster.error.no_file')
        const schoolYear = String(form.get('schoolYear') ?? '')
        if (!isSchoolYear(schoolYear)) return fail('roster.error.school_year')
        const created = await createImport(ctx.db, {
          orgId,
          actorId: ctx.user.id,
          files,
          schoolYear,
          options: { existingClassesOnly: form.get('existingClassesOnly') === 'on' },
        })
        return redirect(`${base}?id=${created.id}${created.needsMapping ? '&step=mapping' : ''}`)
      }
      case 'mapping': {
        const mapping: MappingOverride = {}
        for (const f of ROSTER_FIELDS) mapping[f] = String(form.get(`map_${f}`) ?? '') || null
        const { needsMapping } = await remapImport(ctx.db, { orgId, importId, mapping })
        return redirect(`${base}?id=${importId}${needsMapping ? '&step=mapping' : ''}`)
      }
      case 'replan': {
        await replanImport(ctx.db, { orgId, importId })
        return redirect(`${base}?id=${importId}`)
      }
      case 'discard': {
        await discardImport(ctx.db, { orgId, importId })
        return redirect(base)
      }
      case 'confirm': {
        const archive = form.get('archiveAll') === 'on' ? ['*'] : form.getAll('archive').map(String)
        let archiveChildIds = archive
        if (archive[0] === '*') {
          const row = await getImport(ctx.db, { orgId, importId })
          archiveChildIds = row.plan?.missing.map((m) => m.childId) ?? []
        }
        const claimed = await confirmImport(ctx.db, { orgId, importId, actorId: ctx.user.id, archiveChildIds, origin: ctx.origin })
        if (claimed.claimed && claimed.background) {
          try {
            await enqueueRosterImport({ orgId, importId })
          } catch (e) {
            await markImportFailed(ctx.db, { orgId, importId, code: 'roster.error.queue' })
            throw e
          }
        } else if (claimed.claimed) {
          try {
            await commitImport(ctx.db, { orgId, importId, actorId: ctx.user.id, origin: ctx.origin, archiveChildIds })
          } catch (e) {
            if (e instanceof DomainError && e.code === 'roster.error.stale_plan') {
              await replanImport(ctx.db, { orgId, importId })
              return redirect(`${base}?id=${importId}&stale=1`)
            }
            if (e instanceof DomainError) return redirect(`${base}?id=${importId}`)
            throw e
          }
        }
        return redirect(`${base}?id=${importId}`)
      }
      default:
        return fail('roster.error.unknown_intent')
    }
  } catch (e) {
    const message = uploadErrorMessage(e, lang)
    if (message === null) throw e
    return { status: 'error', formError: message } satisfies Reply
  }
}

export default function RosterImportPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const view = data.view
  return (
    <div className="container">
      <p className="muted">{data.org.name}</p>
      <h1>{t('roster.title')}</h1>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {!view ? (
        <UploadStep data={data} />
      ) : view.status === 'running' ? (
        <RunningStep view={view} orgId={data.org.id} />
      ) : view.status === 'done' ? (
        <ResultStep view={view} orgId={data.org.id} />
      ) : !view.plan || data.step === 'mapping' ? (
        <MappingStep view={view} orgId={data.org.id} />
      ) : (
        <ReportStep view={view} orgId={data.org.id} stale={data.stale} />
      )}
    </div>
  )
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type View = NonNullable<Data['view']>
type PlanView = NonNullable<View['plan']>

function UploadStep({ data }: { data: Data }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  return (
    <>
      <p>{t('roster.intro')}</p>
      <Form method="post" encType="multipart/form-data" className="card">
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor="f-file">{t('roster.file')}</label>
          <p className="hint" id="f-file-hint">
            {t('roster.file_hint', { mb: data.maxMb })}
          </p>
          <input id="f-file" name="file" type="file" accept=".csv,.txt,.zip,text/csv,text/plain,application/zip" multiple required aria-describedby="f-file-hint" />
        </div>
        <div className="field">
          <label htmlFor="f-year">{t('roster.school_year')}</label>
          <select id="f-year" name="schoolYear" defaultValue={data.thisYear}>
            {data.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="checkbox">
          <input id="f-existing" type="checkbox" name="existingClassesOnly" />
          <label htmlFor="f-existing">{t('roster.existing_only')}</label>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t('roster.analyzing') : t('roster.analyze')}
        </button>
      </Form>
      {data.recent.length > 0 && (
        <section>
          <h2>{t('roster.recent')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('roster.col.file')}</th>
                  <th scope="col">{t('roster.col.date')}</th>
                  <th scope="col">{t('roster.col.status')}</th>
                  <th scope="col">{t('roster.col.children')}</th>
                </tr>
              </thead>
              <tbody>
                {data.recent.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`?id=${r.id}`}>{r.fileName}</Link>
                    </td>
                    <td>{formatDate(t.lang, r.createdAt, true)}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{r.counts ? r.counts.childrenCreate + r.counts.childrenUpdate + r.counts.childrenUnchanged : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  )
}

function StatusBadge({ status }: { status: string }) {
  const t = useT()
  const kind = status === 'done' ? 'ok' : status === 'failed' ? 'bad' : 'warn'
  return <span className={`badge ${kind}`}>{t.or(`roster.status.${status}`, status)}</span>
}

function SourceLine({ view }: { view: View }) {
  const t = useT()
  return (
    <p className="muted" data-testid="detected">
      <strong>{view.fileName}</strong> · {t(`roster.format.${view.format}`)}
      {view.info?.encoding && <> · {t('roster.encoding', { encoding: t(`roster.encoding.${view.info.encoding}`) })}</>}
      {view.info?.delimiter && view.format === 'generic' && (
        <> · {t('roster.delimiter', { delimiter: t(`roster.delimiter.${view.info.delimiter === ';' ? 'semicolon' : view.info.delimiter === ',' ? 'comma' : 'tab'}`) })}</>
      )}
      {view.schoolYear && <> · {t('roster.year_line', { year: view.schoolYear })}</>}
    </p>
  )
}

function MappingStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const mapping = view.mapping
  return (
    <>
      <h2>{t('roster.mapping.title')}</h2>
      <SourceLine view={view} />
      {!mapping ? (
        <Notice kind="error">{t('roster.error.not_editable')}</Notice>
      ) : (
        <>
          {mapping.missing.length > 0 && <Notice kind="error">{t('roster.mapping.missing', { fields: mapping.missing.map((f) => t(`roster.field.${f}`)).join(', ') })}</Notice>}
          <p>{t('roster.mapping.intro')}</p>
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="mapping" />
            <input type="hidden" name="importId" value={view.id} />
            {mapping.fields.map(({ field, required }) => (
              <div className="field" key={field}>
                <label htmlFor={`map-${field}`}>
                  {t(`roster.field.${field}`)}
                  {required && <span className="muted"> ({t('roster.required')})</span>}
                </label>
                <select id={`map-${field}`} name={`map_${field}`} defaultValue={mapping.selected[field]}>
                  <option value="">{t('roster.mapping.ignore')}</option>
                  {mapping.headers.map((h, i) =>
                    h.trim() ? (
                      <option key={`${i}-${h}`} value={h}>
                        {mapping.samples[h] ? t('roster.mapping.option', { header: h, sample: mapping.samples[h] }) : h}
                      </option>
                    ) : null,
                  )}
                </select>
              </div>
            ))}
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('roster.mapping.submit')}
              </button>
              {view.plan && (
                <Link className="button secondary" to={`/org/${orgId}/import?id=${view.id}`}>
                  {t('common.cancel')}
                </Link>
              )}
            </div>
          </Form>
        </>
      )}
      <DiscardForm view={view} />
    </>
  )
}

function DiscardForm({ view }: { view: View }) {
  const t = useT()
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="importId" value={view.id} />
      <button type="submit" name="intent" value="discard" className="secondary">
        {t('roster.discard')}
      </button>
    </Form>
  )
}

function More({ count }: { count: number }) {
  const t = useT()
  return count > 0 ? <p className="muted">{t('roster.more', { count })}</p> : null
}

function Counts({ plan }: { plan: PlanView }) {
  const t = useT()
  const c = plan.counts
  const rows: [MessageKey, number, number | null, number | null, string?][] = [
    ['roster.count.classes', c.classesCreate, null, c.classesUnchanged],
    ['roster.count.children', c.childrenCreate, c.childrenUpdate, c.childrenUnchanged],
    ['roster.count.guardians', c.guardiansCreate, null, c.guardiansUnchanged],
  ]
  if (c.teachersInvite + c.teachersUnchanged > 0) rows.push(['roster.count.teachers', c.teachersInvite, null, c.teachersUnchanged])
  return (
    <div className="table-wrap">
      <table data-testid="counts">
        <thead>
          <tr>
            <th scope="col">{t('roster.col.what')}</th>
            <th scope="col">{t('roster.col.create')}</th>
            <th scope="col">{t('roster.col.update')}</th>
            <th scope="col">{t('roster.col.unchanged')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, create, update, unchanged]) => (
            <tr key={key}>
              <th scope="row">{t(key)}</th>
              <td>{create}</td>
              <td>{update ?? '—'}</td>
              <td>{unchanged ?? '—'}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('roster.count.rejected')}</th>
            <td colSpan={3}>
              <span className={`badge ${c.rejected ? 'bad' : 'ok'}`}>{c.rejected}</span>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('roster.count.missing')}</th>
            <td colSpan={3}>
              <span className={`badge ${c.missing ? 'warn' : 'ok'}`}>{c.missing}</span>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}

function RejectedTable({ rejected, oneRoster }: { rejected: PlanView['rejected']; oneRoster: boolean }) {
  const t = useT()
  if (!rejected.rows.length) return <p className="muted">{t('roster.none')}</p>
  return (
    <>
      <div className="table-wrap">
        <table data-testid="rejected">
          <thead>
            <tr>
              <th scope="col">{t('roster.col.line')}</th>
              {oneRoster && <th scope="col">{t('roster.col.file')}</th>}
              <th scope="col">{t('roster.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rejected.rows.map((r, i) => (
              <tr key={`${r.file}-${r.line}-${i}`}>
                <td>{r.line}</td>
                {oneRoster && <td>{r.file}</td>}
                <td>
                  {r.message}
                  {/* The parser's detail (the offending value) is written in English. */}
                  {t.lang === 'en' && (
                    <>
                      <br />
                      <small className="muted">{r.detail}</small>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More count={rejected.more} />
    </>
  )
}

function ChildrenTable({ list, testId, changes }: { list: PlanView['create'] | PlanView['update']; testId: string; changes?: boolean }) {
  const t = useT()
  if (!list.rows.length) return <p className="muted">{t('roster.none')}</p>
  return (
    <>
      <div className="table-wrap">
        <table data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{t('roster.col.line')}</th>
              <th scope="col">{t('roster.field.lastName')}</th>
              <th scope="col">{t('roster.field.firstName')}</th>
              <th scope="col">{t('roster.field.birthDate')}</th>
              <th scope="col">{t('roster.field.className')}</th>
              {changes ? <th scope="col">{t('roster.col.changes')}</th> : <th scope="col">{t('roster.col.guardians')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.rows.map((c) => (
              <tr key={c.childId}>
                <td>{c.line}</td>
                <td>{c.lastName}</td>
                <td>{c.firstName}</td>
                <td>{formatBirth(c.birthDate)}</td>
                <td>
                  {c.className}
                  {c.groupName && <span className="muted"> · {c.groupName}</span>}
                </td>
                {changes ? (
                  <td>
                    <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                      {('changes' in c ? (c.changes as string[]) : []).map((x) => (
                        <li key={x}>{x}</li>
                      ))}
                    </ul>
                  </td>
                ) : (
                  <td>{c.guardians}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More count={list.more} />
    </>
  )
}

function formatBirth(iso: string) {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}

function ReportStep({ view, orgId, stale }: { view: View; orgId: string; stale: boolean }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const plan = view.plan!
  const oneRoster = view.format === 'oneroster'
  const nothing = plan.counts.childrenCreate + plan.counts.childrenUpdate + plan.counts.guardiansCreate + plan.counts.classesCreate + plan.counts.teachersInvite === 0
  return (
    <>
      <h2>{t('roster.report.title')}</h2>
      <SourceLine view={view} />
      {stale && <Notice kind="info">{t('roster.report.stale')}</Notice>}
      {view.status === 'failed' && view.error && <Notice kind="error">{t('roster.failed', { reason: view.error })}</Notice>}
      <Notice kind="info">{t('roster.report.intro')}</Notice>
      <Counts plan={plan} />
      {view.info?.canRemap && (
        <p>
          <Link to={`/org/${orgId}/import?id=${view.id}&step=mapping`}>{t('roster.mapping.change')}</Link>
        </p>
      )}

      <section aria-labelledby="h-rejected">
        <h3 id="h-rejected">{t('roster.section.rejected', { count: plan.counts.rejected })}</h3>
        {plan.counts.rejected > 0 && <p>{t('roster.rejected_intro')}</p>}
        <RejectedTable rejected={plan.rejected} oneRoster={oneRoster} />
      </section>

      <section aria-labelledby="h-create">
        <h3 id="h-create">{t('roster.section.create', { count: plan.counts.childrenCreate })}</h3>
        <ChildrenTable list={plan.create} testId="to-create" />
      </section>

      <section aria-labelledby="h-update">
        <h3 id="h-update">{t('roster.section.update', { count: plan.counts.childrenUpdate })}</h3>
        <ChildrenTable list={plan.update} testId="to-update" changes />
      </section>

      <details>
        <summary>{t('roster.section.unchanged', { count: plan.counts.childrenUnchanged })}</summary>
        <ChildrenTable list={plan.unchanged} testId="unchanged" />
      </details>

      <section aria-labelledby="h-classes">
        <h3 id="h-classes">{t('roster.section.classes', { count: plan.counts.classesCreate })}</h3>
        {plan.classesCreate.length ? <p>{plan.classesCreate.map((c) => c.name).join(', ')}</p> : <p className="muted">{t('roster.none')}</p>}
        {plan.classesUnchanged.length > 0 && <p className="muted">{t('roster.classes_existing', { names: plan.classesUnchanged.map((c) => c.name).join(', ') })}</p>}
      </section>

      <section aria-labelledby="h-guardians">
        <h3 id="h-guardians">{t('roster.section.guardians', { count: plan.counts.guardiansCreate })}</h3>
        <p className="hint">{t('roster.guardians_hint')}</p>
        {plan.guardiansCreate.rows.length ? (
          <>
            <div className="table-wrap">
              <table data-testid="guardians">
                <thead>
                  <tr>
                    <th scope="col">{t('roster.col.email')}</th>
                    <th scope="col">{t('roster.col.children_covered')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.guardiansCreate.rows.map((g) => (
                    <tr key={g.email}>
                      <td>{g.email}</td>
                      <td>{g.children}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <More count={plan.guardiansCreate.more} />
          </>
        ) : (
          <p className="muted">{t('roster.none')}</p>
        )}
        {plan.counts.guardiansUnchanged > 0 && <p className="muted">{t('roster.guardians_unchanged', { count: plan.counts.guardiansUnchanged })}</p>}
      </section>

      {plan.counts.teachersInvite + plan.counts.teachersUnchanged > 0 && (
        <section aria-labelledby="h-teachers">
          <h3 id="h-teachers">{t('roster.section.teachers', { count: plan.counts.teachersInvite })}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('roster.col.name')}</th>
                  <th scope="col">{t('roster.col.email')}</th>
                  <th scope="col">{t('roster.field.className')}</th>
                  <th scope="col">{t('roster.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.teachersInvite.rows.map((x) => (
                  <tr key={x.email}>
                    <td>{x.name}</td>
                    <td>{x.email}</td>
                    <td>{x.classes}</td>
                    <td>{t('roster.teacher.invite')}</td>
                  </tr>
                ))}
                {plan.teachersUnchanged.rows.map((x) => (
                  <tr key={x.email}>
                    <td>{x.name}</td>
                    <td>{x.email}</td>
                    <td>{x.classes}</td>
                    <td>{t('roster.teacher.unchanged')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <Form method="post" className="card">
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="importId" value={view.id} />
        <section aria-labelledby="h-missing">
          <h3 id="h-missing">{t('roster.missing.title', { count: plan.counts.missing })}</h3>
          {plan.missing.rows.length === 0 ? (
            <p className="muted">{t('roster.none')}</p>
          ) : (
            <>
              <p>{t('roster.missing.intro')}</p>
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend style={{ marginBottom: '.5rem' }}>{t('roster.missing.legend')}</legend>
                {plan.missing.more > 0 && (
                  <div className="checkbox">
                    <input id="archive-all" type="checkbox" name="archiveAll" />
                    <label htmlFor="archive-all">{t('roster.missing.all', { count: plan.counts.missing })}</label>
                  </div>
                )}
                <ul style={{ listStyle: 'none', padding: 0, margin: 0, columns: '18rem' }} data-testid="missing">
                  {plan.missing.rows.map((m) => (
                    <li key={m.childId} className="checkbox">
                      <input id={`archive-${m.childId}`} type="checkbox" name="archive" value={m.childId} />
                      <label htmlFor={`archive-${m.childId}`}>
                        {m.lastName} {m.firstName}
                        {m.className && <span className="muted"> · {m.className}</span>}
                      </label>
                    </li>
                  ))}
                </ul>
                <More count={plan.missing.more} />
              </fieldset>
            </>
          )}
        </section>
        <p>{nothing ? t('roster.confirm_nothing') : t('roster.confirm_hint')}</p>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('roster.confirming') : t('roster.confirm')}
          </button>
        </div>
      </Form>
      <div className="actions">
        {view.status === 'failed' && (
          <Form method="post">
            <input type="hidden" name="importId" value={view.id} />
            <button type="submit" name="intent" value="replan" className="secondary">
              {t('roster.replan')}
            </button>
          </Form>
        )}
        <DiscardForm view={view} />
      </div>
    </>
  )
}

function RunningStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const revalidator = useRevalidator()
  const [state, setState] = useState({ progress: view.progress, total: view.total })
  useEffect(() => {
    let stop = false
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/org/${orgId}/import/${view.id}/progress`, { headers: { accept: 'application/json' } })
        if (!res.ok || stop) return
        const p = (await res.json()) as { status: string; progress: number; total: number }
        setState({ progress: p.progress, total: p.total })
        if (p.status !== 'running' && revalidator.state === 'idle') revalidator.revalidate()
      } catch {
        // The next tick tries again.
      }
    }, 1000)
    return () => {
      stop = true
      clearInterval(timer)
    }
  }, [orgId, view.id, revalidator])
  const total = Math.max(state.total, 1)
  return (
    <section className="card" aria-labelledby="h-running">
      <h2 id="h-running">{t('roster.running.title')}</h2>
      <SourceLine view={view} />
      <label htmlFor="import-progress">{t('roster.running.progress', { done: state.progress, total })}</label>
      <progress id="import-progress" max={total} value={state.progress}>
        {Math.round((100 * state.progress) / total)} %
      </progress>
      <p className="hint">{t('roster.running.hint')}</p>
    </section>
  )
}

function ResultStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const r = view.result
  const plan = view.plan
  return (
    <>
      <h2>{t('roster.result.title')}</h2>
      <SourceLine view={view} />
      {r && (
        <Notice kind="success">
          {t('roster.result.summary', { created: r.childrenCreated, updated: r.childrenUpdated, unchanged: r.childrenUnchanged, archived: r.childrenArchived })}{' '}
          {t('roster.result.more', { classes: r.classesCreated, invitations: r.guardianInvitationsCreated, teachers: r.teacherInvitationsCreated })}
        </Notice>
      )}
      {plan && (
        <>
          <section aria-labelledby="h-created">
            <h3 id="h-created">{t('roster.result.created', { count: plan.counts.childrenCreate })}</h3>
            <ChildrenTable list={plan.create} testId="created" />
          </section>
          {plan.counts.childrenUpdate > 0 && (
            <section aria-labelledby="h-updated">
              <h3 id="h-updated">{t('roster.result.updated', { count: plan.counts.childrenUpdate })}</h3>
              <ChildrenTable list={plan.update} testId="updated" changes />
            </section>
          )}
          <section aria-labelledby="h-not-imported">
            <h3 id="h-not-imported">{t('roster.result.rejected', { count: plan.counts.rejected })}</h3>
            <RejectedTable rejected={plan.rejected} oneRoster={view.format === 'oneroster'} />
          </section>
        </>
      )}
      <div className="actions">
        <Link className="button" to={`/org/${orgId}/import`}>
          {t('roster.result.another')}
        </Link>
        <Link className="button secondary" to={`/org/${orgId}/classes`}>
          {t('roster.result.classes')}
        </Link>
      </div>
    </>
  )
}
