// Link letters: one A4 page per code, handed to the family (in the child's bag, at a
// meeting). Printing issues new single-use codes, so the PDF itself is the only place the
// codes exist in clear; issuing and rendering happen in one transaction.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { classes, enrolments, memberships, organizations, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db } from '../../db.server'
import { NotFound } from '../../errors.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { drawQr } from '../../documents/pdf/qr'
import { recordAudit } from '../../compliance/audit.server'
import { formatDate, t, type Lang } from '../../i18n'
import { issueLinkCode, linkUrl } from './codes.server'
import { currentLinksCount, isUuid, MAX_GUARDIANS_PER_CHILD, type Actor } from './links.server'

export type LetterInput = { childFirstName: string; childLastName: string; className: string; schoolName: string; code: string; url: string; expiresAt: Date }

export async function renderLinkLetters(letters: LetterInput[], lang: Lang, at: Date) {
  const title = t(lang, 'families.letter.title')
  const report = await PdfReport.create({ title, subtitle: letters[0]?.schoolName ?? '', lang, now: at })
  letters.forEach((l, i) => {
    if (i > 0) report.newPage()
    report.heading(t(lang, 'families.letter.heading', { school: l.schoolName }))
    report.paragraph(t(lang, 'families.letter.intro', { school: l.schoolName }))
    report.keyValue([
      [t(lang, 'families.letter.child'), `${l.childFirstName} ${l.childLastName}`],
      [t(lang, 'families.letter.class'), l.className],
      [t(lang, 'families.letter.school'), l.schoolName],
    ])
    report.heading(t(lang, 'families.letter.how'), 2)
    report.paragraph(t(lang, 'families.letter.step1', { url: `${config.appUrl}/link` }))
    report.paragraph(t(lang, 'families.letter.step2'))
    report.paragraph(t(lang, 'families.letter.code_label'), { bold: true })
    report.paragraph(l.code, { size: 22, bold: true })
    report.paragraph(t(lang, 'families.letter.expires', { date: formatDate(lang, l.expiresAt) }))
    // The QR code opens the same page with the code filled in.
    const side = 110
    report.ensureSpace(side + 10)
    drawQr(report.page, l.url, report.left, report.y - side, side)
    report.moveDown(side + 12)
    report.paragraph(t(lang, 'families.letter.not_mine'))
    report.paragraph(t(lang, 'families.letter.single_use'), { size: 8.5 })
  })
  return report.finish()
}

/**
 * Prints link letters for children of a class: `copies` letters (separate codes) per child —
 * e.g. two for separated parents. Children who already have 4 guardians are skipped.
 */
export async function printLinkLetters(db: Db, a: { orgId: string; classId: string; childIds?: string[]; onlyUnlinked?: boolean; copies: number; lang: Lang; by: Actor }) {
  if (!isUuid(a.orgId) || !isUuid(a.classId)) throw new NotFound('class')
  const copies = Math.min(4, Math.max(1, Math.floor(a.copies) || 1))
  return db.transaction(async (tx) => {
    const [cls] = await tx
      .select({ id: classes.id, name: classes.name, orgName: organizations.name })
      .from(classes)
      .innerJoin(organizations, eq(organizations.id, classes.orgId))
      .where(and(eq(classes.id, a.classId), eq(classes.orgId, a.orgId)))
    if (!cls) throw new NotFound('class')
    const ids = a.childIds?.filter(isUuid)
    const children = await tx
      .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
      .from(enrolments)
      .innerJoin(users, and(eq(users.id, enrolments.childId), isNull(users.deactivatedAt)))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, a.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
      .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId), ids ? inArray(enrolments.childId, ids.length ? ids : ['00000000-0000-0000-0000-000000000000']) : undefined))
      .orderBy(asc(users.lastName), asc(users.firstName))
    if (ids && !children.length) throw new NotFound('child')
    const letters: LetterInput[] = []
    for (const c of children) {
      const linked = await currentLinksCount(tx, { orgId: a.orgId, childId: c.id })
      if (a.onlyUnlinked && linked > 0) continue
      const n = Math.min(copies, MAX_GUARDIANS_PER_CHILD - linked)
      for (let i = 0; i < n; i++) {
        const { code, row } = await issueLinkCode(tx, { orgId: a.orgId, childId: c.id, channel: 'letter', by: a.by })
        letters.push({ childFirstName: c.firstName, childLastName: c.lastName, className: cls.name, schoolName: cls.orgName, code, url: linkUrl(code), expiresAt: row.expiresAt })
      }
    }
    const at = now()
    const bytes = letters.length ? await renderLinkLetters(letters, a.lang, at) : null
    await recordAudit(tx, {
      action: 'export.link_letters',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: ids?.length === 1 ? 'user' : 'class',
      targetId: ids?.length === 1 ? ids[0] : a.classId,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { classId: a.classId, letters: letters.length, copies },
    })
    const slug =
      cls.name
        .normalize('NFD')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'classe'
    return { bytes, count: letters.length, fileName: `lettres-liaison-${slug}.pdf` }
  })
}
