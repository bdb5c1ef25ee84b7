import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DomainError, NotFound } from '~/errors.server'
import { formatDate, t as translate, useT, type MessageKey } from '~/i18n'
import { getClass } from '~/models/classes/classes.server'
import { inviteGuardianByEmail, openAlerts, resolveAlert, sendGuardianInvitation } from '~/models/families/codes.server'
import { LEGAL_STATUS_OPTIONS } from '~/models/families/constants'
import { endLink, getLink, resumeLink, suspendLink, updateLink } from '~/models/families/links.server'
import { classGuardianStatus } from '~/models/families/status.server'
import { can, type Action, type SubjectRows } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — familles de la classe' }]
// Which guardians are linked to each child of the class, and what is pending. Teachers of the
// class see it and send invitations / print link letters; administrators also suspend, end or
// correct links, send every waiting invitation at once and close "not my child" alerts.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'dpo'], params: { orgId: 'orgA', classId: 'classA1' }, note: 'the DPO reads only' } satisfies RouteAccess,
}

const may = (ctx: UserCtx, action: Action, row: SubjectRows['GuardianLink']) => can(ctx.ability, action, 'GuardianLink', row)

async function load(request: Request, orgId: string, classId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  const scope = { orgId, classIds: [klass.id] }
  await authorize(ctx, 'read', 'GuardianLink', scope)
  return { ctx, klass, scope }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const [status, alerts] = await Promise.all([classGuardianStatus(ctx.db, { orgId, classId: klass.id }), openAlerts(ctx.db, { orgId, classId: klass.id })])
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, schoolYear: klass.schoolYear },
    summary: status.summary,
    children: status.children.map((c) => ({
      ...c,
      lastPrintedAt: iso(c.lastPrintedAt),
      links: c.links.map((l) => ({ ...l, startedAt: l.startedAt.toISOString(), endedAt: iso(l.endedAt), suspendedAt: iso(l.suspendedAt) })),
      invitations: c.invitations.map((i) => ({ ...i, lastSentAt: iso(i.lastSentAt) })),
    })),
    alerts: alerts.map((a) => ({ id: a.id, childName: `${a.firstName} ${a.lastName}`, reportedAt: a.reportedAt.toISOString(), channel: a.channel })),
    perms: { invite: may(ctx, 'invite', scope), manage: may(ctx, 'update', scope) },
  }
}

