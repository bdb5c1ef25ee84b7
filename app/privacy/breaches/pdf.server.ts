// The controller's breach notification as a PDF (GDPR Art. 33(3) contents, DPA §10.2): what
// the school files with the CNIL or keeps in its own register. No data subject is named.
import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import { memberships, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { formatDate, t, type Lang } from '../../i18n'
import { breachForOrg } from './register.server'

export async function breachNotificationPdf(db: DbOrTx, a: { orgId: string; breachId: string; lang: Lang }): Promise<{ bytes: Uint8Array; fileName: string }> {
  const b = await breachForOrg(db, a.orgId, a.breachId)
  const L = a.lang
  const dpos = await db
    .selectDistinct({ first: users.firstName, last: users.lastName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, a.orgId), inArray(memberships.role, ['dpo']), isNotNull(users.email)))
  const pdf = await PdfReport.create({ title: t(L, 'retention.breach.pdf_title', { reference: b.reference }), subtitle: b.orgName, lang: L, now: now() })
  const d = (x: Date | null) => (x ? formatDate(L, x, true) : '—')
  const approx = (v: number | null) => (v === null ? t(L, 'retention.breach.unknown') : `≈ ${v}`)
  pdf.heading(t(L, 'retention.breach.pdf_parties'))
  pdf.keyValue([
    [t(L, 'retention.breach.pdf_controller'), b.orgName],
    [t(L, 'retention.breach.pdf_contact'), dpos.length ? dpos.map((p) => `${p.first} ${p.last} <${p.email}>`).join(', ') : '—'],
    [t(L, 'retention.breach.pdf_processor'), t(L, 'retention.records.processor_name')],
  ])
  pdf.heading(t(L, 'retention.breach.pdf_timeline'))
  pdf.keyValue([
    [t(L, 'retention.breach.f.detected'), d(b.detectedAt)],
    [t(L, 'retention.breach.f.informed'), d(b.org.informedAt)],
    [t(L, 'retention.breach.f.deadline'), d(b.clock.deadline)],
    [
      t(L, 'retention.breach.f.authority'),
      b.org.authorityNotifiedAt ? `${d(b.org.authorityNotifiedAt)}${b.org.authorityReference ? ` (${b.org.authorityReference})` : ''}` : t(L, 'retention.breach.not_yet'),
    ],
    [t(L, 'retention.breach.f.on_time'), t(L, `retention.breach.clock.${b.clock.state}`)],
    [
      t(L, 'retention.breach.f.subjects_informed'),
      b.org.subjectsInformed
        ? `${t(L, `retention.breach.informed.${b.org.subjectsInformed}`)}${b.org.subjectsInformedAt ? ` — ${d(b.org.subjectsInformedAt)}` : ''}`
        : t(L, 'retention.breach.not_yet'),
    ],
  ])
  pdf.heading(t(L, 'retention.breach.pdf_contents'))
  pdf.keyValue([
    [t(L, 'retention.breach.f.reference'), b.reference],
    [t(L, 'retention.breach.f.nature'), b.nature],
    [t(L, 'retention.breach.f.subjects'), `${b.subjectCategories} (${approx(b.approxSubjects)})`],
    [t(L, 'retention.breach.f.records'), `${b.recordCategories} (${approx(b.approxRecords)})`],
    [t(L, 'retention.breach.f.consequences'), b.consequences],
    [t(L, 'retention.breach.f.measures'), b.measures],
  ])
  if (b.updates.length) {
    pdf.heading(t(L, 'retention.breach.pdf_phases'))
    pdf.table({
      columns: [
        { label: t(L, 'retention.breach.f.date'), width: 1 },
        { label: t(L, 'retention.breach.f.source'), width: 1 },
        { label: t(L, 'retention.breach.f.info'), width: 4 },
      ],
      rows: b.updates.map((u) => [d(u.at), t(L, u.orgId ? 'retention.breach.source_controller' : 'retention.breach.source_processor'), u.text]),
    })
  }
  pdf.paragraph(t(L, 'retention.breach.pdf_footer'), { size: 8 })
  return { bytes: await pdf.finish(), fileName: `${b.reference}-notification.pdf` }
}
