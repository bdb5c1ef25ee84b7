import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { assignTeacher, classTeachersOf, deleteClass, getClass, removeTeacher, updateClass } from '~/models/classes/classes.server'
import { createGroup, deleteGroup, renameGroup, setChildGroup } from '~/models/classes/groups.server'
import { Conflict } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, Notice, PageHeader } from '~/ui/kit'
import { classPageSchema } from './intents'
import { ChildrenSection } from './children'
import { FamiliesSection } from './families'
import { TeachersSection } from './teachers'
import { GroupsSection } from './groups'
import { DeleteClassSection, EditClassSection } from './settings'

import { classPage, loadClass } from './view.server'
import { pageTitleFrom } from '~/ui/meta'
export const meta = pageTitleFrom<typeof loader>((d, tr) => tr('title.class', { name: d.klass.name }), 'title.class_plain')
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

export async function loader(args: LoaderFunctionArgs) {
  return classPage(args)
}

/** The right each form needs, asked before what was typed is read (a denial is a 403, audited). */
async function authorizeIntent(ctx: UserCtx, klass: Awaited<ReturnType<typeof getClass>>, form: FormData) {
  const scope = { orgId: klass.orgId, classId: klass.id }
  const ref = (name: string) => String(form.get(name) ?? '')
  switch (form.get('intent')) {
    case 'update':
      return authorize(ctx, 'update', 'Class', klass)
    case 'delete':
      return authorize(ctx, 'delete', 'Class', klass)
    case 'assign-teacher':
    case 'remove-teacher':
      return authorize(ctx, 'transfer', 'Class', klass)
    case 'group-create':
      return authorize(ctx, 'create', 'Group', scope)
    case 'group-rename':
      return authorize(ctx, 'update', 'Group', { ...scope, id: ref('groupId') })
    case 'group-delete':
      return authorize(ctx, 'delete', 'Group', { ...scope, id: ref('groupId') })
    case 'child-group':
      return authorize(ctx, 'update', 'Child', { orgId: klass.orgId, classIds: [klass.id], id: ref('childId') })
  }
  // Any other intent is refused by the form helper, for the whole form.
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await loadClass(ctx, orgId, params.classId!)
  const formData = await request.formData()
  await authorizeIntent(ctx, klass, formData)
  const form = await readForm(formData, classPageSchema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  const scope = { orgId, classId: klass.id }
  const done = (key: Parameters<typeof translate>[1], options?: { keep?: boolean }) => form.success(translate(ctx.lang, key), options)
  try {
    switch (v.intent) {
      case 'update':
        await updateClass(ctx.db, { ...scope, name: v.name, level: v.level, schoolYear: v.schoolYear, by })
        // The form keeps what was typed: it is now the class's name.
        return done('classes.updated', { keep: true })
      case 'delete':
        await ctx.db.transaction((tx) => deleteClass(tx, { ...scope, by }))
        return redirect(`/org/${orgId}/classes?deleted=1`)
      case 'assign-teacher':
        await ctx.db.transaction((tx) => assignTeacher(tx, { ...scope, userId: v.userId, role: v.role, by }))
        return done(v.role === 'lead' ? 'classes.teacher_lead_set' : 'classes.teacher_added')
      case 'remove-teacher': {
        const current = await classTeachersOf(ctx.db, scope)
        if (current.find((x) => x.userId === v.userId)?.role === 'lead') throw new Conflict('classes.remove_lead_first')
        await removeTeacher(ctx.db, { ...scope, userId: v.userId, by })
        return done('classes.teacher_removed')
      }
      case 'group-create':
        await createGroup(ctx.db, { ...scope, name: v.name, by })
        return done('classes.group_created')
      case 'group-rename':
        await renameGroup(ctx.db, { ...scope, groupId: v.groupId, name: v.name, by })
        return done('classes.group_renamed')
      case 'group-delete':
        await deleteGroup(ctx.db, { ...scope, groupId: v.groupId, by })
        return done('classes.group_deleted')
      case 'child-group':
        await setChildGroup(ctx.db, { ...scope, childId: v.childId, groupId: v.groupId ?? null, by })
        return done('classes.child_group_changed')
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    // A name already taken is said on the name the person typed (new group, class settings).
    const onName = (v.intent === 'group-create' && code === 'classes.group_name_taken') || (v.intent === 'update' && code === 'classes.name_taken')
    return form.error(e, onName ? 'name' : v.intent === 'update' && code.startsWith('classes.school_year') ? 'schoolYear' : undefined)
  }
}

export default function ClassPage() {
  const t = useT()
  const { orgId, klass, perms, children } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const base = `/org/${orgId}`
  return (
    <div className="container">
      <p>
        <Link to={`${base}/classes`}>← {t('classes.back_to_list')}</Link>
      </p>
      <PageHeader
        title={klass.name}
        subtitle={
          <>
            {[klass.level, klass.schoolYear].filter(Boolean).join(' · ')} · {t('classes.login_code')} <strong className="login-code">{klass.loginCode}</strong>
          </>
        }
      />
      {/* learning (issue 5) */}
      <p>
        <Link className="button secondary" to={`${base}/classes/${klass.id}/learning`}>
          {t('learning.grid.open')}
        </Link>
      </p>
      {params.get('created') && <Notice kind="success">{t('classes.created')}</Notice>}
      <FormNotice />

      <ChildrenSection />
      <FamiliesSection />

      <div className="grid-cards class-panels">
        <TeachersSection />
        <GroupsSection />
      </div>

      {perms.update && <EditClassSection klass={klass} />}
      {perms.delete && <DeleteClassSection klass={klass} childCount={children.length} />}
    </div>
  )
}