type Reply = FormReply & { childId?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  const isAdmin = may(ctx, 'update', scope)
  const status = await classGuardianStatus(ctx.db, { orgId, classId: klass.id })
  const inClass = new Set(status.children.map((c) => c.id))
  const childId = String(form.get('childId') ?? '')
  const msg = (key: MessageKey, vars?: Record<string, string | number>) => ({ ...successReply(translate(ctx.lang, key, vars)), childId }) satisfies Reply
  // Links and alerts acted upon must belong to a child of this class.
  const linkOfClass = async () => {
    const link = await getLink(ctx.db, { orgId, linkId: String(form.get('linkId') ?? '') })
    if (!inClass.has(link.childId)) throw new NotFound('guardian_link')
    return link
  }
  try {
    switch (intent) {
      case 'send-invitation': {
        await authorize(ctx, 'invite', 'GuardianLink', scope)
        const r = await sendGuardianInvitation(ctx.db, {
          orgId,
          invitationId: String(form.get('invitationId') ?? ''),
          // A teacher sends codes only for the children they teach.
          onlyChildIds: isAdmin ? undefined : [...inClass],
          by,
          lang: ctx.lang,
        })
        return msg('families.invite.school_sent', { email: r.email, count: r.sent })
      }
      case 'send-all': {
        await authorize(ctx, 'update', 'GuardianLink', scope)
        const ids = [...new Set(status.children.flatMap((c) => c.invitations.filter((i) => i.state === 'not_sent' || i.state === 'expired').map((i) => i.id)))]
        let n = 0
        for (const invitationId of ids) {
          await sendGuardianInvitation(ctx.db, { orgId, invitationId, by, lang: ctx.lang }).then(
            () => n++,
            (e) => {
              if (!(e instanceof DomainError)) throw e
            },
          )
        }
        return msg('families.invite.all_sent', { count: n })
      }
      case 'invite-email': {
        await authorize(ctx, 'invite', 'GuardianLink', { ...scope, childId })
        if (!inClass.has(childId)) throw new NotFound('child')
        const r = await inviteGuardianByEmail(ctx.db, { orgId, childId, email: String(form.get('email') ?? ''), by, lang: ctx.lang })
        return msg('families.invite.school_sent', { email: r.email, count: r.sent })
      }
      case 'suspend': {
        const link = await linkOfClass()
        await authorize(ctx, 'update', 'GuardianLink', { ...scope, id: link.id })
        await suspendLink(ctx.db, { orgId, linkId: link.id, reason: String(form.get('reason') ?? ''), by })
        return { ...msg('families.link.suspended_done'), childId: link.childId }
      }
      case 'resume': {
        const link = await linkOfClass()
        await authorize(ctx, 'update', 'GuardianLink', { ...scope, id: link.id })
        await resumeLink(ctx.db, { orgId, linkId: link.id, by })
        return { ...msg('families.link.resumed_done'), childId: link.childId }
      }
      case 'end': {
        const link = await linkOfClass()
        await authorize(ctx, 'update', 'GuardianLink', { ...scope, id: link.id })
        await endLink(ctx.db, { orgId, linkId: link.id, by })
        return { ...msg('families.link.ended_done'), childId: link.childId }
      }
      case 'update': {
        const link = await linkOfClass()
        await authorize(ctx, 'update', 'GuardianLink', { ...scope, id: link.id })
        const legalStatus = String(form.get('legalStatus') ?? '')
        if (!(LEGAL_STATUS_OPTIONS as readonly string[]).includes(legalStatus)) throw new NotFound('legal_status')
        await updateLink(ctx.db, {
          orgId,
          linkId: link.id,
          legalStatus: legalStatus as (typeof LEGAL_STATUS_OPTIONS)[number],
          canSeeRecord: form.get('canSeeRecord') === 'on',
          canReceiveMessages: form.get('canReceiveMessages') === 'on',
          canGiveConsent: form.get('canGiveConsent') === 'on',
          startedOn: String(form.get('startedOn') ?? '') || null,
          endsOn: String(form.get('endsOn') ?? '') || null,
          by,
        })
        return { ...msg('families.link.updated_done'), childId: link.childId }
      }
      case 'resolve-alert': {
        await authorize(ctx, 'update', 'GuardianLink', scope)
        await resolveAlert(ctx.db, { orgId, alertId: String(form.get('alertId') ?? ''), by })
        return msg('families.alerts.resolved')
      }
      default:
        return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies Reply
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { ...errorReply(e, ctx.lang), childId } satisfies Reply
  }
}

const STATE_BADGE = { active: 'ok', suspended: 'bad', future: 'warn', ended: '' } as const
const INV_BADGE = { not_sent: 'warn', sent: '', expired: 'warn', accepted: 'ok', revoked: '' } as const

export default function ClassGuardians() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${data.orgId}`
  const s = data.summary
  return (
    <div className="container">
      <p>
        <Link to={`${base}/classes/${data.klass.id}`}>← {data.klass.name}</Link>
      </p>
      <h1>{t('families.school.title', { name: data.klass.name })}</h1>
      {reply?.message && !reply.childId && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && !reply.childId && <Notice kind="error">{reply.formError}</Notice>}

      {data.alerts.length > 0 && (
        <section className="card" aria-labelledby="alerts-title" style={{ borderColor: '#f2b8b5' }}>
          <h2 id="alerts-title" style={{ marginTop: 0 }}>
            {t('families.alerts.title', { count: data.alerts.length })}
          </h2>
          <ul>
            {data.alerts.map((a) => (
              <li key={a.id} style={{ marginBottom: '.4rem' }}>
                {t('families.alerts.item', { name: a.childName, date: formatDate(t.lang, a.reportedAt, true), channel: t(`families.channel.${a.channel ?? 'letter'}`) })}{' '}
                {data.perms.manage && (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="resolve-alert" />
                    <input type="hidden" name="alertId" value={a.id} />
                    <button type="submit" className="link-button" disabled={busy}>
                      {t('families.alerts.resolve')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
          <p className="hint">{t('families.alerts.hint')}</p>
        </section>
      )}

      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title" style={{ marginTop: 0 }}>
          {t('families.school.summary_title')}
        </h2>
        <p>
          {t('families.school.summary', { linked: s.linked, children: s.children })}
          {s.notSent > 0 && (
            <>
              {' · '}
              <span className="badge warn">{t('families.school.not_sent', { count: s.notSent })}</span>
            </>
          )}
          {s.suspended > 0 && (
            <>
              {' · '}
              <span className="badge bad">{t('families.school.suspended', { count: s.suspended })}</span>
            </>
          )}
        </p>
        <div className="actions">
          {data.perms.manage && s.notSent + data.children.filter((c) => c.invitations.some((i) => i.state === 'expired')).length > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="send-all" />
              <button type="submit" disabled={busy}>
                {t('families.invite.send_all')}
              </button>
            </Form>
          )}
          {data.perms.invite && (
            <Form method="post" action={`${base}/classes/${data.klass.id}/guardians/letters`} reloadDocument>
              <input type="hidden" name="onlyUnlinked" value="1" />
              <button type="submit" className="secondary">
                {t('families.letter.print_unlinked')}
              </button>
            </Form>
          )}
          <Link className="button secondary" to={`${base}/classes/${data.klass.id}/authorisations`}>
            {t('families.auth.open')}
          </Link>
        </div>
      </section>

      {data.children.length === 0 && <p>{t('classes.no_children')}</p>}
      {data.children.map((c) => (
        <article key={c.id} className="card" aria-labelledby={`c-${c.id}`}>
          <h2 id={`c-${c.id}`} style={{ marginTop: 0, fontSize: '1.1rem' }}>
            <Link to={`${base}/children/${c.id}`}>
              {c.firstName} {c.lastName}
            </Link>{' '}
            {c.links.some((l) => l.state === 'active') ? (
              <span className="badge ok">{t('families.school.linked_count', { count: c.links.filter((l) => l.state === 'active').length })}</span>
            ) : (
              <span className="badge warn">{t('families.school.no_guardian')}</span>
            )}{' '}
            {c.alerts > 0 && <span className="badge bad">{t('families.alerts.badge', { count: c.alerts })}</span>} {c.block && <span className="badge bad">{t(`families.block.${c.block}`)}</span>}
          </h2>
          {reply?.childId === c.id && reply.message && <Notice kind="success">{reply.message}</Notice>}
          {reply?.childId === c.id && reply.formError && <Notice kind="error">{reply.formError}</Notice>}

          {c.links.length > 0 && (
            <ul style={{ paddingLeft: '1.1rem' }}>
              {c.links.map((l) => (
                <li key={l.id} style={{ marginBottom: '.5rem' }}>
                  {l.firstName} {l.lastName} · {t(`families.status.${l.legalStatus}`)} <span className={`badge ${STATE_BADGE[l.state]}`}>{t(`families.link_state.${l.state}`)}</span>
                  {l.state === 'suspended' && l.suspensionReason && data.perms.manage && <span className="muted"> — {l.suspensionReason}</span>}
                  {data.perms.manage && (
                    <details style={{ marginTop: '.3rem' }}>
                      <summary>{t('families.link.manage', { name: `${l.firstName} ${l.lastName}` })}</summary>
                      {l.state !== 'suspended' ? (
                        <Form method="post" className="actions" style={{ margin: '.5rem 0' }}>
                          <input type="hidden" name="intent" value="suspend" />
                          <input type="hidden" name="linkId" value={l.id} />
                          <label htmlFor={`reason-${l.id}`}>{t('families.link.reason')}</label>
                          <input id={`reason-${l.id}`} type="text" name="reason" required style={{ flex: '1 1 12rem' }} />
                          <button type="submit" className="danger" disabled={busy}>
                            {t('families.link.suspend')}
                          </button>
                        </Form>
                      ) : (
                        <Form method="post" style={{ margin: '.5rem 0' }}>
                          <input type="hidden" name="intent" value="resume" />
                          <input type="hidden" name="linkId" value={l.id} />
                          <button type="submit" className="secondary" disabled={busy}>
                            {t('families.link.resume')}
                          </button>
                        </Form>
                      )}
                      <Form method="post" style={{ margin: '.5rem 0' }}>
                        <input type="hidden" name="intent" value="update" />
                        <input type="hidden" name="linkId" value={l.id} />
                        <div className="field">
                          <label htmlFor={`status-${l.id}`}>{t('families.link.legal_status')}</label>
                          <select id={`status-${l.id}`} name="legalStatus" defaultValue={l.legalStatus}>
                            {LEGAL_STATUS_OPTIONS.map((st) => (
                              <option key={st} value={st}>
                                {t(`families.status.${st}`)}
                              </option>
                            ))}
                          </select>
                        </div>
                        {(['canSeeRecord', 'canReceiveMessages', 'canGiveConsent'] as const).map((r) => (
                          <div key={r} className="checkbox" style={{ marginBottom: '.3rem' }}>
                            <input id={`${r}-${l.id}`} type="checkbox" name={r} defaultChecked={l[r]} />
                            <label htmlFor={`${r}-${l.id}`}>{t(`families.rights.${r}`)}</label>
                          </div>
                        ))}
                        <div className="actions">
                          <div className="field">
                            <label htmlFor={`start-${l.id}`}>{t('families.link.started_on')}</label>
                            <input id={`start-${l.id}`} type="date" name="startedOn" defaultValue={l.startedAt.slice(0, 10)} />
                          </div>
                          <div className="field">
                            <label htmlFor={`end-${l.id}`}>{t('families.link.ends_on')}</label>
                            <input id={`end-${l.id}`} type="date" name="endsOn" defaultValue={l.endedAt?.slice(0, 10) ?? ''} />
                          </div>
                        </div>
                        <button type="submit" className="secondary" disabled={busy}>
                          {t('common.save')}
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="end" />
                        <input type="hidden" name="linkId" value={l.id} />
                        <button type="submit" className="secondary" disabled={busy}>
                          {t('families.link.end_now')}
                        </button>
                      </Form>
                    </details>
                  )}
                </li>
              ))}
            </ul>
          )}

          {(c.invitations.some((i) => i.state !== 'accepted' && i.state !== 'revoked') || c.letters > 0 || c.emails > 0) && (
            <div>
              <p style={{ marginBottom: '.3rem' }}>
                <strong>{t('families.school.pending')}</strong>
              </p>
              <ul style={{ paddingLeft: '1.1rem', marginTop: 0 }}>
                {c.invitations
                  .filter((i) => i.state !== 'accepted' && i.state !== 'revoked')
                  .map((i) => (
                    <li key={i.id}>
                      {i.email} <span className={`badge ${INV_BADGE[i.state]}`}>{t(`families.inv_state.${i.state}`, { date: i.lastSentAt ? formatDate(t.lang, i.lastSentAt) : '' })}</span>{' '}
                      {data.perms.invite && (
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="send-invitation" />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <input type="hidden" name="childId" value={c.id} />
                          <button type="submit" className="link-button" disabled={busy}>
                            {i.state === 'not_sent' ? t('families.invite.send') : t('families.invite.resend')}
                          </button>
                        </Form>
                      )}
                    </li>
                  ))}
                {c.letters > 0 && <li>{t('families.school.letters_pending', { count: c.letters, date: c.lastPrintedAt ? formatDate(t.lang, c.lastPrintedAt) : '—' })}</li>}
              </ul>
            </div>
          )}

          {data.perms.invite && (
            <div className="actions" style={{ alignItems: 'flex-end' }}>
              <Form method="post" action={`${base}/classes/${data.klass.id}/guardians/letters`} reloadDocument className="actions" style={{ alignItems: 'flex-end' }}>
                <input type="hidden" name="childId" value={c.id} />
                <div className="field" style={{ marginBottom: 0 }}>
                  <label htmlFor={`copies-${c.id}`}>{t('families.letter.copies')}</label>
                  <select id={`copies-${c.id}`} name="copies" defaultValue="1">
                    {[1, 2, 3, 4].map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="secondary">
                  {t('families.letter.print_one', { name: c.firstName })}
                </button>
              </Form>
              <details>
                <summary>{t('families.invite.by_email', { name: c.firstName })}</summary>
                <Form method="post" className="actions" style={{ marginTop: '.5rem' }}>
                  <input type="hidden" name="intent" value="invite-email" />
                  <input type="hidden" name="childId" value={c.id} />
                  <label htmlFor={`email-${c.id}`}>{t('families.invite.email')}</label>
                  <input id={`email-${c.id}`} type="email" name="email" required autoComplete="off" />
                  <button type="submit" disabled={busy}>
                    {t('families.invite.send')}
                  </button>
                </Form>
              </details>
            </div>
          )}
        </article>
      ))}
    </div>
  )
}
