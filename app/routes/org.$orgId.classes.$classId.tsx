import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { listChildren } from '~/models/classes/children.server'
import { assignTeacher, classTeachersOf, deleteClass, getClass, orgTeachers, removeTeacher, updateClass } from '~/models/classes/classes.server'
import { createGroup, deleteGroup, listGroups, renameGroup, setChildGroup } from '~/models/classes/groups.server'
import { Conflict, NotFound } from '~/errors.server'
import { formatDate, t as translate, useT, type MessageKey } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, parseForm, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'
import { classFamilyFlags } from '~/models/families/status.server' // families (issue 4)

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Carnet — ${data.klass.name}` : 'Carnet' }]
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

/** Org membership first (a stranger is denied, not told whether the class exists), then the class, then 'read Class'. */
async function loadClass(ctx: UserCtx, orgId: string, classId: string) {
  if (!ctx.principal.memberships.some((m) => m.orgId === orgId)) await deny(ctx, 'read', 'Class', classId, orgId)
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  await authorize(ctx, 'read', 'Class', klass)
  return klass
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await loadClass(ctx, orgId, params.classId!)
  const scope = { orgId, classId: klass.id }
  const perms = {
    update: can(ctx.ability, 'update', 'Class', klass),
    delete: can(ctx.ability, 'delete', 'Class', klass),
    transfer: can(ctx.ability, 'transfer', 'Class', klass),
    groups: can(ctx.ability, 'create', 'Group', scope),
    moveChildren: can(ctx.ability, 'update', 'Child', { orgId, classIds: [klass.id] }),
    cards: can(ctx.ability, 'create', 'LoginCard', { orgId, classIds: [klass.id] }),
  }
  const [children, teachers, groups, staff] = await Promise.all([
    listChildren(ctx.db, ctx.ability, scope),
    classTeachersOf(ctx.db, scope),
    listGroups(ctx.db, scope),
    perms.transfer ? orgTeachers(ctx.db, { orgId }) : [],
  ])
  const teaching = new Set(teachers.map((x) => x.userId))
  const families = await classFamilyFlags(ctx.db, scope) // families (issue 4): links, alerts, blocked logins
  return {
    families,
    orgId,
    klass: { id: klass.id, name: klass.name, level: klass.level, schoolYear: klass.schoolYear, loginCode: klass.loginCode, archivedAt: klass.archivedAt },
    children,
    teachers: teachers.map((x) => ({ userId: x.userId, name: `${x.firstName} ${x.lastName}`, role: x.role, me: x.userId === ctx.user.id })),
    groups,
    candidates: staff.filter((s) => !teaching.has(s.userId)).map((s) => ({ userId: s.userId, name: `${s.firstName} ${s.lastName}` })),
    perms,
  }
}

const uuid = z.string().uuid()
const classSchema = z.object({
  name: z.string({ message: 'classes.name_required' }).trim().min(1, 'classes.name_required').max(60, 'classes.name_too_long'),
  level: z.string().trim().max(30).optional(),
  schoolYear: z
    .string({ message: 'classes.school_year_invalid' })
    .trim()
    .regex(/^\d{4}-\d{4}$/, 'classes.school_year_invalid'),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await loadClass(ctx, orgId, params.classId!)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  const scope = { orgId, classId: klass.id }
  const msg = (key: MessageKey, vars?: Record<string, string | number>) => successReply(translate(ctx.lang, key, vars))
  try {
    switch (intent) {
      case 'update': {
        await authorize(ctx, 'update', 'Class', klass)
        const parsed = parseForm(form, classSchema, ctx.lang)
        if (!parsed.ok) return { ...parsed.reply, intent }
        await updateClass(ctx.db, { ...scope, ...parsed.value, by })
        return msg('classes.updated')
      }
      case 'delete': {
        await authorize(ctx, 'delete', 'Class', klass)
        if (form.get('confirm') !== 'on') return { status: 'error', fieldErrors: { confirm: translate(ctx.lang, 'classes.delete_confirm_required') }, intent } satisfies FormReply & { intent: string }
        await ctx.db.transaction((tx) => deleteClass(tx, { ...scope, by }))
        return redirect(`/org/${orgId}/classes?deleted=1`)
      }
      case 'assign-teacher': {
        await authorize(ctx, 'transfer', 'Class', klass)
        const userId = uuid.safeParse(form.get('userId'))
        const role = z.enum(['lead', 'co']).safeParse(form.get('role'))
        if (!userId.success || !role.success) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.teacher_unknown') } satisfies FormReply
        await ctx.db.transaction((tx) => assignTeacher(tx, { ...scope, userId: userId.data, role: role.data, by }))
        return msg(role.data === 'lead' ? 'classes.teacher_lead_set' : 'classes.teacher_added')
      }
      case 'remove-teacher': {
        await authorize(ctx, 'transfer', 'Class', klass)
        const userId = uuid.safeParse(form.get('userId'))
        if (!userId.success) throw new NotFound('teacher')
        const current = await classTeachersOf(ctx.db, scope)
        if (current.find((x) => x.userId === userId.data)?.role === 'lead') throw new Conflict('classes.remove_lead_first')
        await removeTeacher(ctx.db, { ...scope, userId: userId.data, by })
        return msg('classes.teacher_removed')
      }
      case 'group-create': {
        await authorize(ctx, 'create', 'Group', scope)
        await createGroup(ctx.db, { ...scope, name: String(form.get('name') ?? ''), by })
        return msg('classes.group_created')
      }
      case 'group-rename': {
        const groupId = String(form.get('groupId') ?? '')
        await authorize(ctx, 'update', 'Group', { ...scope, id: groupId })
        await renameGroup(ctx.db, { ...scope, groupId, name: String(form.get('name') ?? ''), by })
        return msg('classes.group_renamed')
      }
      case 'group-delete': {
        const groupId = String(form.get('groupId') ?? '')
        await authorize(ctx, 'delete', 'Group', { ...scope, id: groupId })
        await deleteGroup(ctx.db, { ...scope, groupId, by })
        return msg('classes.group_deleted')
      }
      case 'child-group': {
        const childId = String(form.get('childId') ?? '')
        await authorize(ctx, 'update', 'Child', { orgId, classIds: [klass.id], id: childId })
        const groupId = String(form.get('groupId') ?? '')
        await setChildGroup(ctx.db, { ...scope, childId, groupId: groupId || null, by })
        return msg('classes.child_group_changed')
      }
      default:
        return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies FormReply
    }
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function ClassPage() {
  const t = useT()
  const { orgId, klass, children, teachers, groups, candidates, perms, families } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply & { intent?: string }>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}`
  const editErr = (f: string) => (reply?.intent === 'update' ? reply.fieldErrors[f] : undefined)
  return (
    <div className="container">
      <p>
        <Link to={`${base}/classes`}>← {t('classes.back_to_list')}</Link>
      </p>
      <h1>{klass.name}</h1>
      <p className="muted">
        {[klass.level, klass.schoolYear].filter(Boolean).join(' · ')} · {t('classes.login_code')} <strong style={{ letterSpacing: '.1em' }}>{klass.loginCode}</strong>
      </p>
      {/* learning (issue 5) */}
      <p>
        <Link className="button secondary" to={`${base}/classes/${klass.id}/learning`}>
          {t('learning.grid.open')}
        </Link>
      </p>
      {params.get('created') && <Notice kind="success">{t('classes.created')}</Notice>}
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      <section aria-labelledby="children-title">
        <div className="actions" style={{ justifyContent: 'space-between' }}>
          <h2 id="children-title">{t('classes.children_title', { count: children.length })}</h2>
          {perms.cards && children.length > 0 && (
            // POST, never a link: printing re-issues the cards, and a prefetch must not do that.
            <div className="actions">
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
            </div>
          )}
        </div>
        {children.length === 0 ? (
          <p>{t('classes.no_children')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('classes.first_name')}</th>
                  <th scope="col">{t('classes.last_name')}</th>
                  <th scope="col">{t('classes.group')}</th>
                  <th scope="col">{t('classes.card_status')}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`${base}/children/${c.id}`}>{c.firstName}</Link>
                    </td>
                    <td>{c.lastName}</td>
                    <td>
                      {perms.moveChildren && groups.length > 0 ? (
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
                      )}
                    </td>
                    <td>
                      {c.cardIssuedAt ? (
                        <span className="badge ok">{t('classes.card_issued', { date: formatDate(t.lang, c.cardIssuedAt) })}</span>
                      ) : (
                        <span className="badge warn">{t('classes.card_none')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {/* ── Families (issue 4): linking status, "not my child" alerts, children whose login is blocked ── */}
      <section className="card" aria-labelledby="families-title">
        <h2 id="families-title">{t('families.staff.section')}</h2>
        <p>
          {t('families.staff.linked_summary', { linked: families.linked, children: families.children })}
          {families.alerts > 0 && (
            <>
              {' · '}
              <span className="badge bad">{t('families.alerts.badge', { count: families.alerts })}</span>
            </>
          )}
        </p>
        {families.blocked.length > 0 && (
          <ul>
            {families.blocked.map((b) => (
              <li key={b.id}>
                <Link to={`${base}/children/${b.id}`}>
                  {b.firstName} {b.lastName}
                </Link>{' '}
                <span className="badge bad">{t(`families.block.${b.block}`)}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <Link className="button secondary" to={`${base}/classes/${klass.id}/guardians`}>
            {t('families.school.nav')}
          </Link>
          <Link className="button secondary" to={`${base}/classes/${klass.id}/authorisations`}>
            {t('families.auth.open')}
          </Link>
        </div>
      </section>
      {/* ── end families ── */}

      <div className="grid-cards" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))' }}>
        <section className="card" aria-labelledby="teachers-title">
          <h2 id="teachers-title">{t('classes.teachers')}</h2>
          {teachers.length === 0 ? (
            <p>
              <span className="badge warn">{t('classes.no_teacher')}</span>
            </p>
          ) : (
            <ul style={{ paddingLeft: '1.1rem' }}>
              {teachers.map((x) => (
                <li key={x.userId} style={{ marginBottom: '.4rem' }}>
                  {x.name} <span className="badge">{t(`classes.teacher_role_${x.role}`)}</span>
                  {x.me && <span className="muted"> ({t('classes.you')})</span>}
                  {perms.transfer && x.role === 'co' && (
                    <span className="actions" style={{ marginTop: '.3rem' }}>
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
          {perms.transfer && candidates.length > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="assign-teacher" />
              <div className="field">
                <label htmlFor="f-teacher">{t('classes.add_teacher')}</label>
                <select id="f-teacher" name="userId" required>
                  {candidates.map((s) => (
                    <option key={s.userId} value={s.userId}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset className="field" style={{ border: 0, padding: 0 }}>
                <legend>{t('classes.teacher_role')}</legend>
                <label className="checkbox" style={{ marginBottom: '.2rem' }}>
                  <input type="radio" name="role" value="co" defaultChecked /> {t('classes.teacher_role_co')}
                </label>
                <label className="checkbox">
                  <input type="radio" name="role" value="lead" /> {t('classes.teacher_role_lead_transfer')}
                </label>
              </fieldset>
              <button type="submit" disabled={busy}>
                {t('classes.add_teacher_submit')}
              </button>
            </Form>
          )}
        </section>

        <section className="card" aria-labelledby="groups-title">
          <h2 id="groups-title">{t('classes.groups')}</h2>
          {groups.length === 0 && <p>{t('classes.no_groups')}</p>}
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {groups.map((g) => (
              <li key={g.id} style={{ marginBottom: '.6rem' }}>
                {perms.groups ? (
                  <Form method="post" className="actions">
                    <input type="hidden" name="groupId" value={g.id} />
                    <input type="text" name="name" defaultValue={g.name} aria-label={t('classes.group_name_of', { name: g.name })} required style={{ flex: '1 1 8rem' }} />
                    <span className="muted">{t('classes.children_count', { count: g.childCount })}</span>
                    <button type="submit" name="intent" value="group-rename" className="secondary" disabled={busy}>
                      {t('classes.group_rename')}
                    </button>
                    <button type="submit" name="intent" value="group-delete" className="secondary" disabled={busy} formNoValidate>
                      {t('classes.group_delete')}
                    </button>
                  </Form>
                ) : (
                  <>
                    {g.name} <span className="muted">({t('classes.children_count', { count: g.childCount })})</span>
                  </>
                )}
              </li>
            ))}
          </ul>
          {perms.groups && (
            <Form method="post">
              <input type="hidden" name="intent" value="group-create" />
              <Field name="name" label={t('classes.group_new')} hint={t('classes.group_new_hint')} required />
              <button type="submit" disabled={busy}>
                {t('classes.group_create')}
              </button>
            </Form>
          )}
        </section>
      </div>

      {perms.update && (
        <section className="card" aria-labelledby="edit-title">
          <h2 id="edit-title">{t('classes.edit_title')}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update" />
            <Field name="name" label={t('classes.name')} defaultValue={klass.name} error={editErr('name')} required />
            <Field name="level" label={t('classes.level')} defaultValue={klass.level ?? ''} error={editErr('level')} />
            <Field name="schoolYear" label={t('classes.school_year')} hint={t('classes.school_year_hint')} defaultValue={klass.schoolYear} error={editErr('schoolYear')} required />
            <button type="submit" disabled={busy}>
              {t('common.save')}
            </button>
          </Form>
        </section>
      )}

      {perms.delete && (
        <section className="card" aria-labelledby="delete-title">
          <h2 id="delete-title">{t('classes.delete_title')}</h2>
          <p>{t('classes.delete_body', { count: children.length })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <div className={`checkbox${reply?.intent === 'delete' && reply.fieldErrors.confirm ? ' has-error' : ''}`}>
              <input id="f-confirm" type="checkbox" name="confirm" aria-describedby={reply?.intent === 'delete' && reply.fieldErrors.confirm ? 'f-confirm-error' : undefined} />
              <label htmlFor="f-confirm">{t('classes.delete_confirm', { name: klass.name })}</label>
            </div>
            {reply?.intent === 'delete' && reply.fieldErrors.confirm && (
              <p className="error" id="f-confirm-error" role="alert">
                {reply.fieldErrors.confirm}
              </p>
            )}
            <button type="submit" className="danger" disabled={busy}>
              {t('classes.delete_submit')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}
