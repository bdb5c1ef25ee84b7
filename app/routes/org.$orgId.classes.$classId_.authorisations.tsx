import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { now } from '~/clock.server'
import { DomainError, NotFound } from '~/errors.server'
import { formatDate, t as translate, tOr, useT } from '~/i18n'
import { getClass } from '~/models/classes/classes.server'
import { classAuthorisations, informedRecords, recordAuthorisation, recordGuardiansInformed } from '~/models/families/authorisations.server'
import { DECISION_METHOD_OPTIONS, DECISION_OPTIONS, INFORM_CHANNEL_OPTIONS } from '~/models/families/constants'
import { linksOfChildren } from '~/models/families/links.server'
import { CURRENT_NOTICE, NOTICES } from '~/models/families/notices'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — information et autorisations' }]
// The school's record that the class's guardians were informed, and each child's
// authorisation (obtained, refused, withdrawn). Every change is appended to the consent log;
// nothing is overwritten. A refused or withdrawn authorisation blocks the child's login.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'dpo'], params: { orgId: 'orgA', classId: 'classA1' }, note: 'the DPO reads only' } satisfies RouteAccess,
}

async function load(request: Request, orgId: string, classId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  const scope = { orgId, classIds: [klass.id] }
  await authorize(ctx, 'read', 'Authorisation', scope)
  return { ctx, klass, scope }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const [children, informed] = await Promise.all([classAuthorisations(ctx.db, { orgId, classId: klass.id }), informedRecords(ctx.db, { orgId, classId: klass.id })])
  const links = await linksOfChildren(ctx.db, { orgId, childIds: children.map((c) => c.id) })
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, schoolYear: klass.schoolYear },
    today: now().toISOString().slice(0, 10),
    notices: NOTICES.map((n) => ({ id: n.id, publishedOn: n.publishedOn, text: n.text[ctx.lang] })).reverse(),
    currentNotice: CURRENT_NOTICE.id,
    informed: informed.map((i) => ({ ...i, recordedAt: i.recordedAt.toISOString() })),
    children: children.map((c) => ({
      ...c,
      at: c.at?.toISOString() ?? null,
      guardians: (links.get(c.id) ?? []).filter((l) => l.state === 'active').map((l) => ({ id: l.guardianId, name: `${l.firstName} ${l.lastName}` })),
    })),
    mayRecord: can(ctx.ability, 'create', 'Authorisation', scope),
  }
}

