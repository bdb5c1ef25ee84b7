import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { getChildSpace } from '~/models/children/child-space.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, getOptionalUser } from '~/permissions/request.server'

export const meta: MetaFunction = () => [{ title: 'Carnet — mon espace' }]
// The child's own space. No session (or an ended one) → the child login page; adults → 403.
export const handle = { access: { allow: ['child'] } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await getOptionalUser(request)
  if (!ctx) throw redirect('/child-login')
  if (ctx.user.kind !== 'child') await deny(ctx, 'read', 'Child', ctx.user.id)
  // An archived child keeps no active membership: nothing to show.
  const orgIds = ctx.principal.memberships.filter((m) => m.role === 'child').map((m) => m.orgId)
  if (!orgIds.length) await deny(ctx, 'read', 'Child', ctx.user.id)
  for (const orgId of orgIds) await authorize(ctx, 'read', 'Child', { id: ctx.user.id, orgId })
  const space = await getChildSpace(ctx.db, ctx.user.id)
  // Only the child's own first name and classes: nothing about any other child.
  return {
    firstName: space.firstName,
    classes: space.classes.map((c) => ({ id: c.classId, name: c.className })),
  }
}

export default function Me() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="container child-space">
      <h1>{t('children.me.hello', { name: data.firstName })}</h1>
      {data.classes.map((c) => (
        <p key={c.id}>{t('children.me.class', { name: c.name })}</p>
      ))}
      <section className="card" aria-labelledby="activities-title">
        <h2 id="activities-title">{t('children.me.activities')}</h2>
        <p className="muted">{t('children.me.no_activities')}</p>
      </section>
      <Form method="post" action="/logout">
        <button type="submit" className="secondary">
          {t('children.me.logout')}
        </button>
      </Form>
    </div>
  )
}
