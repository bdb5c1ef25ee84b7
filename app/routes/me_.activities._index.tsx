import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { getChildSpace } from '~/models/children/child-space.server'
import { isPublished } from '~/models/learning/publish.server'
import { loadObservations, loadResults, skillProgress } from '~/models/learning/record.server'
import { learningCss } from '~/ui/learning/styles'
import type { RouteAccess } from '~/permissions/access'
import { authorize, getOptionalUser } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.me_progress')
// The child's own record: their quiz scores, and the levels their teacher has published
// (what their family sees too). Adults are refused; no session → the child login page.
export const handle = { access: { allow: ['child'] } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await getOptionalUser(request)
  if (!ctx) throw redirect('/child-login')
  await authorize(ctx, 'read', 'ChildSpace', { userId: ctx.user.id })
  const space = await getChildSpace(ctx.db, ctx.user.id)
  const orgIds = [...new Set(space.classes.map((c) => c.orgId))]
  const results = []
  const observations = []
  for (const orgId of orgIds) {
    // The policy decides, in SQL ({ orgId, childId: self }): nothing of another child.
    const visibleTo = { ability: ctx.ability }
    results.push(...(await loadResults(ctx.db, { orgId, childIds: [ctx.user.id], visibleTo })))
    observations.push(...(await loadObservations(ctx.db, { orgId, childIds: [ctx.user.id], visibleTo })))
  }
  return {
    firstName: space.firstName,
    results: results.reverse().map((r) => ({ id: r.id, activityId: r.activityId, title: r.title, score: r.score, max: r.max, on: r.completedAt.toISOString() })),
    // Levels the teacher has published: a draft observation is not shown yet.
    skills: skillProgress(observations.filter((o) => isPublished(o.publishedAt))).map((p) => ({ id: p.skillId, label: p.label, level: p.latest })),
  }
}

export default function MyProgress() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="container child-space quiz">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to="/me">← {t('learning.child.back')}</Link>
      </p>
      <h1>{t('learning.child.progress_title', { name: data.firstName })}</h1>
      <section aria-labelledby="my-results">
        <h2 id="my-results">{t('learning.child.my_results')}</h2>
        {data.results.length === 0 ? (
          <p className="muted">{t('learning.child.no_results')}</p>
        ) : (
          <ul className="act-list">
            {data.results.map((r) => (
              <li key={r.id}>
                <Link to={`/me/activities/${r.activityId}`}>
                  <span>{r.title}</span>
                  <span>{t('learning.child.done_score', { score: r.score, max: r.max })}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="my-skills">
        <h2 id="my-skills">{t('learning.child.my_skills')}</h2>
        {data.skills.length === 0 ? (
          <p className="muted">{t('learning.child.no_skills')}</p>
        ) : (
          <ul className="quiz-review">
            {data.skills.map((s) => (
              <li key={s.id}>
                {s.label} — <span className={`lvl ${s.level}`}>{t(`learning.child.level.${s.level}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