type Reply = FormReply & { childId?: string; intent?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  const childId = String(form.get('childId') ?? '')
  try {
    if (intent === 'informed') {
      await authorize(ctx, 'create', 'Authorisation', scope)
      await recordGuardiansInformed(ctx.db, {
        orgId,
        classId: klass.id,
        informedOn: String(form.get('informedOn') ?? ''),
        channel: String(form.get('channel') ?? ''),
        noticeId: String(form.get('noticeId') ?? ''),
        lang: ctx.lang,
        by,
      })
      return { ...successReply(translate(ctx.lang, 'families.auth.informed_recorded')), intent } satisfies Reply
    }
    if (intent === 'decision') {
      await authorize(ctx, 'create', 'Authorisation', { ...scope, childId })
      const decision = String(form.get('decision') ?? '')
      await recordAuthorisation(ctx.db, {
        orgId,
        classId: klass.id,
        childId,
        decision,
        method: String(form.get('method') ?? ''),
        guardianId: String(form.get('guardianId') ?? '') || null,
        lang: ctx.lang,
        by,
      })
      return { ...successReply(tOr(ctx.lang, `families.auth.recorded_${decision}`, decision)), intent, childId } satisfies Reply
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action'), intent } satisfies Reply
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { ...errorReply(e, ctx.lang), intent, childId } satisfies Reply
  }
}

const DECISION_BADGE = { obtained: 'ok', refused: 'bad', withdrawn: 'bad' } as const

export default function Authorisations() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${data.orgId}`
  const notice = data.notices.find((n) => n.id === data.currentNotice) ?? data.notices[0]
  return (
    <div className="container">
      <p>
        <Link to={`${base}/classes/${data.klass.id}`}>← {data.klass.name}</Link> · <Link to={`${base}/classes/${data.klass.id}/guardians`}>{t('families.school.nav')}</Link>
      </p>
      <h1>{t('families.auth.title', { name: data.klass.name })}</h1>
      {reply?.message && !reply.childId && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && !reply.childId && <Notice kind="error">{reply.formError}</Notice>}

      <section className="card" aria-labelledby="informed-title">
        <h2 id="informed-title" style={{ marginTop: 0 }}>
          {t('families.auth.informed_title')}
        </h2>
        {data.informed.length === 0 ? (
          <p>
            <span className="badge warn">{t('families.auth.informed_none')}</span>
          </p>
        ) : (
          <ul>
            {data.informed.map((i) => (
              <li key={i.seq}>
                {t('families.auth.informed_item', {
                  date: i.informedOn ? formatDate(t.lang, `${i.informedOn}T12:00:00Z`) : formatDate(t.lang, i.recordedAt),
                  channel: t.or(`dpo.method.${i.channel}`, i.channel),
                  notice: i.noticeId ?? '—',
                  by: i.by ?? '—',
                })}
                {!i.forClass && <span className="muted"> ({t('families.auth.school_wide')})</span>}
              </li>
            ))}
          </ul>
        )}
        {data.mayRecord && notice && (
          <Form method="post" className="card" style={{ background: '#fafbfe' }}>
            <input type="hidden" name="intent" value="informed" />
            <div className="actions" style={{ alignItems: 'flex-end' }}>
              <div className="field">
                <label htmlFor="f-informedOn">{t('families.auth.informed_on')}</label>
                <input id="f-informedOn" type="date" name="informedOn" defaultValue={data.today} max={data.today} required />
              </div>
              <div className="field">
                <label htmlFor="f-channel">{t('families.auth.channel')}</label>
                <select id="f-channel" name="channel" defaultValue="letter">
                  {INFORM_CHANNEL_OPTIONS.map((c) => (
                    <option key={c} value={c}>
                      {t(`dpo.method.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-noticeId">{t('families.auth.notice')}</label>
                <select id="f-noticeId" name="noticeId" defaultValue={notice.id}>
                  {data.notices.map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.id}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <details>
              <summary>{t('families.auth.notice_text', { id: notice.id })}</summary>
              <dl>
                <dt>
                  <strong>{t('families.auth.notice_purpose')}</strong>
                </dt>
                <dd>{notice.text.purpose}</dd>
                <dt>
                  <strong>{t('families.auth.notice_access')}</strong>
                </dt>
                <dd>{notice.text.access}</dd>
                <dt>
                  <strong>{t('families.auth.notice_categories')}</strong>
                </dt>
                <dd>{notice.text.categories}</dd>
              </dl>
            </details>
            <button type="submit" disabled={busy}>
              {t('families.auth.informed_submit')}
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t('families.auth.decisions_title')}</h2>
        <p className="hint">{t('families.auth.decisions_hint')}</p>
        {data.children.map((c) => (
          <article key={c.id} className="card" aria-labelledby={`a-${c.id}`}>
            <h3 id={`a-${c.id}`} style={{ marginTop: 0 }}>
              <Link to={`${base}/children/${c.id}`}>
                {c.firstName} {c.lastName}
              </Link>{' '}
              {c.decision ? (
                <span className={`badge ${DECISION_BADGE[c.decision]}`}>{t(`families.auth.state_${c.decision}`)}</span>
              ) : (
                <span className="badge warn">{t('families.auth.state_none')}</span>
              )}{' '}
              {c.block && <span className="badge bad">{t(`families.block.${c.block}`)}</span>}
            </h3>
            {c.at && <p className="muted">{t('families.auth.last_change', { date: formatDate(t.lang, c.at, true), by: c.by ?? '—', method: t.or(`dpo.method.${c.method}`, c.method ?? '—') })}</p>}
            {reply?.childId === c.id && reply.message && <Notice kind="success">{reply.message}</Notice>}
            {reply?.childId === c.id && reply.formError && <Notice kind="error">{reply.formError}</Notice>}
            {data.mayRecord && (
              <Form method="post" className="actions" style={{ alignItems: 'flex-end' }}>
                <input type="hidden" name="intent" value="decision" />
                <input type="hidden" name="childId" value={c.id} />
                <div className="field" style={{ marginBottom: 0 }}>
                  <label htmlFor={`d-${c.id}`}>{t('families.auth.decision')}</label>
                  <select id={`d-${c.id}`} name="decision" defaultValue={c.decision === 'obtained' ? 'withdrawn' : 'obtained'}>
                    {DECISION_OPTIONS.map((d) => (
                      <option key={d} value={d}>
                        {t(`families.auth.state_${d}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field" style={{ marginBottom: 0 }}>
                  <label htmlFor={`m-${c.id}`}>{t('families.auth.method')}</label>
                  <select id={`m-${c.id}`} name="method" defaultValue="paper_form">
                    {DECISION_METHOD_OPTIONS.map((m) => (
                      <option key={m} value={m}>
                        {t(`dpo.method.${m}`)}
                      </option>
                    ))}
                  </select>
                </div>
                {c.guardians.length > 0 && (
                  <div className="field" style={{ marginBottom: 0 }}>
                    <label htmlFor={`g-${c.id}`}>{t('families.auth.guardian')}</label>
                    <select id={`g-${c.id}`} name="guardianId" defaultValue="">
                      <option value="">{t('families.auth.guardian_unknown')}</option>
                      {c.guardians.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.name}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
                <button type="submit" disabled={busy} aria-label={t('families.auth.record_for', { name: c.firstName })}>
                  {t('families.auth.record')}
                </button>
              </Form>
            )}
          </article>
        ))}
      </section>
    </div>
  )
}
