import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { recordAudit } from '~/compliance/audit.server'
import { listCheckpoints, verifyConsentLog, verifyHeldCheckpoint, writeCheckpoint } from '~/compliance/checkpoints.server'
import { CONSENT_EVENTS } from '~/privacy/consent/constants'
import { consentFilterFrom, filterChoices, filterQuery, namesFor, queryConsentLog } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — journal des consentements' }]
// The school's DPO (and its administrators, who answer for the school): read-only, like the log.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

const PAGE = 100
const FILTERS = { display: 'flex', flexWrap: 'wrap', gap: '0 1rem', alignItems: 'flex-end' } as const

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const url = new URL(request.url)
  const filter = consentFilterFrom(url.searchParams)
  const page = Math.max(0, Number.parseInt(url.searchParams.get('page') ?? '0', 10) || 0)
  const { total, rows } = await queryConsentLog(ctx.db, orgId, filter, { limit: PAGE, offset: page * PAGE })
  const names = await namesFor(
    ctx.db,
    rows.flatMap((r) => [r.subjectId ?? '', r.actorId ?? '']),
  )
  const checkpoints = await listCheckpoints(ctx.db, orgId, 10)
  return {
    orgId,
    filter,
    query: filterQuery(filter),
    page,
    pages: Math.max(1, Math.ceil(total / PAGE)),
    total,
    choices: await filterChoices(ctx.db, orgId),
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      event: r.event,
      state: r.state,
      subject: r.subjectId ? (names[r.subjectId] ?? r.subjectId.slice(0, 8)) : null,
      subjectId: r.subjectId,
      actor: r.actorId ? (names[r.actorId] ?? r.actorId.slice(0, 8)) : null,
      document: [r.documentKind, r.documentVersion].filter(Boolean).join(' '),
      method: r.method,
      hash: r.hash,
    })),
    checkpoints: checkpoints.map((c) => ({ id: c.id, seq: c.seq, signedAt: c.signedAt.toISOString(), headHash: c.headHash })),
  }
}

type Reply =
  | { kind: 'verify'; ok: boolean; entries: number; head?: string; brokenAt?: number; reason?: string; checkpoints: number; mismatch: { seq: number; reason: string } | null }
  | { kind: 'held'; ok: boolean; message: string }
  | { kind: 'signed'; message: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'verify') {
    const v = await verifyConsentLog(ctx.db, orgId)
    await recordAudit(ctx.db, {
      action: 'consent_log.verify',
      outcome: v.chain.ok && !v.checkpoints.firstMismatch ? 'success' : 'failure',
      orgId,
      actorId: ctx.user.id,
      targetType: 'consent_log',
      targetId: orgId,
      ...ctx.origin,
      details: v.chain.ok ? { entries: v.chain.entries } : { brokenAt: v.chain.brokenAt, reason: v.chain.reason },
    })
    return {
      kind: 'verify',
      ok: v.chain.ok && !v.checkpoints.firstMismatch,
      entries: v.chain.entries,
      head: v.chain.ok ? v.chain.head : undefined,
      brokenAt: v.chain.ok ? undefined : v.chain.brokenAt,
      reason: v.chain.ok ? undefined : v.chain.reason,
      checkpoints: v.checkpoints.checked,
      mismatch: v.checkpoints.firstMismatch,
    } satisfies Reply
  }
  if (intent === 'sign') {
    const r = await writeCheckpoint(ctx.db, orgId)
    const message = r.written ? translate(ctx.lang, 'dpo.checkpoint.signed', { seq: r.checkpoint.seq }) : translate(ctx.lang, `dpo.checkpoint.not_signed_${r.reason}`)
    return { kind: 'signed', message } satisfies Reply
  }
  if (intent === 'held') {
    const file = form.get('file')
    const text = typeof file === 'string' ? file : file ? await file.text() : ''
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    const r = await verifyHeldCheckpoint(ctx.db, orgId, parsed)
    await recordAudit(ctx.db, {
      action: 'consent_log.verify_checkpoint',
      outcome: r.ok ? 'success' : 'failure',
      orgId,
      actorId: ctx.user.id,
      targetType: 'consent_log',
      targetId: orgId,
      ...ctx.origin,
      details: { seq: r.seq ?? null, result: r.ok ? 'ok' : r.reason },
    })
    return {
      kind: 'held',
      ok: r.ok,
      message: r.ok
        ? translate(ctx.lang, 'dpo.checkpoint.held_ok', { seq: r.seq, date: formatDate(ctx.lang, r.signedAt, true) })
        : translate(ctx.lang, `dpo.checkpoint.held_${r.reason}`, { seq: r.seq ?? '?' }),
    } satisfies Reply
  }
  throw new Response('Bad request', { status: 400 })
}

