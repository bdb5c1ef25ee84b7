// The class page's groups: each group renamed or deleted in its row, and a new group.
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { ConfirmForm, Field, Section, useCarnetForm } from '~/ui/kit'
import { classPageSchema } from './intents'
import type { classPage as loader } from './view.server'

export function GroupsSection() {
  const t = useT()
  const { groups, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  return (
    <Section title={t('classes.groups')}>
      {groups.length === 0 && <p className="empty">{t('classes.no_groups')}</p>}
      <ul className="plain-list group-list">
        {groups.map((g) => (
          <li key={g.id}>
            {perms.groups ? (
              <>
                {/* One form per group: its answer (renamed, name taken…) is said at the top of the page. */}
                <Form method="post" className="actions">
                  <input type="hidden" name="groupId" value={g.id} />
                  <input type="text" name="name" defaultValue={g.name} aria-label={t('classes.group_name_of', { name: g.name })} required className="grow" />
                  <span className="muted">{t('classes.children_count', { count: g.childCount })}</span>
                  <button type="submit" name="intent" value="group-rename" className="secondary" disabled={busy}>
                    {t('classes.group_rename')}
                  </button>
                </Form>
                <ConfirmForm
                  intent="group-delete"
                  hidden={{ groupId: g.id }}
                  open={t('classes.group_delete_of', { name: g.name })}
                  consequences={[t('classes.group_delete_children', { name: g.name, count: g.childCount }), t('classes.group_delete_activities')]}
                  cancelWindow={t('classes.group_delete_final')}
                  submit={t('classes.group_delete')}
                  busy={busy}
                />
              </>
            ) : (
              <>
                {g.name} <span className="muted">({t('classes.children_count', { count: g.childCount })})</span>
              </>
            )}
          </li>
        ))}
      </ul>
      {perms.groups && <NewGroupForm busy={busy} />}
    </Section>
  )
}

function NewGroupForm({ busy }: { busy: boolean }) {
  const t = useT()
  const [form, fields] = useCarnetForm(classPageSchema, { intent: 'group-create', id: 'new-group', defaultValue: { intent: 'group-create' } })
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="group-create" />
      <Field meta={fields.name} label={t('classes.group_new')} hint={t('classes.group_new_hint')} />
      <button type="submit" disabled={busy}>
        {t('classes.group_create')}
      </button>
    </Form>
  )
}
