import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { CHILD_MIN_PASSWORD_LENGTH, endChildSession, getChildForStaff, listChildSessions, setChildUsernamePassword } from '~/models/children/child-admin.server'
import { can, type Action, type SubjectRows } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, Notice, PageHeader, Section } from '~/ui/kit'
import { describeUserAgent } from '~/ui/user-agent'
import { childFamilySummary } from '~/models/families/status.server' // families (issue 4)
import { CredentialsSection } from './credentials'
import { FamiliesSection } from './families'
import { schema } from './intents'
import { SessionsSection } from './sessions'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.child')
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
      // A class's page is linked only for who may open it (the DPO reads children, not classes).
      classes: child.classes.map((c) => ({ id: c.id, name: c.name, open: may(ctx, 'read', 'Class', { orgId, id: c.id }) })),
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

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, child, orgId } = await load(request, params)
  const scope = { orgId, classIds: child.classIds }
  const formData = await request.formData()
  // Who may do what is asked of the policy before anything sent is looked at.
  const intent = formData.get('intent')
  if (intent === 'end-session') await authorize(ctx, 'end', 'ChildSession', scope)
  if (intent === 'credentials') await authorize(ctx, 'update', 'Child', { id: child.id, ...scope })
  const form = await readForm(formData, schema, ctx.lang, { secrets: ['password'] })
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'end-session') {
      await endChildSession(ctx.db, { orgId, childId: child.id, ref: v.ref, actorId: ctx.user.id, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'children.sessions.ended'))
    }
    await setChildUsernamePassword(ctx.db, { orgId, childId: child.id, username: v.username, password: v.password, actorId: ctx.user.id, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'children.credentials.saved'))
  } catch (e) {
    if (v.intent === 'end-session') return form.error(e)
    return form.error(e, e instanceof DomainError && e.code.startsWith('children.username') ? 'username' : 'password')
  }
}

export default function ChildPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { child, may } = data
  return (
    <div className="container">
      <PageHeader title={`${child.firstName} ${child.lastName}`} />
      {child.classes[0]?.open && (
        <p>
          <Link to={`/org/${data.orgId}/classes/${child.classes[0].id}`}>← {child.classes[0].name}</Link>
        </p>
      )}
      <FormNotice />
      {child.deactivated && <Notice kind="error">{t('children.page.deactivated')}</Notice>}
      {!child.deactivated && child.archived && <Notice>{t('children.page.archived')}</Notice>}

      <Section title={t('children.page.profile')}>
        <dl className="facts">
          <dt>{t('children.page.first_name')}</dt>
          <dd>{child.firstName}</dd>
          <dt>{t('children.page.last_name')}</dt>
          <dd>{child.lastName}</dd>
          <dt>{t('children.page.birth_date')}</dt>
          <dd>{child.birthDate ? formatDate(t.lang, `${child.birthDate}T12:00:00Z`) : '—'}</dd>
          <dt>{t('children.page.classes')}</dt>
          <dd>{child.classes.length ? child.classes.map((c) => c.name).join(', ') : t('children.page.no_class')}</dd>
        </dl>
      </Section>

      {data.families && <FamiliesSection families={data.families} orgId={data.orgId} classId={child.classes[0]?.id ?? null} />}

      {may.card && (
        <Section title={t('children.card.title')}>
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
        </Section>
      )}

      {may.sessions && <SessionsSection sessions={data.sessions} mayEnd={may.endSession} />}

      {may.credentials && <CredentialsSection username={child.username} minPassword={data.minPassword} />}
    </div>
  )
}
