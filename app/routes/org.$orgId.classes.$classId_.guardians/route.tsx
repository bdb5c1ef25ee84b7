import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DomainError, NotFound } from '~/errors.server'
import { t as translate, useT, type MessageKey } from '~/i18n'
import { inviteGuardianByEmail, resolveAlert, sendGuardianInvitation } from '~/models/families/codes.server'
import { endLink, getLink, resumeLink, suspendLink, updateLink } from '~/models/families/links.server'
import { classGuardianStatus } from '~/models/families/status.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { PageHeader } from '~/ui/kit'
import { guardiansPageSchema } from './intents'
import { Answer } from './answer'
import { AlertsSection, SummarySection } from './summary'
import { ChildCard } from './child-card'

import { guardiansPage, may, load } from './view.server'
import { pageTitle } from '~/ui/meta'
export const meta = pageTitle('title.class_guardians')
// Which guardians are linked to each child of the class, and what is pending. Teachers of the
// class see it and send invitations / print link letters; administrators also suspend, end or
// correct links, send every waiting invitation at once and close "not my child" alerts.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'dpo'], params: { orgId: 'orgA', classId: 'classA1' }, note: 'the DPO reads only' } satisfies RouteAccess,
}

export async function loader(args: LoaderFunctionArgs) {
  return guardiansPage(args)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const form = await readForm(request, guardiansPageSchema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  const isAdmin = may(ctx, 'update', scope)
  const status = await classGuardianStatus(ctx.db, { orgId, classId: klass.id })
  const inClass = new Set(status.children.map((c) => c.id))
  // The answer keeps the form's values: its childId says in which child's card it is shown.
  const done = (key: MessageKey, vars?: Record<string, string | number>) => form.success(translate(ctx.lang, key, vars), { keep: true })
  // Links and alerts acted upon must belong to a child of this class.
  const linkOfClass = async (linkId: string) => {
    const link = await getLink(ctx.db, { orgId, linkId })
    if (!inClass.has(link.childId)) throw new NotFound('guardian_link')
    await authorize(ctx, 'update', 'GuardianLink', { ...scope, id: link.id })
    return link
  }
  try {
    switch (v.intent) {
      case 'send-invitation': {
        await authorize(ctx, 'invite', 'GuardianLink', scope)
        const r = await sendGuardianInvitation(ctx.db, {
          orgId,
          invitationId: v.invitationId,
          // A teacher sends codes only for the children they teach.
          onlyChildIds: isAdmin ? undefined : [...inClass],
          by,
          lang: ctx.lang,
        })
        return done('families.invite.school_sent', { email: r.email, count: r.sent })
      }
      case 'send-all': {
        await authorize(ctx, 'update', 'GuardianLink', scope)
        const ids = [...new Set(status.children.flatMap((c) => c.invitations.filter((i) => i.state === 'not_sent' || i.state === 'expired').map((i) => i.id)))]
        let n = 0
        for (const invitationId of ids) {
          await sendGuardianInvitation(ctx.db, { orgId, invitationId, by, lang: ctx.lang }).then(
            () => n++,
            (e) => {
              if (!(e instanceof DomainError)) throw e
            },
          )
        }
        return done('families.invite.all_sent', { count: n })
      }
      case 'invite-email': {
        await authorize(ctx, 'invite', 'GuardianLink', { ...scope, childId: v.childId })
        if (!inClass.has(v.childId)) throw new NotFound('child')
        const r = await inviteGuardianByEmail(ctx.db, { orgId, childId: v.childId, email: v.email, by, lang: ctx.lang })
        return done('families.invite.school_sent', { email: r.email, count: r.sent })
      }
      case 'suspend': {
        const link = await linkOfClass(v.linkId)
        await suspendLink(ctx.db, { orgId, linkId: link.id, reason: v.reason, by })
        return done('families.link.suspended_done')
      }
      case 'resume': {
        const link = await linkOfClass(v.linkId)
        await resumeLink(ctx.db, { orgId, linkId: link.id, by })
        return done('families.link.resumed_done')
      }
      case 'end': {
        const link = await linkOfClass(v.linkId)
        await endLink(ctx.db, { orgId, linkId: link.id, by })
        return done('families.link.ended_done')
      }
      case 'update': {
        const link = await linkOfClass(v.linkId)
        await updateLink(ctx.db, {
          orgId,
          linkId: link.id,
          legalStatus: v.legalStatus,
          canSeeRecord: v.canSeeRecord,
          canReceiveMessages: v.canReceiveMessages,
          canGiveConsent: v.canGiveConsent,
          startedOn: v.startedOn || null,
          endsOn: v.endsOn || null,
          by,
        })
        return done('families.link.updated_done')
      }
      case 'resolve-alert': {
        await authorize(ctx, 'update', 'GuardianLink', scope)
        await resolveAlert(ctx.db, { orgId, alertId: v.alertId, by })
        return done('families.alerts.resolved')
      }
    }
  } catch (e) {
    return form.error(e)
  }
}

export default function ClassGuardians() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const base = `/org/${data.orgId}`
  return (
    <div className="container">
      {data.perms.classPage && (
        <p>
          <Link to={`${base}/classes/${data.klass.id}`}>← {data.klass.name}</Link>
        </p>
      )}
      <PageHeader title={t('families.school.title', { name: data.klass.name })} />
      <Answer about={null} />
      <AlertsSection />
      <SummarySection />
      {data.children.length === 0 && <p className="empty">{t('classes.no_children')}</p>}
      {data.children.map((c) => (
        <ChildCard key={c.id} child={c} />
      ))}
    </div>
  )
}
