// The class page's children: the login cards to print, and each child's group.
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { DataTable, Section, StatusBadge, type Column } from '~/ui/kit'
import type { classPage as loader } from './view.server'

export function ChildrenSection() {
  const t = useT()
  const { orgId, klass, children, groups, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}`
  type Child = (typeof children)[number]
  const columns: Column<Child>[] = [
    { header: t('classes.first_name'), cell: (c) => <Link to={`${base}/children/${c.id}`}>{c.firstName}</Link> },
    { header: t('classes.last_name'), cell: (c) => c.lastName },
    {
      header: t('classes.group'),
      cell: (c) =>
        perms.moveChildren && groups.length > 0 ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="child-group" />
            <input type="hidden" name="childId" value={c.id} />
            <select name="groupId" defaultValue={c.groupId ?? ''} aria-label={t('classes.group_of', { name: `${c.firstName} ${c.lastName}` })}>
              <option value="">{t('classes.no_group')}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary" disabled={busy}>
              {t('classes.group_move')}
            </button>
          </Form>
        ) : (
          (c.groupName ?? '—')
        ),
    },
    {
      header: t('classes.card_status'),
      cell: (c) =>
        c.cardIssuedAt ? (
          <StatusBadge tone="ok">{t('classes.card_issued', { date: formatDate(t.lang, c.cardIssuedAt) })}</StatusBadge>
        ) : (
          <StatusBadge tone="warn">{t('classes.card_none')}</StatusBadge>
        ),
    },
  ]
  const title = t('classes.children_title', { count: children.length })
  return (
    <Section
      title={title}
      card={false}
      actions={
        perms.cards &&
        children.length > 0 && (
          // POST, never a link: printing re-issues the cards, and a prefetch must not do that.
          <>
            <Form method="post" action={`${base}/classes/${klass.id}/cards`} reloadDocument>
              <button type="submit" className="secondary">
                {t('children.cards.print_all')}
              </button>
            </Form>
            <Form method="post" action={`${base}/classes/${klass.id}/cards`} reloadDocument>
              <input type="hidden" name="only" value="new" />
              <button type="submit" className="secondary">
                {t('children.cards.print_new')}
              </button>
            </Form>
          </>
        )
      }
    >
      <DataTable label={title} columns={columns} rows={children} rowKey={(c) => c.id} empty={t('classes.no_children')} />
    </Section>
  )
}
