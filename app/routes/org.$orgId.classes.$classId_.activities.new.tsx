import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useT } from '~/i18n'
import { createActivity, type QuestionInput } from '~/models/learning/activities.server'
import { MAX_ACTIVITY_FORM_BYTES, MAX_CHOICES, MAX_PICTURE_BYTES } from '~/models/learning/constants'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { listSkills } from '~/models/learning/skills.server'
import { learningCss } from '~/ui/learning/styles'
import { listGroups } from '~/models/classes/groups.server'
import { Invalid } from '~/errors.server'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { errorReply, type FormReply } from '~/ui/forms.server'
import { readFormData } from '~/ui/body.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — nouvelle activité' }]
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

/** The cycle a class level belongs to, to open the right skills first. */
function cycleOf(level: string | null) {
  const l = (level ?? '').toUpperCase()
  if (/^(PS|MS|GS|TPS)/.test(l)) return 1
  if (/^(CP|CE1|CE2)/.test(l)) return 2
  if (/^(CM1|CM2|6)/.test(l)) return 3
  return null
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'create')
  const [skills, groups] = await Promise.all([listSkills(ctx.db, { orgId }), listGroups(ctx.db, { orgId, classId: klass.id })])
  return {
    orgId,
    klass: { id: klass.id, name: klass.name },
    cycle: cycleOf(klass.level),
    skills: skills.map((s) => ({ id: s.id, code: s.code, label: s.label, domain: s.domain, cycle: s.cycle })),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
  }
}

