import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { t as translate, formatDate, useT } from '~/i18n'
import { deleteActivity } from '~/models/learning/activities.server'
import { actorOf } from '~/ui/http.server'
import { DomainError } from '~/errors.server'
import { parseReleaseDate, setActivitiesPublished, setItemsPublished } from '~/models/learning/publish.server'
import { deleteActivitySchema, publishItemsSchema, releaseOnSchema } from '~/models/learning/publish.schema'
import type { RouteAccess } from '~/permissions/access'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, FormNotice, Notice, PageHeader, Section, StatusBadge } from '~/ui/kit'
import { PubBadge, QuestionsSection, ResultsSection } from './parts'

import { activityPage, load } from './view.server'
import { pageTitleFrom } from '~/ui/meta'
export const meta = pageTitleFrom<typeof loader>((d) => d.activity.title, 'title.activity')
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', classId: 'classA1', activityId: 'token' },
    note: '404 for an unknown activity once the class is allowed',
  } satisfies RouteAccess,
}

export async function loader(args: LoaderFunctionArgs) {
  return activityPage(args)
}

// The page's forms: publish or withdraw the activity or the ticked rows, or delete the activity.
const schema = z.discriminatedUnion('intent', [
  publishItemsSchema.extend({ intent: z.enum(['publish-items', 'unpublish-items']) }),
  releaseOnSchema.extend({ intent: z.enum(['publish-activity', 'unpublish-activity']) }),
  deleteActivitySchema.extend({ intent: z.literal('delete') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, klass, activity } = await load(request, params, 'update')
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = actorOf(ctx)
  try {
    if (v.intent === 'delete') {
      await ctx.db.transaction((tx) => deleteActivity(tx, { orgId, classId: klass.id, activityId: activity.id, by }))
      return redirect(`/org/${orgId}/classes/${klass.id}/learning`)
    }
    const releaseAt = parseReleaseDate(v.releaseOn)
    const publish = v.intent === 'publish-items' || v.intent === 'publish-activity'
    const r =
      v.intent === 'publish-items' || v.intent === 'unpublish-items'
        ? await setItemsPublished(ctx.db, { orgId, classId: klass.id, resultIds: v.resultId, observationIds: v.observationId, publish, releaseAt, by })
        : await ctx.db.transaction((tx) => setActivitiesPublished(tx, { orgId, classId: klass.id, activityIds: [activity.id], publish, releaseAt, by }))
    return form.success(translate(ctx.lang, publish ? 'learning.publish.done' : 'learning.publish.undone', { results: r.results, observations: r.observations }))
  } catch (e) {
    return form.error(e, e instanceof DomainError && e.code === 'learning.publish.release_invalid' ? 'releaseOn' : undefined)
  }
}

export default function ActivityPage() {
  const t = useT()
  const { orgId, klass, activity, skills: skillList, questions, rows, may } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}/classes/${klass.id}`
  const done = rows.filter((r) => r.result).length
  return (
    <div className="container">
      <p>
        <Link to={`${base}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <PageHeader
        title={activity.title}
        subtitle={
          <>
            {t(`learning.kind.${activity.kind}`)} · {activity.group ? t('learning.activity.group', { name: activity.group }) : t('learning.activity.whole_class', { name: klass.name })} ·{' '}
            {formatDate(t.lang, activity.createdAt)} · <PubBadge state={activity.state} />
            {activity.releaseAt && activity.state === 'scheduled' && <> {t('learning.pub.release_on', { date: formatDate(t.lang, activity.releaseAt) })}</>}
          </>
        }
      />
      {params.get('created') && <Notice kind="success">{t('learning.activity.created')}</Notice>}
      <FormNotice />
      {activity.instructions && <p>{activity.instructions}</p>}
      {skillList.length > 0 && (
        <p className="skill-badges">
          {t('learning.activity.skills')} :{' '}
          {skillList.map((s) => (
            <StatusBadge key={s.id}>{`${s.code} — ${s.label}`}</StatusBadge>
          ))}
        </p>
      )}
      {activity.kind === 'observation' && may.create && (
        <p>
          <Link className="button" to={`${base}/learning/observe?activity=${activity.id}`}>
            {t('learning.activity.observe_now')}
          </Link>
        </p>
      )}

      <ResultsSection busy={busy} />
      {questions.length > 0 && <QuestionsSection />}

      {may.update && (
        <Section title={t('learning.activity.delete_title')}>
          <ConfirmForm
            intent="delete"
            consequences={[t('learning.activity.delete_point', { done })]}
            confirmLabel={t('learning.activity.delete_confirm', { done })}
            submit={t('learning.activity.delete_submit')}
            busy={busy}
          />
        </Section>
      )}
    </div>
  )
}
