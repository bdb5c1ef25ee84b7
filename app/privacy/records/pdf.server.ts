// The records of processing as a PDF (the same generated content as the page).
import type { DbOrTx } from '../../db.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { formatDate, t, type Lang } from '../../i18n'
import { recordsOfProcessing } from './records.server'
import { securityMeasures } from './security.server'
import { activityLabel } from '../subprocessors/activities'

export async function recordsPdf(db: DbOrTx, a: { orgId: string; lang: Lang }) {
  const r = await recordsOfProcessing(db, a.orgId)
  const L = a.lang
  const pdf = await PdfReport.create({ title: t(L, 'retention.records.title'), subtitle: `${r.org.name} · ${formatDate(L, r.generatedAt, true)}`, lang: L, now: r.generatedAt })
  pdf.keyValue([
    [t(L, 'retention.records.controller'), r.org.name],
    [t(L, 'retention.records.dpo'), r.dpos.length ? r.dpos.map((d) => `${d.name} <${d.email}>`).join(', ') : '—'],
    [t(L, 'retention.records.processor'), t(L, 'retention.records.processor_name')],
  ])
  for (const act of r.activities) {
    pdf.heading(t(L, `retention.records.purpose.${act.purpose}`))
    pdf.paragraph(t(L, `retention.records.purpose_text.${act.purpose}`))
    pdf.keyValue([
      [t(L, 'retention.records.legal_basis'), t(L, `retention.basis.${act.legalBasis}`)],
      [t(L, 'retention.records.subjects'), act.subjects.map((s) => t(L, `retention.records.subject.${s}`)).join(', ')],
      [t(L, 'retention.records.retention'), act.retention.map((x) => t(L, x.key, x.vars)).join('\n')],
      [t(L, 'retention.records.recipients'), [t(L, 'retention.records.processor_teams'), ...r.recipients.map((s) => `${s.name} (${activityLabel(L, s.activity)})`)].join(', ')],
    ])
    pdf.table({
      columns: [
        { label: t(L, 'retention.records.category'), width: 2 },
        { label: t(L, 'retention.records.subjects'), width: 2 },
        { label: t(L, 'retention.records.tables'), width: 4 },
      ],
      rows: act.categories.map((c) => [t(L, `retention.records.cat.${c.category}`), c.subjects.map((s) => t(L, `retention.records.subject.${s}`)).join(', '), c.tables.join(', ')]),
    })
  }
  pdf.heading(t(L, 'retention.records.transfers'))
  pdf.paragraph(r.recipients.some((s) => s.transfer) ? t(L, 'retention.records.transfers_some') : t(L, 'retention.records.transfers_none'))
  pdf.heading(t(L, 'retention.records.security'))
  pdf.paragraph(t(L, 'retention.records.security_intro'))
  for (const area of securityMeasures(L)) {
    pdf.heading(area.title, 2)
    for (const line of area.lines) pdf.paragraph(`• ${line}`)
  }
  return { bytes: await pdf.finish(), fileName: 'registre-des-traitements.pdf' }
}
