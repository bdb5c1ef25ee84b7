import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useT } from '~/i18n'
import { createActivity, type QuestionInput } from '~/models/learning/activities.server'
import { ACTIVITY_KINDS, CHOICE_MAX, newActivitySchema, QUESTION_MAX } from '~/models/learning/activities.schema'
import { MAX_ACTIVITY_FORM_BYTES, MAX_CHOICES, MAX_PICTURE_BYTES, MAX_QUESTIONS } from '~/models/learning/constants'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { listSkills } from '~/models/learning/skills.server'
import { listGroups } from '~/models/classes/groups.server'
import { DomainError, Invalid } from '~/errors.server'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { readForm, refuseForm } from '~/ui/forms.server'
import { readFormData } from '~/ui/body.server'
import { Field, FormNotice, PageHeader, Section, SelectField, TextareaField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.activity_new')
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

async function pictureOf(value: File | undefined): Promise<string | null> {
  if (!value || value.size === 0) return null
  if (value.size > MAX_PICTURE_BYTES) throw new Invalid('learning.quiz.picture_too_big', { max: Math.round(MAX_PICTURE_BYTES / 1024) })
  const type = value.type
  if (!['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(type)) throw new Invalid('learning.quiz.picture_invalid')
  return `data:${type};base64,${Buffer.from(await value.arrayBuffer()).toString('base64')}`
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'create')
  // Pictures make the form large: it is read with the route's own ceiling, and refused past it.
  const formData = await readFormData(request, MAX_ACTIVITY_FORM_BYTES).catch((e: unknown) => e)
  if (!(formData instanceof FormData)) return refuseForm(formData, ctx.lang)
  const form = await readForm(formData, newActivitySchema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    const questions: QuestionInput[] = []
    if (v.kind === 'quiz') {
      for (const q of v.questions) {
        questions.push({
          text: q.text ?? '',
          // Blanks keep their place: the right answer is counted among the typed positions.
          choices: Array.from({ length: MAX_CHOICES }, (_, j) => q.choices[j] ?? ''),
          correctIndex: q.correct ?? -1,
          pictureUrl: await pictureOf(q.picture),
        })
      }
    }
    const activity = await ctx.db.transaction((tx) =>
      createActivity(tx, { orgId, classId: klass.id, groupId: v.groupId ?? null, kind: v.kind, title: v.title, instructions: v.instructions ?? '', skillIds: v.skillId, questions, by: actorOf(ctx) }),
    )
    return redirect(`/org/${orgId}/classes/${klass.id}/activities/${activity.id}?created=1`)
  } catch (e) {
    const code = e instanceof DomainError ? e.code : ''
    return form.error(e, code === 'learning.activity.title_required' ? 'title' : code === 'learning.activity.skill_required' ? 'skillId' : undefined)
  }
}

const CHOICES_SHOWN = 4

function QuestionBlock({ i }: { i: number }) {
  const t = useT()
  const name = `questions[${i}]`
  return (
    <fieldset className="q-block">
      <legend>{t('learning.quiz.question_n', { n: i + 1 })}</legend>
      <div className="field">
        <label htmlFor={`q${i}-text`}>{t('learning.quiz.question_text')}</label>
        <textarea id={`q${i}-text`} name={`${name}.text`} rows={2} maxLength={QUESTION_MAX} />
      </div>
      <div className="field">
        <label htmlFor={`q${i}-picture`}>{t('learning.quiz.picture')}</label>
        <p className="hint" id={`q${i}-picture-hint`}>
          {t('learning.quiz.picture_hint', { max: Math.round(MAX_PICTURE_BYTES / 1024) })}
        </p>
        <input id={`q${i}-picture`} type="file" name={`${name}.picture`} accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby={`q${i}-picture-hint`} />
      </div>
      <div className="q-choices" role="group" aria-label={t('learning.quiz.choices_of', { n: i + 1 })}>
        {Array.from({ length: CHOICES_SHOWN }, (_, j) => (
          <div key={j} className="q-choice">
            <input type="radio" name={`${name}.correct`} value={j} id={`q${i}-correct${j}`} aria-label={t('learning.quiz.is_correct', { n: i + 1, c: j + 1 })} />
            <input type="text" name={`${name}.choices[${j}]`} aria-label={t('learning.quiz.choice_n', { n: i + 1, c: j + 1 })} maxLength={CHOICE_MAX} />
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
  const busy = useNavigation().state !== 'idle'
  const [kind, setKind] = useState<'quiz' | 'observation'>('quiz')
  const [count, setCount] = useState(3)
  const [form, fields] = useCarnetForm(newActivitySchema, { id: 'new-activity', defaultValue: { kind: 'quiz' } })
  const base = `/org/${orgId}/classes/${klass.id}`
  const cycles = [...new Set(skills.map((s) => s.cycle))]
  const skillErrors = fields.skillId.errors
  return (
    <div className="container">
      <p>
        <Link to={`${base}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <PageHeader title={t('learning.activity.new_title', { name: klass.name })} />
      <FormNotice />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <fieldset className="field choices">
          <legend>{t('learning.activity.kind')}</legend>
          {ACTIVITY_KINDS.map((k) => (
            <label key={k} className="checkbox">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t(`learning.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <Field meta={fields.title} label={t('learning.activity.title')} />
        <TextareaField meta={fields.instructions} label={t('learning.activity.instructions')} hint={t('learning.activity.instructions_hint')} rows={2} />
        <SelectField meta={fields.groupId} label={t('learning.activity.for')}>
          <option value="">{t('learning.activity.whole_class', { name: klass.name })}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {t('learning.activity.group', { name: g.name })}
            </option>
          ))}
        </SelectField>
        <fieldset className={`field${skillErrors?.length ? ' has-error' : ''}`} aria-describedby={skillErrors?.length ? fields.skillId.errorId : undefined}>
          <legend>{t('learning.activity.skills')}</legend>
          <p className="hint">{t(kind === 'observation' ? 'learning.activity.skills_hint_obs' : 'learning.activity.skills_hint')}</p>
          <div className="skills-pick">
            {cycles.map((c) => (
              <details key={c} open={cycle === null || cycle === c}>
                <summary>{t('learning.skills.cycle_n', { n: c })}</summary>
                {[...new Set(skills.filter((s) => s.cycle === c).map((s) => s.domain))].map((d) => (
                  <div key={d}>
                    <h2 className="skills-domain">{d}</h2>
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
          {skillErrors?.length ? (
            <p className="error" id={fields.skillId.errorId} role="alert">
              {skillErrors.join(' ')}
            </p>
          ) : null}
        </fieldset>
        {kind === 'quiz' && (
          <Section title={t('learning.quiz.questions')} card={false}>
            <p className="hint">{t('learning.quiz.questions_hint')}</p>
            {Array.from({ length: count }, (_, i) => (
              <QuestionBlock key={i} i={i} />
            ))}
            <button type="button" className="secondary" onClick={() => setCount((n) => Math.min(n + 1, MAX_QUESTIONS))}>
              {t('learning.quiz.add_question')}
            </button>
          </Section>
        )}
        <div className="actions submit-row">
          <button type="submit" disabled={busy}>
            {t('learning.activity.create')}
          </button>
          <Link to={`${base}/learning`}>{t('common.cancel')}</Link>
        </div>
      </Form>
    </div>
  )
}
