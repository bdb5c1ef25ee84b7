// The compliance certificate a school hands to the platform or an inspector (Terms of Use
// §III.3: "a certificate confirming compliance … without transmitting excessive personal
// data"; DESIGN §3.6). Computed from the consent log only — the families issue appends
// 'guardians_informed' and 'authorisation_obtained|refused|withdrawn' (subjectId = child,
// details.classId) — up to a signed checkpoint, which the certificate names. Counts and dates
// only: no name, no id of a child or a guardian.
import { and, asc, eq, inArray, lte } from 'drizzle-orm'
import { classes, consentRecords, enrolments, memberships, organizations } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, NotFound } from '../../errors.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { formatDate, t, tOr, type Lang } from '../../i18n'
import { checkpointPublicKey, ED25519, writeCheckpoint, type Checkpoint } from '../../compliance/checkpoints.server'
import { groupedFingerprint } from '../../compliance/signing-key.server'

/** The classes a certificate may be narrowed to (the page's picker). */
export async function certificateClasses(db: DbOrTx, { orgId }: { orgId: string }) {
  return db.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.orgId, orgId)).orderBy(asc(classes.name))
}

export type CertificateScope = { kind: 'school' } | { kind: 'class'; classId: string }
export type DecisionState = 'obtained' | 'refused' | 'withdrawn'
const DECISIONS = { authorisation_obtained: 'obtained', authorisation_refused: 'refused', authorisation_withdrawn: 'withdrawn' } as const

export type Certificate = {
  orgName: string
  scope: { kind: 'school' } | { kind: 'class'; classId: string; className: string; schoolYear: string }
  children: number
  informed: { at: Date; channel: string; noticeVersion: string | null; purpose: string | null; forClass: boolean }[]
  decisions: Record<DecisionState, { count: number; first: Date | null; last: Date | null }>
  pending: number
  checkpoint: Checkpoint | null
  generatedAt: Date
}

export async function computeCertificate(db: DbOrTx, a: { orgId: string; scope: CertificateScope }): Promise<Certificate> {
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, a.orgId))
  if (!org) throw new NotFound('organization')
  let scope: Certificate['scope'] = { kind: 'school' }
  if (a.scope.kind === 'class') {
    const [cls] = await db
      .select()
      .from(classes)
      .where(and(eq(classes.id, a.scope.classId), eq(classes.orgId, a.orgId)))
    if (!cls) throw new NotFound('class')
    scope = { kind: 'class', classId: cls.id, className: cls.name, schoolYear: cls.schoolYear }
  }

  // The basis: a checkpoint of the chain head, signed now if the head moved (refused if broken).
  const signed = await writeCheckpoint(db, a.orgId)
  if (!signed.written && signed.reason === 'chain_broken') throw new Conflict('dpo.cert.chain_broken', { seq: signed.report.brokenAt })
  const checkpoint = signed.checkpoint
  const upTo = checkpoint?.seq ?? 0

  const childIds =
    scope.kind === 'class'
      ? (
          await db
            .select({ id: enrolments.childId })
            .from(enrolments)
            .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, scope.classId)))
        ).map((r) => r.id)
      : (
          await db
            .select({ id: memberships.userId })
            .from(memberships)
            .where(and(eq(memberships.orgId, a.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
        ).map((r) => r.id)

  const inScopeClass = (details: unknown) => {
    const classId = (details as { classId?: unknown } | null)?.classId
    return scope.kind === 'school' || classId === undefined || classId === null || classId === scope.classId
  }

  const informedRows = await db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, a.orgId), eq(consentRecords.event, 'guardians_informed'), lte(consentRecords.seq, upTo)))
    .orderBy(asc(consentRecords.seq))
  const informed = informedRows
    .filter((r) => inScopeClass(r.details))
    .map((r) => ({
      at: r.at,
      channel: r.method,
      noticeVersion: r.documentVersion,
      purpose: r.purpose,
      forClass: !!(r.details as { classId?: unknown } | null)?.classId,
    }))

  const decisionRows = childIds.length
    ? await db
        .select({ seq: consentRecords.seq, at: consentRecords.at, event: consentRecords.event, subjectId: consentRecords.subjectId, details: consentRecords.details })
        .from(consentRecords)
        .where(
          and(
            eq(consentRecords.orgId, a.orgId),
            inArray(consentRecords.event, Object.keys(DECISIONS) as (keyof typeof DECISIONS)[]),
            inArray(consentRecords.subjectId, childIds),
            lte(consentRecords.seq, upTo),
          ),
        )
        .orderBy(asc(consentRecords.seq))
    : []
  // Each child counts once, in the state of their latest decision.
  const latest = new Map<string, { state: DecisionState; at: Date }>()
  for (const r of decisionRows) if (inScopeClass(r.details)) latest.set(r.subjectId!, { state: DECISIONS[r.event as keyof typeof DECISIONS], at: r.at })
  const decisions: Certificate['decisions'] = {
    obtained: { count: 0, first: null, last: null },
    refused: { count: 0, first: null, last: null },
    withdrawn: { count: 0, first: null, last: null },
  }
  for (const { state, at } of latest.values()) {
    const d = decisions[state]
    d.count++
    if (!d.first || at < d.first) d.first = at
    if (!d.last || at > d.last) d.last = at
  }
  return { orgName: org.name, scope, children: childIds.length, informed, decisions, pending: childIds.length - latest.size, checkpoint, generatedAt: now() }
}

