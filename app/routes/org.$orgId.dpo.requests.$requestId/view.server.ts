// What the request page shows, from the request as getRequest reads it: dates as ISO strings,
// the subject when named (else the members the DPO may pick), the history. The page's parts
// take its type from here, so they never import the route module.
import type { DbOrTx } from '~/db.server'
import { t as translate, type Lang } from '~/i18n'
import { config } from '~/config.server'
import { erasureOfSubject, graceHours } from '~/privacy/erasure/requests.server'
import { packageLinkView } from '~/privacy/rights-requests/package-links.server'
import { postMortemDirective } from '~/privacy/rights-requests/post-mortem.server'
import { parisDate } from '~/compliance/calendar.server'
import { now } from '~/clock.server'
import { requestEvents, subjectCandidates, subjectSummary, type getRequest } from '~/privacy/rights-requests/queries.server'

export type RequestView = Awaited<ReturnType<typeof requestView>>

export async function requestView(db: DbOrTx, lang: Lang, orgId: string, r: Awaited<ReturnType<typeof getRequest>>) {
  const subject = r.subjectId ? await subjectSummary(db, orgId, r.subjectId) : null
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    orgId,
    /** The organization's cancel window for an erasure (hours; 0: none), said before the DPO engages one. */
    graceHours: r.kind === 'erasure' || r.kind === 'post_mortem' ? await graceHours(db, orgId) : 0,
    postMortem: r.kind === 'post_mortem' ? postMortemView(await postMortemDirective(db, { orgId, requestId: r.id })) : null,
    r: {
      id: r.id,
      reference: r.reference,
      kind: r.kind,
      channel: r.channel,
      status: r.status,
      urgency: r.urgency,
      requesterName: r.requesterName,
      requesterEmail: r.requesterEmail,
      relation: r.requesterRelation,
      subjectName: r.subjectName,
      subjectBirthDate: r.subjectBirthDate,
      message: r.message,
      receivedAt: iso(r.receivedAt),
      forwardDueAt: iso(r.forwardDueAt),
      forwardedAt: iso(r.forwardedAt),
      forwardingLate: r.forwardingLate,
      dueAt: iso(r.dueAt),
      extendedDueAt: iso(r.extendedDueAt),
      extensionReason: r.extensionReason,
      identityVerifiedAt: iso(r.identityVerifiedAt),
      identityMethod: r.identityMethod,
      instructionRef: r.writtenInstructionRef,
      erasurePendingAt: iso(r.erasurePendingAt),
      outcome: r.outcome,
      outcomeNote: r.outcomeNote,
      closedAt: iso(r.closedAt),
    },
    /** The subject was erased while the request stayed open (or closed by it): the tombstone is what remains. */
    erased: r.subjectErasureId ? await erasureOfSubject(db, r.subjectErasureId) : null,
    subject: subject
      ? {
          id: subject.id,
          name: `${subject.firstName} ${subject.lastName}`,
          firstName: subject.firstName,
          lastName: subject.lastName,
          birthDate: subject.birthDate,
          kind: subject.kind,
          classes: subject.classes.map((c) => c.name),
          restrictedAt: iso(subject.restriction?.restrictedAt ?? null),
        }
      : null,
    candidates: subject
      ? []
      : (await subjectCandidates(db, orgId)).map((c) => ({ id: c.id, label: `${c.lastName} ${c.firstName}${c.birthDate ? ` (${c.birthDate})` : ''} — ${translate(lang, `role.${c.role}`)}` })),
    packageLink: await packageLinkView(db, { orgId, requestId: r.id }),
    release: { days: config.packageLinkDays, downloads: config.packageLinkDownloads },
    events: (await requestEvents(db, r.id)).map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, actor: e.actorName, note: e.note })),
  }
}

function postMortemView(d: Awaited<ReturnType<typeof postMortemDirective>>) {
  const today = parisDate(now())
  if (!d) return { today, recorded: null, verified: null, executed: null }
  return {
    today,
    recorded: { directive: d.directive, instructions: d.instructions, appointedName: d.appointedName, appointedContact: d.appointedContact, at: d.recordedAt.toISOString(), by: d.recordedByName },
    verified: d.verifiedAt ? { at: d.verifiedAt.toISOString(), on: d.verifiedOn, method: d.verificationMethod, note: d.verificationNote, by: d.verifiedByName } : null,
    executed: d.executedAt ? { at: d.executedAt.toISOString(), note: d.executionNote, by: d.executedByName } : null,
  }
}
