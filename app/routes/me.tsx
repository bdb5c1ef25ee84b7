import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { getChildSpace } from '~/models/children/child-space.server'
import { childActivities } from '~/models/learning/child-quiz.server' // learning (issue 5)
import type { RouteAccess } from '~/permissions/access'
import { PageHeader, Section } from '~/ui/kit'
import { authorize, deny, getOptionalUser } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.me')
// The child's own space. No session (or an ended one) → the child login page; adults → 403.
export const handle = { access: { allow: ['child'] } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await getOptionalUser(request)
  if (!ctx) throw redirect('/child-login')
  await authorize(ctx, 'read', 'ChildSpace', { userId: ctx.user.id })
  // An archived child keeps no active membership: nothing to show. (A child's memberships are
  // a child's; the policy then checks each one.)
  const orgIds = ctx.principal.memberships.map((m) => m.orgId)
  if (!orgIds.length) await deny(ctx, 'read', 'Child', ctx.user.id)
  for (const orgId of orgIds) await authorize(ctx, 'read', 'Child', { id: ctx.user.id, orgId })
  const space = await getChildSpace(ctx.db, ctx.user.id)
  const activities = await childActivities(ctx.db, ctx.user.id) // learning (issue 5)
  // Only the child's own first name and classes: nothing about any other child.
  return {
    firstName: space.firstName,
    classes: space.classes.map((c) => ({ id: c.classId, name: c.className })),
    // learning (issue 5): the child's own quizzes, to do first, then done with their score.
    activities: activities.map((a) => ({ id: a.id, title: a.title, done: a.done, score: a.score, max: a.max })),
  }
}

export default function Me() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="container child-space">
      <PageHeader title={t('children.me.hello', { name: data.firstName })} />
      {data.classes.map((c) => (
        <p key={c.id}>{t('children.me.class', { name: c.name })}</p>
      ))}
      <Section title={t('children.me.activities')}>
        {/* learning (issue 5): begin */}
        {data.activities.length === 0 ? (
          <p className="muted">{t('children.me.no_activities')}</p>
        ) : (
          <ul className="plain-list act-list">
            {data.activities.map((a) => (
              <li key={a.id}>
                <Link to={`/me/activities/${a.id}`} className={`button act-button${a.done ? ' secondary' : ''}`}>
                  <span>{a.title}</span>
                  <span>{a.done ? t('learning.child.done_score', { score: a.score ?? 0, max: a.max ?? 0 }) : t('learning.child.todo')}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/me/activities">{t('learning.child.progress_link')}</Link>
        </p>
        {/* learning (issue 5): end */}
      </Section>
      <Form method="post" action="/logout">
        <button type="submit" className="secondary">
          {t('children.me.logout')}
        </button>
      </Form>
    </div>
  )
}