export default function ConsentLogPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${data.orgId}/dpo/consent-log`
  const q = data.query ? `&${data.query}` : ''
  return (
    <div className="container">
      <h1>{t('dpo.consent.title')}</h1>
      <p className="muted">{t('dpo.consent.intro')}</p>

      <section className="card" aria-labelledby="integrity-title">
        <h2 id="integrity-title">{t('dpo.consent.integrity')}</h2>
        {reply?.kind === 'verify' &&
          (reply.ok ? (
            <Notice kind="success">
              <strong>{t('dpo.consent.intact')}</strong> {t('dpo.consent.intact_detail', { entries: reply.entries, checkpoints: reply.checkpoints })}
              {reply.head && (
                <>
                  {' '}
                  <code>{reply.head.slice(0, 16)}…</code>
                </>
              )}
            </Notice>
          ) : (
            <Notice kind="error">
              {reply.brokenAt !== undefined ? (
                <>
                  <strong>{t('dpo.consent.broken', { seq: reply.brokenAt })}</strong> {t.or(`dpo.consent.reason_${reply.reason}`, reply.reason ?? '')}
                </>
              ) : (
                <strong>{t('dpo.consent.checkpoint_mismatch', { seq: reply.mismatch?.seq ?? '?' })}</strong>
              )}
            </Notice>
          ))}
        {reply?.kind === 'signed' && <Notice>{reply.message}</Notice>}
        <div className="actions">
          <Form method="post">
            <button type="submit" name="intent" value="verify" disabled={busy}>
              {t('dpo.consent.verify')}
            </button>
          </Form>
          <Form method="post">
            <button type="submit" name="intent" value="sign" className="secondary" disabled={busy}>
              {t('dpo.checkpoint.sign_now')}
            </button>
          </Form>
        </div>
      </section>

      <section className="card" aria-labelledby="checkpoints-title">
        <h2 id="checkpoints-title">{t('dpo.checkpoint.title')}</h2>
        <p className="hint">{t('dpo.checkpoint.hint')}</p>
        {data.checkpoints.length === 0 ? (
          <p>{t('dpo.checkpoint.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dpo.checkpoint.seq')}</th>
                  <th scope="col">{t('dpo.checkpoint.signed_at')}</th>
                  <th scope="col">{t('dpo.checkpoint.head')}</th>
                  <th scope="col">{t('dpo.download')}</th>
                </tr>
              </thead>
              <tbody>
                {data.checkpoints.map((c) => (
                  <tr key={c.id}>
                    <td>#{c.seq}</td>
                    <td>{formatDate(t.lang, c.signedAt, true)}</td>
                    <td>
                      <code>{c.headHash.slice(0, 16)}…</code>
                    </td>
                    <td>
                      <a href={`${base}/checkpoint?id=${c.id}`} download>
                        {t('dpo.checkpoint.download', { seq: c.seq })}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {reply?.kind === 'held' && <Notice kind={reply.ok ? 'success' : 'error'}>{reply.message}</Notice>}
        <Form method="post" encType="multipart/form-data" className="actions">
          <label htmlFor="held-file">{t('dpo.checkpoint.held_label')}</label>
          <input id="held-file" type="file" name="file" accept="application/json,.json" required />
          <button type="submit" name="intent" value="held" className="secondary" disabled={busy}>
            {t('dpo.checkpoint.held_verify')}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="filter-title">
        <h2 id="filter-title">{t('dpo.filters')}</h2>
        <Form method="get" style={FILTERS}>
          <div className="field">
            <label htmlFor="f-subject">{t('dpo.consent.filter_subject')}</label>
            <select id="f-subject" name="subject" defaultValue={data.filter.subjectId ?? ''}>
              <option value="">{t('dpo.all')}</option>
              {data.choices.children.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              {data.filter.subjectId && !data.choices.children.some((c) => c.id === data.filter.subjectId) && <option value={data.filter.subjectId}>{data.filter.subjectId}</option>}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-subject-id">{t('dpo.consent.filter_subject_id')}</label>
            <input
              id="f-subject-id"
              type="text"
              name="subjectId"
              size={36}
              defaultValue={data.filter.subjectId && !data.choices.children.some((c) => c.id === data.filter.subjectId) ? data.filter.subjectId : ''}
            />
          </div>
          <div className="field">
            <label htmlFor="f-class">{t('dpo.consent.filter_class')}</label>
            <select id="f-class" name="class" defaultValue={data.filter.classId ?? ''}>
              <option value="">{t('dpo.all')}</option>
              {data.choices.classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-event">{t('dpo.consent.filter_event')}</label>
            <select id="f-event" name="event" defaultValue={data.filter.event ?? ''}>
              <option value="">{t('dpo.all')}</option>
              {CONSENT_EVENTS.map((e) => (
                <option key={e} value={e}>
                  {t(`dpo.event.${e}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-from">{t('dpo.from')}</label>
            <input id="f-from" type="date" name="from" defaultValue={data.filter.from ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="f-to">{t('dpo.to')}</label>
            <input id="f-to" type="date" name="to" defaultValue={data.filter.to ?? ''} />
          </div>
          <div className="actions">
            <button type="submit">{t('dpo.apply')}</button>
            <Link to={base}>{t('dpo.reset')}</Link>
          </div>
        </Form>
      </section>

      <div className="actions" style={{ marginBottom: '1rem' }}>
        <span>{t('dpo.consent.count', { n: data.total })}</span>
        <a className="button secondary" href={`${base}/export?format=csv${q}`} download>
          {t('dpo.export_csv')}
        </a>
        <a className="button secondary" href={`${base}/export?format=pdf${q}`} download>
          {t('dpo.export_pdf')}
        </a>
      </div>

      {data.rows.length === 0 ? (
        <p>{t('dpo.consent.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">{t('dpo.consent.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('dpo.consent.col_at')}</th>
                <th scope="col">{t('dpo.consent.col_event')}</th>
                <th scope="col">{t('dpo.consent.col_subject')}</th>
                <th scope="col">{t('dpo.consent.col_actor')}</th>
                <th scope="col">{t('dpo.consent.col_document')}</th>
                <th scope="col">{t('dpo.consent.col_method')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.seq}>
                  <td>{r.seq}</td>
                  <td>{formatDate(t.lang, r.at, true)}</td>
                  <td>
                    {t(`dpo.event.${r.event}`)} <span className="badge">{t(`dpo.state.${r.state}`)}</span>
                  </td>
                  <td>{r.subject ?? '—'}</td>
                  <td>{r.actor ?? '—'}</td>
                  <td>{r.document || '—'}</td>
                  <td>{r.method}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.pages > 1 && (
        <nav className="actions" aria-label={t('dpo.pagination')}>
          {data.page > 0 && <Link to={`?page=${data.page - 1}${q}`}>← {t('dpo.previous')}</Link>}
          <span>{t('dpo.page_of', { page: data.page + 1, pages: data.pages })}</span>
          {data.page + 1 < data.pages && <Link to={`?page=${data.page + 1}${q}`}>{t('dpo.next')} →</Link>}
        </nav>
      )}
    </div>
  )
}
