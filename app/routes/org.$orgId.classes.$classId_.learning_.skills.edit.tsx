import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { createSkill, setSkillArchived, updateSkill } from '~/models/learning/skills.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// Editing the school's skills (add, rename, archive, restore): its administrators only.
// Action-only; answers by redirecting to the skills page with the outcome.
export const handle = {
  access: { allow: ['admin'], params: { orgId: 'orgA', classId: 'classA1' }, note: 'action only (POST), redirects to learning/skills' } satisfies RouteAccess,
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'read')
  await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = actorOf(ctx)
  const back = `/org/${orgId}/classes/${klass.id}/learning/skills`
  const fields = () => ({ code: String(form.get('code') ?? ''), label: String(form.get('label') ?? ''), domain: String(form.get('domain') ?? ''), cycle: Number(form.get('cycle')) })
  try {
    switch (intent) {
      case 'create':
        await createSkill(ctx.db, { orgId, ...fields(), by })
        return redirect(`${back}?done=created`)
      case 'update':
        await updateSkill(ctx.db, { orgId, skillId: String(form.get('skillId') ?? ''), ...fields(), by })
        return redirect(`${back}?done=updated`)
      case 'archive':
      case 'restore':
        await setSkillArchived(ctx.db, { orgId, skillId: String(form.get('skillId') ?? ''), archived: intent === 'archive', by })
        return redirect(`${back}?done=${intent === 'archive' ? 'archived' : 'restored'}`)
      default:
        return redirect(`${back}?error=learning.unknown_action`)
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    const q = new URLSearchParams({ error: e.code, code: String(e.vars.code ?? '') })
    return redirect(`${back}?${q}`)
  }
}
