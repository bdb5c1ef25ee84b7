// The class page's settings: its name, level and year; its deletion (lead teacher, administrator).
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { ConfirmForm, Field, Section, useCarnetForm } from '~/ui/kit'
import { classPageSchema } from './intents'

type Klass = { name: string; level: string | null; schoolYear: string }

export function EditClassSection({ klass }: { klass: Klass }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(classPageSchema, {
    intent: 'update',
    id: 'edit-class',
    defaultValue: { intent: 'update', name: klass.name, level: klass.level ?? '', schoolYear: klass.schoolYear },
  })
  return (
    <Section title={t('classes.edit_title')}>
      {/* noValidate: each error is said on its field in the teacher's language, not in a browser bubble. */}
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="intent" value="update" />
        <Field meta={fields.name} label={t('classes.name')} />
        <Field meta={fields.level} label={t('classes.level')} />
        <Field meta={fields.schoolYear} label={t('classes.school_year')} hint={t('classes.school_year_hint')} />
        <button type="submit" disabled={busy}>
          {t('common.save')}
        </button>
      </Form>
    </Section>
  )
}

export function DeleteClassSection({ klass, childCount }: { klass: Klass; childCount: number }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  return (
    <Section title={t('classes.delete_title')}>
      <ConfirmForm
        intent="delete"
        consequences={[t('classes.delete_body', { count: childCount })]}
        confirmLabel={t('classes.delete_confirm', { name: klass.name })}
        submit={t('classes.delete_submit')}
        busy={busy}
      />
    </Section>
  )
}