async function pictureOf(value: FormDataEntryValue | null): Promise<string | null> {
  if (!value || typeof value === 'string' || value.size === 0) return null
  if (value.size > MAX_PICTURE_BYTES) throw new Invalid('learning.quiz.picture_too_big', { max: Math.round(MAX_PICTURE_BYTES / 1024) })
  const type = value.type
  if (!['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(type)) throw new Invalid('learning.quiz.picture_invalid')
  return `data:${type};base64,${Buffer.from(await value.arrayBuffer()).toString('base64')}`
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'create')
  try {
    const form = await readFormData(request, MAX_ACTIVITY_FORM_BYTES)
    const kind = form.get('kind') === 'observation' ? 'observation' : 'quiz'
    const questions: QuestionInput[] = []
    if (kind === 'quiz') {
      const count = Math.min(Number(form.get('questionCount')) || 0, 40)
      for (let i = 0; i < count; i++) {
        const choices = Array.from({ length: MAX_CHOICES }, (_, j) => String(form.get(`q${i}.choice${j}`) ?? ''))
        const correct = form.get(`q${i}.correct`)
        questions.push({
          text: String(form.get(`q${i}.text`) ?? ''),
          choices,
          correctIndex: correct === null ? -1 : Number(correct),
          pictureUrl: await pictureOf(form.get(`q${i}.picture`)),
        })
      }
    }
    const activity = await ctx.db.transaction((tx) =>
      createActivity(tx, {
        orgId,
        classId: klass.id,
        groupId: String(form.get('groupId') ?? '') || null,
        kind,
        title: String(form.get('title') ?? ''),
        instructions: String(form.get('instructions') ?? ''),
        skillIds: form.getAll('skillId').map(String),
        questions,
        by: actorOf(ctx),
      }),
    )
    return redirect(`/org/${orgId}/classes/${klass.id}/activities/${activity.id}?created=1`)
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

const CHOICES_SHOWN = 4

function QuestionBlock({ i, t }: { i: number; t: ReturnType<typeof useT> }) {
  return (
    <fieldset className="q-block">
      <legend>{t('learning.quiz.question_n', { n: i + 1 })}</legend>
      <div className="field">
        <label htmlFor={`q${i}-text`}>{t('learning.quiz.question_text')}</label>
        <textarea id={`q${i}-text`} name={`q${i}.text`} rows={2} maxLength={500} />
      </div>
      <div className="field">
        <label htmlFor={`q${i}-picture`}>{t('learning.quiz.picture')}</label>
        <p className="hint" id={`q${i}-picture-hint`}>
          {t('learning.quiz.picture_hint', { max: Math.round(MAX_PICTURE_BYTES / 1024) })}
        </p>
        <input id={`q${i}-picture`} type="file" name={`q${i}.picture`} accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby={`q${i}-picture-hint`} />
      </div>
      <div className="q-choices" role="group" aria-label={t('learning.quiz.choices_of', { n: i + 1 })}>
        {Array.from({ length: CHOICES_SHOWN }, (_, j) => (
          <div key={j} className="q-choice">
            <input type="radio" name={`q${i}.correct`} value={j} id={`q${i}-correct${j}`} aria-label={t('learning.quiz.is_correct', { n: i + 1, c: j + 1 })} />
            <input type="text" name={`q${i}.choice${j}`} aria-label={t('learning.quiz.choice_n', { n: i + 1, c: j + 1 })} maxLength={200} />
          </div>
        ))}
      </div>
      <p className="hint">{t('learning.quiz.correct_hint')}</p>
    </fieldset>
  )
}

export default function NewActivity() {
  const t = useT()
  const { orgId, klass, skills, groups, cycle } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const [kind, setKind] = useState<'quiz' | 'observation'>('quiz')
  const [count, setCount] = useState(3)
  const base = `/org/${orgId}/classes/${klass.id}`
  const cycles = [...new Set(skills.map((s) => s.cycle))]
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to={`${base}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <h1>{t('learning.activity.new_title', { name: klass.name })}</h1>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="questionCount" value={count} />
        <fieldset className="field" style={{ border: 0, padding: 0 }}>
          <legend>{t('learning.activity.kind')}</legend>
          <label className="checkbox" style={{ marginBottom: '.2rem' }}>
            <input type="radio" name="kind" value="quiz" checked={kind === 'quiz'} onChange={() => setKind('quiz')} /> {t('learning.kind.quiz')}
          </label>
          <label className="checkbox">
            <input type="radio" name="kind" value="observation" checked={kind === 'observation'} onChange={() => setKind('observation')} /> {t('learning.kind.observation')}
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="f-title">{t('learning.activity.title')}</label>
          <input id="f-title" name="title" type="text" required maxLength={120} />
        </div>
        <div className="field">
          <label htmlFor="f-instructions">{t('learning.activity.instructions')}</label>
          <p className="hint" id="f-instructions-hint">
            {t('learning.activity.instructions_hint')}
          </p>
          <textarea id="f-instructions" name="instructions" rows={2} maxLength={1000} aria-describedby="f-instructions-hint" />
        </div>
        <div className="field">
          <label htmlFor="f-group">{t('learning.activity.for')}</label>
          <select id="f-group" name="groupId" defaultValue="">
            <option value="">{t('learning.activity.whole_class', { name: klass.name })}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {t('learning.activity.group', { name: g.name })}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field" style={{ border: 0, padding: 0 }}>
          <legend>{t('learning.activity.skills')}</legend>
          <p className="hint">{t(kind === 'observation' ? 'learning.activity.skills_hint_obs' : 'learning.activity.skills_hint')}</p>
          <div className="skills-pick">
            {cycles.map((c) => (
              <details key={c} open={cycle === null || cycle === c}>
                <summary>{t('learning.skills.cycle_n', { n: c })}</summary>
                {[...new Set(skills.filter((s) => s.cycle === c).map((s) => s.domain))].map((d) => (
                  <div key={d}>
                    <h4>{d}</h4>
                    {skills
                      .filter((s) => s.cycle === c && s.domain === d)
                      .map((s) => (
                        <label key={s.id}>
                          <input type="checkbox" name="skillId" value={s.id} /> <span>{s.label}</span> <span className="muted">({s.code})</span>
                        </label>
                      ))}
                  </div>
                ))}
              </details>
            ))}
          </div>
        </fieldset>
        {kind === 'quiz' && (
          <section aria-labelledby="questions-title">
            <h2 id="questions-title">{t('learning.quiz.questions')}</h2>
            <p className="hint">{t('learning.quiz.questions_hint')}</p>
            {Array.from({ length: count }, (_, i) => (
              <QuestionBlock key={i} i={i} t={t} />
            ))}
            <button type="button" className="secondary" onClick={() => setCount((n) => Math.min(n + 1, 30))}>
              {t('learning.quiz.add_question')}
            </button>
          </section>
        )}
        <div className="actions" style={{ marginTop: '1.5rem' }}>
          <button type="submit" disabled={busy}>
            {t('learning.activity.create')}
          </button>
          <Link to={`${base}/learning`}>{t('common.cancel')}</Link>
        </div>
      </Form>
    </div>
  )
}
