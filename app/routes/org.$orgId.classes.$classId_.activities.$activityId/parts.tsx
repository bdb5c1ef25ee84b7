// The activity page's parts: the children's results or observations (ticked to publish them),
// the publication panel, and the quiz's questions.
import { Form, Link, useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { Section, StatusBadge, type Tone } from '~/ui/kit'
import type { activityPage as loader } from './view.server'

type Pub = 'published' | 'scheduled' | 'not_published'
const PUB_TONE = { published: 'ok', scheduled: 'warn', not_published: 'neutral' } as const satisfies Record<Pub, Tone>

/** Whether families see it: published, scheduled or not. */
export function PubBadge({ state }: { state: Pub }) {
  const t = useT()
  return <StatusBadge tone={PUB_TONE[state]}>{t(`learning.pub.${state}`)}</StatusBadge>
}

export function ResultsSection({ busy }: { busy: boolean }) {
  const t = useT()
  const { orgId, activity, rows, may } = useLoaderData<typeof loader>()
  const done = rows.filter((r) => r.result).length
  const quiz = activity.kind === 'quiz'
  const title = quiz ? t('learning.activity.results_title', { done, total: rows.length }) : t('learning.activity.observations_title')
  return (
    <Section title={title} card={false}>
      {/* One form: the ticked rows and the release date go with whichever button is pressed. */}
      <Form method="post">
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- an area that scrolls must be reachable by keyboard; a group, as the section around it is already the region of this name */}
        <div className="table-wrap" role="group" aria-label={title} tabIndex={0}>
          <table className="lg-rows">
            <thead>
              <tr>
                {may.update && (
                  <th scope="col">
                    <span className="visually-hidden">{t('learning.publish.select')}</span>
                  </th>
                )}
                <th scope="col">{t('learning.grid.child')}</th>
                {quiz ? (
                  <>
                    <th scope="col">{t('learning.pdf.col_score')}</th>
                    <th scope="col">{t('learning.activity.duration')}</th>
                    <th scope="col">{t('learning.activity.completed_at')}</th>
                  </>
                ) : (
                  <th scope="col">{t('learning.activity.levels')}</th>
                )}
                <th scope="col">{t('learning.activity.families')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.childId}>
                  {may.update && (
                    <td>
                      {r.result && <input className="lg-check" type="checkbox" name="resultId" value={r.result.id} aria-label={t('learning.publish.select_of', { name: r.name })} />}
                      {r.observations.map((o) => (
                        <input key={o.id} className="lg-check" type="checkbox" name="observationId" value={o.id} aria-label={t('learning.publish.select_obs_of', { name: r.name, skill: o.code })} />
                      ))}
                    </td>
                  )}
                  <th scope="row">
                    <Link to={`/org/${orgId}/children/${r.childId}/record`}>{r.name}</Link>
                  </th>
                  {quiz ? (
                    <>
                      <td>
                        {r.result ? (
                          <strong>
                            {r.result.score}/{r.result.max}
                          </strong>
                        ) : (
                          <span className="muted">{t('learning.activity.not_done')}</span>
                        )}
                      </td>
                      <td>{r.result?.durationMs != null ? t('learning.activity.minutes', { n: Math.max(1, Math.round(r.result.durationMs / 60000)) }) : '—'}</td>
                      <td>{r.result ? formatDate(t.lang, r.result.completedAt, true) : '—'}</td>
                      <td>{r.result ? <PubBadge state={r.result.state} /> : '—'}</td>
                    </>
                  ) : (
                    <>
                      <td>
                        {r.observations.length
                          ? r.observations.map((o) => (
                              <div key={o.id}>
                                <span className={`lvl ${o.level}`}>{t(`learning.level.${o.level}`)}</span> {o.code} · {formatDate(t.lang, `${o.observedOn}T12:00:00Z`)}
                                {o.note && <span className="muted"> — {o.note}</span>}
                              </div>
                            ))
                          : '—'}
                      </td>
                      <td>
                        {r.observations.map((o) => (
                          <div key={o.id}>
                            <PubBadge state={o.state} />
                          </div>
                        ))}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {may.update && <PublishPanel busy={busy} />}
      </Form>
    </Section>
  )
}

function PublishPanel({ busy }: { busy: boolean }) {
  const t = useT()
  return (
    <Section title={t('learning.publish.title')}>
      <p className="hint">{t('learning.publish.activity_hint')}</p>
      <div className="field narrow-field">
        <label htmlFor="f-release">{t('learning.publish.release_on')}</label>
        <input id="f-release" type="date" name="releaseOn" />
      </div>
      <div className="actions">
        <button type="submit" name="intent" value="publish-activity" disabled={busy}>
          {t('learning.publish.activity_submit')}
        </button>
        <button type="submit" name="intent" value="publish-items" className="secondary" disabled={busy}>
          {t('learning.publish.selected_submit')}
        </button>
        <button type="submit" name="intent" value="unpublish-items" className="secondary" disabled={busy}>
          {t('learning.publish.selected_unpublish')}
        </button>
        <button type="submit" name="intent" value="unpublish-activity" className="secondary" disabled={busy}>
          {t('learning.publish.activity_unpublish')}
        </button>
      </div>
    </Section>
  )
}

export function QuestionsSection() {
  const t = useT()
  const { questions } = useLoaderData<typeof loader>()
  return (
    <Section title={t('learning.quiz.questions')}>
      <ol className="question-list">
        {questions.map((q) => (
          <li key={q.position}>
            <strong>{q.text}</strong>
            {q.pictureUrl && <img src={q.pictureUrl} alt="" className="question-picture" />}
            <ul>
              {q.choices.map((c, j) => (
                <li key={j}>
                  {c} {j === q.correctIndex && <StatusBadge tone="ok">{t('learning.quiz.correct_answer')}</StatusBadge>}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </Section>
  )
}
