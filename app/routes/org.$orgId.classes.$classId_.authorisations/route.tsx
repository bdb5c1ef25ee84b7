import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { now } from '~/clock.server'
import { DomainError, NotFound } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { getClass } from '~/models/classes/classes.server'
import { classAuthorisations, informedRecords, recordAuthorisation, recordGuardiansInformed } from '~/models/families/authorisations.server'
import { AUTHORISATION_ERROR_FIELDS } from '~/models/families/authorisations.schema'
import { linksOfChildren } from '~/models/families/links.server'
import { CURRENT_NOTICE, NOTICES } from '~/models/families/notices'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, PageHeader, Section, type FormResult } from '~/ui/kit'
import { DecisionCard } from './decision'
import { InformedSection } from './informed'
import { schema } from './intents'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.authorisations')
// The school's record that the class's guardians were informed, and each child's
// authorisation (obtained, refused, withdrawn). Every change is appended to the consent log;
// nothing is overwritten. A refused or withdrawn authorisation blocks the child's login.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'dpo'], params: { orgId: 'orgA', classId: 'classA1' }, note: 'the DPO reads only' } satisfies RouteAccess,
}

async function load(request: Request, orgId: string, classId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  const scope = { orgId, classIds: [klass.id] }
  await authorize(ctx, 'read', 'Authorisation', scope)
  return { ctx, klass, scope }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const [children, informed] = await Promise.all([classAuthorisations(ctx.db, { orgId, classId: klass.id }), informedRecords(ctx.db, { orgId, classId: klass.id })])
  const links = await linksOfChildren(ctx.db, { orgId, childIds: children.map((c) => c.id) })
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, schoolYear: klass.schoolYear },
    today: now().toISOString().slice(0, 10),
    notices: NOTICES.map((n) => ({ id: n.id, publishedOn: n.publishedOn, text: n.text[ctx.lang] })).reverse(),
    currentNotice: CURRENT_NOTICE.id,
    informed: informed.map((i) => ({ ...i, recordedAt: i.recordedAt.toISOString() })),
    children: children.map((c) => ({
      ...c,
      at: c.at?.toISOString() ?? null,
      guardians: (links.get(c.id) ?? []).filter((l) => l.state === 'active').map((l) => ({ id: l.guardianId, name: `${l.firstName} ${l.lastName}` })),
    })),
    mayRecord: can(ctx.ability, 'create', 'Authorisation', scope),
    // The class page is linked only for who may open it (the DPO reads authorisations, not classes).
    mayOpenClass: can(ctx.ability, 'read', 'Class', { orgId: klass.orgId, id: klass.id }),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const formData = await request.formData()
  // Who may record is asked of the policy before anything sent is looked at (the DPO reads only).
  const intent = formData.get('intent')
  if (intent === 'informed') await authorize(ctx, 'create', 'Authorisation', scope)
  if (intent === 'decision') await authorize(ctx, 'create', 'Authorisation', { ...scope, childId: String(formData.get('childId') ?? '') })
  const form = await readForm(formData, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    if (v.intent === 'informed') {
      await recordGuardiansInformed(ctx.db, { orgId, classId: klass.id, informedOn: v.informedOn, channel: v.channel, noticeId: v.noticeId, lang: ctx.lang, by })
      return form.success(translate(ctx.lang, 'families.auth.informed_recorded'), { keep: true })
    }
    await recordAuthorisation(ctx.db, { orgId, classId: klass.id, childId: v.childId, decision: v.decision, method: v.method, guardianId: v.guardianId ?? null, lang: ctx.lang, by })
    // The answer stays with the child's form (its values kept, so the page says whose it is).
    return form.success(translate(ctx.lang, `families.auth.recorded_${v.decision}`), { keep: true })
  } catch (e) {
    return form.error(e, e instanceof DomainError ? AUTHORISATION_ERROR_FIELDS[e.code] : undefined)
  }
}

export default function Authorisations() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const result = useActionData() as FormResult | undefined
  const base = `/org/${data.orgId}`
  const notice = data.notices.find((n) => n.id === data.currentNotice) ?? data.notices[0]
  return (
    <div className="container">
      <p>
        {data.mayOpenClass && (
          <>
            <Link to={`${base}/classes/${data.klass.id}`}>← {data.klass.name}</Link> ·{' '}
          </>
        )}
        <Link to={`${base}/classes/${data.klass.id}/guardians`}>{t('families.school.nav')}</Link>
      </p>
      <PageHeader title={t('families.auth.title', { name: data.klass.name })} />
      {/* A child's decision is answered in that child's card. */}
      {result?.for !== 'decision' && <FormNotice />}

      <InformedSection informed={data.informed} notices={data.notices} notice={notice} today={data.today} mayRecord={data.mayRecord} />

      <Section title={t('families.auth.decisions_title')} card={false}>
        <p className="hint">{t('families.auth.decisions_hint')}</p>
        {data.children.map((c) => (
          <DecisionCard key={c.id} child={c} base={base} mayRecord={data.mayRecord} />
        ))}
      </Section>
    </div>
  )
}