/** A recorded channel in words; a channel without a label is shown as recorded. */
const methodLabel = (lang: Lang, v: string) => tOr(lang, `dpo.method.${v}`, v)

export async function certificatePdf(cert: Certificate, lang: Lang) {
  const scopeText = cert.scope.kind === 'class' ? t(lang, 'dpo.cert.scope_class', { name: cert.scope.className, year: cert.scope.schoolYear }) : t(lang, 'dpo.cert.scope_school')
  const title = t(lang, 'dpo.cert.title')
  const report = await PdfReport.create({ title, subtitle: `${cert.orgName} · ${scopeText}`, lang, now: cert.generatedAt })
  report.heading(title)
  report.paragraph(t(lang, 'dpo.cert.statement', { org: cert.orgName, scope: scopeText, date: formatDate(lang, cert.generatedAt, true) }))
  report.keyValue([
    [t(lang, 'dpo.cert.org'), cert.orgName],
    [t(lang, 'dpo.cert.scope'), scopeText],
    [t(lang, 'dpo.cert.children'), String(cert.children)],
    [t(lang, 'dpo.cert.generated_at'), formatDate(lang, cert.generatedAt, true)],
  ])
  report.heading(t(lang, 'dpo.cert.informed_title'), 2)
  if (!cert.informed.length) report.paragraph(t(lang, 'dpo.cert.informed_none'))
  else
    report.table({
      columns: [
        { label: t(lang, 'dpo.cert.col_date'), width: 22 },
        { label: t(lang, 'dpo.cert.col_channel'), width: 22 },
        { label: t(lang, 'dpo.cert.col_notice'), width: 22 },
        { label: t(lang, 'dpo.cert.col_extent'), width: 20 },
      ],
      rows: cert.informed.map((i) => [
        formatDate(lang, i.at, true),
        methodLabel(lang, i.channel),
        i.noticeVersion ?? '—',
        i.forClass ? t(lang, 'dpo.cert.extent_class') : t(lang, 'dpo.cert.extent_school'),
      ]),
    })
  report.heading(t(lang, 'dpo.cert.decisions_title'), 2)
  const d = cert.decisions
  report.table({
    columns: [
      { label: t(lang, 'dpo.cert.col_state'), width: 30 },
      { label: t(lang, 'dpo.cert.col_count'), width: 12, align: 'right' },
      { label: t(lang, 'dpo.cert.col_first'), width: 22 },
      { label: t(lang, 'dpo.cert.col_last'), width: 22 },
    ],
    rows: [
      ...(['obtained', 'refused', 'withdrawn'] as const).map((s) => [t(lang, `dpo.cert.state_${s}`), String(d[s].count), formatDate(lang, d[s].first), formatDate(lang, d[s].last)]),
      [t(lang, 'dpo.cert.state_pending'), String(cert.pending), '—', '—'],
    ],
  })
  report.heading(t(lang, 'dpo.cert.basis_title'), 2)
  if (cert.checkpoint) {
    report.paragraph(t(lang, 'dpo.cert.basis', { seq: cert.checkpoint.seq, date: formatDate(lang, cert.checkpoint.signedAt, true) }))
    report.keyValue([
      [t(lang, 'dpo.cert.basis_seq'), String(cert.checkpoint.seq)],
      [t(lang, 'dpo.cert.basis_signed'), formatDate(lang, cert.checkpoint.signedAt, true) + ` (${cert.checkpoint.signedAt.toISOString()})`],
      [t(lang, 'dpo.cert.basis_head'), cert.checkpoint.headHash],
      ...(cert.checkpoint.algorithm === ED25519
        ? ([[t(lang, 'dpo.cert.basis_signature'), cert.checkpoint.signature ?? '']] as [string, string][])
        : ([[t(lang, 'dpo.cert.basis_legacy_hmac'), cert.checkpoint.hmac ?? '']] as [string, string][])),
    ])
  } else report.paragraph(t(lang, 'dpo.cert.basis_empty'))
  // The public key: with it, anyone checks a checkpoint file with openssl, without Carnet (ADR 015).
  const key = checkpointPublicKey()
  report.heading(t(lang, 'dpo.key.title'), 2)
  report.paragraph(t(lang, 'dpo.key.cert_hint'))
  report.keyValue([
    [t(lang, 'dpo.key.algorithm'), key.algorithm],
    [t(lang, 'dpo.key.fingerprint'), groupedFingerprint(key.fingerprint)],
  ])
  report.paragraph(key.publicKeyPem.trim(), { size: 8 })
  report.paragraph(t(lang, 'dpo.cert.no_personal_data'), { size: 8.5 })
  return report.finish()
}
