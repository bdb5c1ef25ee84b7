// One child of the class: the state of their authorisation (and whether it blocks their login),
// the last change, and the form that records a new decision. Its answer is shown here.
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData, useNavigation, type useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { DECISION_METHOD_OPTIONS, DECISION_OPTIONS } from '~/models/families/constants'
import type { loader } from './route'
import { FormNotice, SelectField, StatusBadge, useCarnetForm, type FormResult } from '~/ui/kit'
import { schema } from './intents'

type ChildAuthorisation = ReturnType<typeof useLoaderData<typeof loader>>['children'][number]

const DECISION_TONE = { obtained: 'ok', refused: 'bad', withdrawn: 'bad' } as const

export function DecisionCard({ child: c, base, mayRecord }: { child: ChildAuthorisation; base: string; mayRecord: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const result = useActionData() as FormResult | undefined
  const mine = result?.for === 'decision' && result.initialValue?.childId === c.id
  const [form, fields] = useCarnetForm(schema, {
    intent: 'decision',
    id: `decision-${c.id}`,
    match: { childId: c.id },
    defaultValue: { intent: 'decision', childId: c.id, decision: c.decision === 'obtained' ? 'withdrawn' : 'obtained', method: 'paper_form', guardianId: '' },
  })
  const headingId = `a-${c.id}`
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={`${base}/children/${c.id}`}>
          {c.firstName} {c.lastName}
        </Link>{' '}
        {c.decision ? <StatusBadge tone={DECISION_TONE[c.decision]}>{t(`families.auth.state_${c.decision}`)}</StatusBadge> : <StatusBadge tone="warn">{t('families.auth.state_none')}</StatusBadge>}{' '}
        {c.block && <StatusBadge tone="bad">{t(`families.block.${c.block}`)}</StatusBadge>}
      </h3>
      {c.at && <p className="muted">{t('families.auth.last_change', { date: formatDate(t.lang, c.at, true), by: c.by ?? '—', method: t.or(`dpo.method.${c.method}`, c.method ?? '—') })}</p>}
      {mine && <FormNotice />}
      {mayRecord && (
        <Form method="post" className="inline-fields" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="decision" />
          <input type="hidden" name="childId" value={c.id} />
          <SelectField meta={fields.decision} label={t('families.auth.decision')}>
            {DECISION_OPTIONS.map((d) => (
              <option key={d} value={d}>
                {t(`families.auth.state_${d}`)}
              </option>
            ))}
          </SelectField>
          <SelectField meta={fields.method} label={t('families.auth.method')}>
            {DECISION_METHOD_OPTIONS.map((m) => (
              <option key={m} value={m}>
                {t(`dpo.method.${m}`)}
              </option>
            ))}
          </SelectField>
          {c.guardians.length > 0 && (
            <SelectField meta={fields.guardianId} label={t('families.auth.guardian')}>
              <option value="">{t('families.auth.guardian_unknown')}</option>
              {c.guardians.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </SelectField>
          )}
          <button type="submit" disabled={busy} aria-label={t('families.auth.record_for', { name: c.firstName })}>
            {t('families.auth.record')}
          </button>
        </Form>
      )}
    </article>
  )
}
