import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { CHILD_MIN_PASSWORD_LENGTH, endChildSession, getChildForStaff, listChildSessions, setChildUsernamePassword } from '~/models/children/child-admin.server'
import { can, type Action, type SubjectRows } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, parseForm, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'
import { describeUserAgent } from '~/ui/user-agent'
import { childFamilySummary } from '~/models/families/status.server' // families (issue 4)

export const meta: MetaFunction = () => [{ title: 'Carnet — élève' }]
// Staff only. The DPO may read a child's profile (rights requests); the card, the sessions and
// the credentials are shown to whoever the policy lets act on them (teachers of the child's
// classes, admins). A child may read their own Child row, but this page is not theirs (/me is).
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'dpo'], params: { orgId: 'orgA', childId: 'childA1' } } satisfies RouteAccess,
}

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  let child
  try {
    child = await getChildForStaff(ctx.db, { orgId, childId: params.childId ?? '' })
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
  await authorize(ctx, 'read', 'Child', { id: child.id, orgId, classIds: child.classIds })
  return { ctx, child, orgId }
}

const may = <S extends keyof SubjectRows>(ctx: UserCtx, action: Action, name: S, row: SubjectRows[S]) => can(ctx.ability, action, name, row)

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, child, orgId } = await load(request, params)
  const scope = { orgId, classIds: child.classIds }
  const mayReadSessions = may(ctx, 'read', 'ChildSession', scope)
  const sessions = mayReadSessions ? await listChildSessions(ctx.db, { orgId, childId: child.id }) : []
  // The card is printed from one of the child's classes that this person may print cards for.
  const cardClass = child.classes.find((c) => may(ctx, 'create', 'LoginCard', { orgId, classIds: [c.id] })) ?? null
  // Families (issue 4): who is linked / pending, and why the child cannot log in.
  const fam = may(ctx, 'read', 'GuardianLink', scope) ? await childFamilySummary(ctx.db, { orgId, childId: child.id }) : null
  const families = fam && {
    block: fam.block,
    links: fam.links.map((l) => ({ id: l.id, name: `${l.firstName} ${l.lastName}`, legalStatus: l.legalStatus, state: l.state })),
    pending: fam.invitations.filter((i) => i.state !== 'accepted' && i.state !== 'revoked').map((i) => i.email),
    letters: fam.letters,
    alerts: fam.alerts,
  }
  return {
    families,
    orgId,
    child: {
      id: child.id,
      firstName: child.firstName,
      lastName: child.lastName,
      birthDate: child.birthDate,
      classes: child.classes.map((c) => ({ id: c.id, name: c.name })),
      archived: child.status !== 'active',
      deactivated: !!child.deactivatedAt,
      cardIssuedAt: child.cardIssuedAt?.toISOString() ?? null,
      username: child.username,
    },
    may: {
      card: may(ctx, 'read', 'LoginCard', scope),
      regenerate: !!cardClass,
      sessions: mayReadSessions,
      endSession: may(ctx, 'end', 'ChildSession', scope),
      credentials: may(ctx, 'update', 'Child', { id: child.id, ...scope }),
    },
    cardClassId: cardClass?.id ?? null,
    sessions: sessions.map((s) => ({
      ref: s.ref,
      device: describeUserAgent(s.userAgent),
      lastSeenAt: s.lastSeenAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
    })),
    minPassword: CHILD_MIN_PASSWORD_LENGTH,
  }
}

const credentialsSchema = z.object({ username: z.string().trim().min(1), password: z.string().min(1) })

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, child, orgId } = await load(request, params)
  const scope = { orgId, classIds: child.classIds }
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'end-session') {
    await authorize(ctx, 'end', 'ChildSession', scope)
    try {
      await endChildSession(ctx.db, { orgId, childId: child.id, ref: String(form.get('ref') ?? ''), actorId: ctx.user.id, origin: ctx.origin })
    } catch (e) {
      return errorReply(e, ctx.lang)
    }
    return successReply(translate(ctx.lang, 'children.sessions.ended'))
  }
  if (intent === 'credentials') {
    await authorize(ctx, 'update', 'Child', { id: child.id, ...scope })
    const parsed = parseForm(form, credentialsSchema, ctx.lang)
    if (!parsed.ok) return parsed.reply
    try {
      await setChildUsernamePassword(ctx.db, { orgId, childId: child.id, ...parsed.value, actorId: ctx.user.id, origin: ctx.origin })
    } catch (e) {
      const field = e instanceof DomainError && e.code.startsWith('children.username') ? 'username' : 'password'
      return errorReply(e, ctx.lang, field)
    }
    return successReply(translate(ctx.lang, 'children.credentials.saved'))
  }
  return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'form.invalid_field') } satisfies FormReply
}

