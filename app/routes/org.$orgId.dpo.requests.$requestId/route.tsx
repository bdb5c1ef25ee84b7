import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { markDsrNotificationsRead } from '~/privacy/rights-requests/forwarding.server'
import {
  addNote,
  closeRequest,
  extendDeadline,
  liftRestrictionFor,
  markErasurePending,
  recordInstruction,
  recordObjection,
  rectify,
  restrict,
  setSubject,
  verifyIdentity,
} from '~/privacy/rights-requests/handling.server'
import { releasePackage } from '~/privacy/rights-requests/package-links.server'
import { executeDirective, recordDirective, verifyAppointedPerson } from '~/privacy/rights-requests/post-mortem.server'
import { getRequest } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, Notice, PageHeader } from '~/ui/kit'
import { Dates, History, Requester } from './facts'
import { ActSection, CloseSection, ExtendSection, IdentitySection, InstructionSection, SubjectSection } from './forms'
import { schema } from './intents'
import { PostMortemSection } from './post-mortem'
import { requestView } from './view.server'
import { pageTitle } from '~/ui/meta'

// One rights request, for the school's DPO and admins: its dates, who asks, the checks and the
// steps (identity, subject, the right's own action, extension, closing), and its history.
export const meta = pageTitle('title.dsr')
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA', requestId: 'token' }, note: '404 for an unknown request' } satisfies RouteAccess }

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'RightsRequest', { orgId })
  const requestId = params.requestId ?? ''
  if (!isUuid(requestId)) throw new Response('Not found', { status: 404 })
  try {
    return { ctx, orgId, r: await getRequest(ctx.db, orgId, requestId) }
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, r } = await load(request, params)
  await markDsrNotificationsRead(ctx.db, ctx.user.id, r.id)
  return requestView(ctx.db, ctx.lang, orgId, r)
}

/** The field a refusal of the handling functions is about. */
const FIELD_OF: Record<string, string> = {
  'dsr.identity.method_required': 'method',
  'dsr.subject.not_member': 'subjectId',
  'dsr.extend.reason_required': 'reason',
  'dsr.form.birth_date_invalid': 'birthDate',
  'dsr.objection.processing_required': 'processing',
  'dsr.instruction.reference_required': 'reference',
  'dsr.note.required': 'note',
  'dsr.close.outcome_required': 'outcome',
  'dsr.post_mortem.directive_required': 'directive',
  'dsr.post_mortem.name_required': 'appointedName',
  'dsr.post_mortem.contact_required': 'appointedContact',
  'dsr.post_mortem.date_invalid': 'verifiedOn',
  'dsr.post_mortem.disclosure_note_required': 'note',
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, r } = await load(request, params)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const a = { orgId, requestId: r.id, actorId: ctx.user.id, origin: ctx.origin }
  try {
    switch (v.intent) {
      case 'identity':
        await verifyIdentity(ctx.db, { ...a, method: v.method, note: v.note })
        break
      case 'subject':
        await setSubject(ctx.db, { ...a, subjectId: v.subjectId })
        break
      case 'extend':
        await extendDeadline(ctx.db, { ...a, months: v.months, reason: v.reason })
        break
      case 'rectify':
        await rectify(ctx.db, { ...a, changes: { firstName: v.firstName ?? '', lastName: v.lastName ?? '', birthDate: v.birthDate ?? '' } })
        break
      case 'restrict':
        await restrict(ctx.db, { ...a, reason: v.reason })
        break
      case 'lift':
        await liftRestrictionFor(ctx.db, a)
        break
      case 'objection':
        await recordObjection(ctx.db, { ...a, processing: v.processing, note: v.note })
        break
      case 'erasure':
        await markErasurePending(ctx.db, a)
        break
      case 'release':
        await releasePackage(ctx.db, a)
        break
      case 'instruction':
        await recordInstruction(ctx.db, { ...a, reference: v.reference })
        break
      case 'note':
        await addNote(ctx.db, { ...a, note: v.note })
        break
      case 'close':
        await closeRequest(ctx.db, { ...a, outcome: v.outcome, note: v.note })
        break
      case 'directive':
        await recordDirective(ctx.db, { ...a, directive: v.directive, instructions: v.instructions, appointedName: v.appointedName, appointedContact: v.appointedContact })
        break
      case 'appointee':
        await verifyAppointedPerson(ctx.db, { ...a, method: v.method, verifiedOn: v.verifiedOn, note: v.note })
        break
      case 'execute':
        await executeDirective(ctx.db, { ...a, note: v.note, release: v.release })
        break
    }
  } catch (e) {
    return form.error(e, e instanceof DomainError ? FIELD_OF[e.code] : undefined)
  }
  return form.success(translate(ctx.lang, `dsr.done.${v.intent}`))
}

export default function RequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { r } = data
  const open = r.status !== 'closed'
  const due = formatDate(t.lang, r.extendedDueAt ?? r.dueAt, false)
  return (
    <div className="container">
      <p>
        <Link to={`/org/${data.orgId}/dpo/requests`}>← {t('dsr.list.title')}</Link>
      </p>
      <PageHeader title={`${t(`dsr.kind_long.${r.kind}`)} — ${r.reference}`} />
      <FormNotice />
      {r.urgency === 'overdue' && <Notice kind="error">{t('dsr.detail.overdue', { date: due })}</Notice>}
      {r.urgency === 'nearly_due' && <Notice>{t('dsr.detail.nearly_due', { date: due })}</Notice>}
      <Dates data={data} />
      <Requester data={data} />
      <IdentitySection data={data} />
      <SubjectSection data={data} />
      {r.kind === 'post_mortem' && <PostMortemSection data={data} />}
      {open && <ActSection data={data} />}
      {open && <ExtendSection data={data} />}
      {open && <CloseSection data={data} />}
      <InstructionSection data={data} />
      <History data={data} />
    </div>
  )
}
