// The child's username and password, set by a teacher or an administrator, who writes them down
// for the child (the password is shown as text on purpose).
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { Field, Section, useCarnetForm } from '~/ui/kit'
import { schema } from './intents'

export function CredentialsSection({ username, minPassword }: { username: string | null; minPassword: number }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'credentials', defaultValue: { intent: 'credentials', username: username ?? '' } })
  return (
    <Section title={t('children.credentials.title')}>
      <p className="hint">{t('children.credentials.hint', { min: minPassword })}</p>
      <p>{username ? t('children.credentials.current', { username }) : t('children.credentials.none')}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="credentials" />
        <Field meta={fields.username} label={t('children.credentials.username')} hint={t('children.credentials.username_hint')} autoComplete="off" />
        {/* Shown as text: the teacher writes it down for the child. */}
        <Field meta={fields.password} label={t('children.credentials.password')} autoComplete="off" />
        <button type="submit" disabled={busy}>
          {t('children.credentials.save')}
        </button>
      </Form>
    </Section>
  )
}