export default function ChildPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const { child, may } = data
  return (
    <div className="container">
      <h1>
        {child.firstName} {child.lastName}
      </h1>
      {child.classes[0] && (
        <p>
          <Link to={`/org/${data.orgId}/classes/${child.classes[0].id}`}>← {child.classes[0].name}</Link>
        </p>
      )}
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {child.deactivated && <Notice kind="error">{t('children.page.deactivated')}</Notice>}
      {!child.deactivated && child.archived && <Notice>{t('children.page.archived')}</Notice>}

      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('children.page.profile')}</h2>
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '.3rem 1.5rem', margin: 0 }}>
          <dt>{t('children.page.first_name')}</dt>
          <dd style={{ margin: 0 }}>{child.firstName}</dd>
          <dt>{t('children.page.last_name')}</dt>
          <dd style={{ margin: 0 }}>{child.lastName}</dd>
          <dt>{t('children.page.birth_date')}</dt>
          <dd style={{ margin: 0 }}>{child.birthDate ? formatDate(t.lang, `${child.birthDate}T12:00:00Z`) : '—'}</dd>
          <dt>{t('children.page.classes')}</dt>
          <dd style={{ margin: 0 }}>{child.classes.length ? child.classes.map((c) => c.name).join(', ') : t('children.page.no_class')}</dd>
        </dl>
      </section>

      {/* ── Families (issue 4): linked and pending guardians, login blocked by an authorisation ── */}
      {data.families && (
        <section className="card" aria-labelledby="families-title">
          <h2 id="families-title">{t('families.staff.section')}</h2>
          {data.families.block && (
            <p>
              <span className="badge bad">{t(`families.block.${data.families.block}`)}</span>
            </p>
          )}
          {data.families.alerts > 0 && (
            <p>
              <span className="badge bad">{t('families.alerts.badge', { count: data.families.alerts })}</span>
            </p>
          )}
          <p style={{ marginBottom: '.2rem' }}>
            <strong>{t('families.staff.guardians')}</strong>
          </p>
          {data.families.links.length === 0 ? (
            <p>{t('families.staff.none_linked')}</p>
          ) : (
            <ul>
              {data.families.links.map((l) => (
                <li key={l.id}>
                  {l.name} · {t(`families.status.${l.legalStatus}`)} <span className={`badge ${l.state === 'active' ? 'ok' : 'bad'}`}>{t(`families.link_state.${l.state}`)}</span>
                </li>
              ))}
            </ul>
          )}
          {data.families.pending.length > 0 && <p>{t('families.staff.pending_invites', { emails: data.families.pending.join(', ') })}</p>}
          {data.families.letters > 0 && <p>{t('families.staff.letters', { count: data.families.letters })}</p>}
          {child.classes[0] && (
            <div className="actions">
              <Link className="button secondary" to={`/org/${data.orgId}/classes/${child.classes[0].id}/guardians`}>
                {t('families.school.nav')}
              </Link>
              <Link className="button secondary" to={`/org/${data.orgId}/classes/${child.classes[0].id}/authorisations`}>
                {t('families.auth.open')}
              </Link>
            </div>
          )}
        </section>
      )}
      {/* ── end families ── */}

      {may.card && (
        <section className="card" aria-labelledby="card-title">
          <h2 id="card-title">{t('children.card.title')}</h2>
          <p>{child.cardIssuedAt ? t('children.card.issued', { date: formatDate(t.lang, child.cardIssuedAt, true) }) : t('children.card.none')}</p>
          {may.regenerate && data.cardClassId ? (
            // A native POST (reloadDocument): the answer is a PDF download, the page stays.
            <Form method="post" action={`/org/${data.orgId}/classes/${data.cardClassId}/cards`} reloadDocument>
              <input type="hidden" name="childId" value={child.id} />
              <p className="hint" id="regenerate-hint">
                {t('children.card.regenerate_hint')}
              </p>
              <button type="submit" aria-describedby="regenerate-hint">
                {t('children.card.regenerate')}
              </button>
            </Form>
          ) : (
            !child.classes.length && <p className="muted">{t('children.card.need_class')}</p>
          )}
        </section>
      )}

      {may.sessions && (
        <section className="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t('children.sessions.title')}</h2>
          <p className="hint">{t('children.sessions.hint')}</p>
          {data.sessions.length === 0 ? (
            <p>{t('children.sessions.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('children.sessions.device')}</th>
                    <th scope="col">{t('children.sessions.last_seen')}</th>
                    <th scope="col">{t('children.sessions.opened')}</th>
                    {may.endSession && <td />}
                  </tr>
                </thead>
                <tbody>
                  {data.sessions.map((s) => (
                    <tr key={s.ref}>
                      <td>{s.device}</td>
                      <td>{formatDate(t.lang, s.lastSeenAt, true)}</td>
                      <td>{formatDate(t.lang, s.createdAt, true)}</td>
                      {may.endSession && (
                        <td>
                          <Form method="post">
                            <input type="hidden" name="ref" value={s.ref} />
                            <button type="submit" name="intent" value="end-session" className="secondary" disabled={busy}>
                              {t('children.sessions.end')}
                            </button>
                          </Form>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {may.credentials && (
        <section className="card" aria-labelledby="credentials-title">
          <h2 id="credentials-title">{t('children.credentials.title')}</h2>
          <p className="hint">{t('children.credentials.hint', { min: data.minPassword })}</p>
          <p>{child.username ? t('children.credentials.current', { username: child.username }) : t('children.credentials.none')}</p>
          <Form method="post">
            <Field
              name="username"
              label={t('children.credentials.username')}
              hint={t('children.credentials.username_hint')}
              defaultValue={child.username ?? ''}
              autoComplete="off"
              required
              error={reply?.fieldErrors?.username}
            />
            {/* Shown as text: the teacher writes it down for the child. */}
            <Field name="password" label={t('children.credentials.password')} autoComplete="off" required error={reply?.fieldErrors?.password} />
            <button type="submit" name="intent" value="credentials" disabled={busy}>
              {t('children.credentials.save')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}
