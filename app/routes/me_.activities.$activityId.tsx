import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { answersOf, quizAnswersSchema } from '~/models/learning/child-quiz.schema'
import { useT } from '~/i18n'
import { quizForChild, submitQuiz } from '~/models/learning/child-quiz.server'
import { notFound } from '~/errors.server'
import { learningCss } from '~/ui/learning/styles'
import type { RouteAccess } from '~/permissions/access'
import { readForm } from '~/ui/forms.server'
import { FormNotice, useCarnetForm } from '~/ui/kit'
import { authorize, getOptionalUser } from '~/permissions/request.server'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d) => d.quiz.title, 'title.activity')
// A child answers a quiz of their class (or group) on a shared tablet: one question at a time,
// big targets, a button that reads the question aloud. Adults are refused; no session → child login.
export const handle = {
  access: { allow: ['child'], params: { activityId: 'token' }, note: '404 for an activity not assigned to the child' } satisfies RouteAccess,
}

async function childCtx(request: Request) {
  const ctx = await getOptionalUser(request)
  if (!ctx) throw redirect('/child-login')
  await authorize(ctx, 'read', 'ChildSpace', { userId: ctx.user.id })
  return ctx!
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await childCtx(request)
  const quiz = await quizForChild(ctx.db, { childId: ctx.user.id, activityId: params.activityId ?? '' }).catch(notFound)
  await authorize(ctx, 'read', 'LearningRecord', { orgId: quiz.orgId, childId: ctx.user.id })
  return { firstName: ctx.user.firstName, quiz }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await childCtx(request)
  const activityId = params.activityId ?? ''
  const quiz = await quizForChild(ctx.db, { childId: ctx.user.id, activityId }).catch(notFound)
  await authorize(ctx, 'create', 'LearningRecord', { orgId: quiz.orgId, childId: ctx.user.id })
  const form = await readForm(request, quizAnswersSchema(quiz.questions.length), ctx.lang)
  if (!form.ok) return form.reply
  const answers = answersOf(form.value, quiz.questions.length)
  await submitQuiz(ctx.db, { childId: ctx.user.id, activityId: quiz.id, answers, durationMs: form.value.durationMs || null, origin: ctx.origin }).catch(notFound)
  return redirect(`/me/activities/${quiz.id}`)
}

function speak(text: string, lang: string) {
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return
  window.speechSynthesis.cancel()
  const u = new SpeechSynthesisUtterance(text)
  u.lang = lang === 'fr' ? 'fr-FR' : 'en-GB'
  u.rate = 0.9
  window.speechSynthesis.speak(u)
}

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F']

