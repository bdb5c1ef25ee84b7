// The class page's teachers: who teaches it (lead, co-teachers), and, for whoever may hand the
// class over, making a co-teacher lead, removing one, adding a teacher of the school.
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { ChoiceField, Section, SelectField, StatusBadge, useCarnetForm } from '~/ui/kit'
import { classPageSchema } from './intents'
import type { classPage as loader } from './view.server'

export function TeachersSection() {
  const t = useT()
  const { teachers, candidates, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  return (
    <Section title={t('classes.teachers')}>
      {teachers.length === 0 ? (
        <p>
          <StatusBadge tone="warn">{t('classes.no_teacher')}</StatusBadge>
        </p>
      ) : (
        <ul className="teacher-list">
          {teachers.map((x) => (
            <li key={x.userId}>
              {x.name} <StatusBadge>{t(`classes.teacher_role_${x.role}`)}</StatusBadge>
              {x.me && <span className="muted"> ({t('classes.you')})</span>}
              {perms.transfer && x.role === 'co' && (
                <span className="actions">
                  <Form method="post" className="inline">
                    <input type="hidden" name="userId" value={x.userId} />
                    <input type="hidden" name="role" value="lead" />
                    <button type="submit" name="intent" value="assign-teacher" className="secondary" disabled={busy}>
                      {t('classes.make_lead')}
                    </button>
                  </Form>
                  <Form method="post" className="inline">
                    <input type="hidden" name="userId" value={x.userId} />
                    <button type="submit" name="intent" value="remove-teacher" className="secondary" disabled={busy}>
                      {t('classes.remove_teacher', { name: x.name })}
                    </button>
                  </Form>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {perms.transfer && candidates.length > 0 && <AddTeacherForm candidates={candidates} busy={busy} />}
    </Section>
  )
}

function AddTeacherForm({ candidates, busy }: { candidates: { userId: string; name: string }[]; busy: boolean }) {
  const t = useT()
  const [form, fields] = useCarnetForm(classPageSchema, { intent: 'assign-teacher', id: 'add-teacher', defaultValue: { intent: 'assign-teacher', role: 'co' } })
  const roleLabel = { co: t('classes.teacher_role_co'), lead: t('classes.teacher_role_lead_transfer') }
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="assign-teacher" />
      <SelectField meta={fields.userId} label={t('classes.add_teacher')}>
        {candidates.map((s) => (
          <option key={s.userId} value={s.userId}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <ChoiceField meta={fields.role} legend={t('classes.teacher_role')} options={(['co', 'lead'] as const).map((r) => ({ value: r, label: roleLabel[r] }))} />
      <button type="submit" disabled={busy}>
        {t('classes.add_teacher_submit')}
      </button>
    </Form>
  )
}