export default function ChildQuiz() {
  const t = useT()
  const { firstName, quiz } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  // Without JavaScript every question shows, with one button at the end; with it, one at a time.
  const [ready, setReady] = useState(false)
  const [canSpeak, setCanSpeak] = useState(false)
  const [step, setStep] = useState(0)
  const [chosen, setChosen] = useState<(number | null)[]>(() => quiz.questions.map(() => null))
  const schema = useMemo(() => quizAnswersSchema(quiz.questions.length), [quiz.questions.length])
  const [form] = useCarnetForm(schema, { id: 'quiz' })
  const formProps = getFormProps(form)
  const started = useRef(Date.now())
  const duration = useRef<HTMLInputElement>(null)
  // After "Next" or "Previous" the keyboard focus goes to the question shown (the button pressed
  // has just moved or gone), and the progress line, a live region, says which question it is.
  const questions = useRef<(HTMLDivElement | null)[]>([])
  const moved = useRef(false)
  const goTo = (next: number) => {
    moved.current = true
    setStep(next)
  }
  useEffect(() => {
    if (moved.current) questions.current[step]?.focus()
  }, [step])
  useEffect(() => {
    setReady(true)
    setCanSpeak(typeof window !== 'undefined' && 'speechSynthesis' in window)
    started.current = Date.now()
  }, [])

  if (quiz.result) {
    const { score, max, review } = quiz.result
    return (
      <div className="container quiz quiz-done">
        <style dangerouslySetInnerHTML={{ __html: learningCss }} />
        <h1>{t(score === max ? 'learning.child.bravo' : 'learning.child.well_done', { name: firstName })}</h1>
        <p className="big" aria-hidden="true">
          {score === max ? '★★★' : score * 2 >= max ? '★★' : '★'}
        </p>
        <p>
          <strong>{t('learning.child.score', { score, max })}</strong>
        </p>
        <ol className="quiz-review">
          {quiz.questions.map((q, i) => {
            const r = review[i]!
            const right = r.chosen === r.correct
            return (
              <li key={q.position} className={right ? 'right' : 'wrong'}>
                <span aria-hidden="true" className={right ? 'mark-right' : 'mark-wrong'}>
                  {right ? '✔ ' : '✘ '}
                </span>
                <span className="sr-only">{t(right ? 'learning.child.right' : 'learning.child.wrong')} </span>
                {q.text} — <strong>{q.choices[r.correct]}</strong>
              </li>
            )
          })}
        </ol>
        <Link className="button" to="/me">
          {t('learning.child.back')}
        </Link>
      </div>
    )
  }

  const total = quiz.questions.length
  const last = step === total - 1
  return (
    <div className="container quiz">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to="/me">← {t('learning.child.back')}</Link>
      </p>
      <h1>{quiz.title}</h1>
      {quiz.instructions && <p>{quiz.instructions}</p>}
      <FormNotice />
      <Form
        method="post"
        {...formProps}
        onSubmit={(event) => {
          if (duration.current) duration.current.value = String(Date.now() - started.current)
          formProps.onSubmit(event)
        }}
      >
        <input ref={duration} type="hidden" name="durationMs" defaultValue="" />
        {ready && (
          <p className="quiz-progress" role="status">
            {t('learning.child.question_of', { n: step + 1, total })}
          </p>
        )}
        {quiz.questions.map((q, i) => (
          <div
            key={q.position}
            hidden={ready && i !== step}
            ref={(el) => {
              questions.current[i] = el
            }}
            tabIndex={-1}
            role="group"
            aria-labelledby={`q${i}-text`}
            className="quiz-step"
          >
            {/* Without JavaScript every question says its number; with it, the one live line below. */}
            {!ready && <p className="quiz-progress">{t('learning.child.question_of', { n: i + 1, total })}</p>}
            <fieldset className="quiz-q">
              <legend id={`q${i}-text`}>{q.text}</legend>
              {canSpeak && (
                <button type="button" className="secondary listen" onClick={() => speak([q.text, ...q.choices.map((c, j) => `${LETTERS[j]}: ${c}`)].join('. '), t.lang)}>
                  <span aria-hidden="true">▶</span> {t('learning.child.listen')}
                </button>
              )}
              {q.pictureUrl && <img className="quiz-pic" src={q.pictureUrl} alt={t('learning.child.picture_alt', { n: i + 1 })} />}
              <div className="quiz-choices">
                {q.choices.map((c, j) => (
                  <div key={j} className="quiz-choice">
                    <input type="radio" id={`a${i}-${j}`} name={`a${i}`} value={j} onChange={() => setChosen((prev) => prev.map((v, k) => (k === i ? j : v)))} />
                    <label htmlFor={`a${i}-${j}`}>
                      <span className="dot" aria-hidden="true">
                        {LETTERS[j]}
                      </span>
                      {c}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        ))}
        <div className="quiz-nav">
          {ready && step > 0 ? (
            <button type="button" className="secondary" onClick={() => goTo(step - 1)}>
              ← {t('learning.child.previous')}
            </button>
          ) : (
            <span />
          )}
          {ready && !last ? (
            <button type="button" onClick={() => goTo(Math.min(step + 1, total - 1))} disabled={chosen[step] === null}>
              {t('learning.child.next')} →
            </button>
          ) : (
            <button type="submit" disabled={busy || (ready && chosen[step] === null)}>
              {t('learning.child.finish')} ✔
            </button>
          )}
        </div>
      </Form>
    </div>
  )
}
