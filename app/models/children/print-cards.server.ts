// Printing login cards. Only hashes of the codes are stored, so printing a card means issuing
// a new one: the cards printed before stop working. Issuing and rendering happen in one
// transaction, so a failed PDF leaves the old cards valid.
import { and, eq } from 'drizzle-orm'
import { classes, organizations } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { config } from '../../config.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { renderLoginCards } from '../../documents/pdf/login-cards.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import { classChildrenForCards, isUuid } from './child-admin.server'
import { issueChildCard } from './login-card.server'

export type CardScope = { kind: 'class' } | { kind: 'new' } | { kind: 'child'; childId: string }

export function cardUrl(token: string) {
  return `${config.appUrl}/card/${token}`
}

export async function getClassForCards(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  if (!isUuid(orgId) || !isUuid(classId)) throw new NotFound('class')
  const [row] = await db
    .select({ id: classes.id, orgId: classes.orgId, name: classes.name, orgName: organizations.name })
    .from(classes)
    .innerJoin(organizations, eq(organizations.id, classes.orgId))
    .where(and(eq(classes.id, classId), eq(classes.orgId, orgId)))
  if (!row) throw new NotFound('class')
  return row
}

/** Issues the cards of a class (all, the children without one, or one child) and renders them. */
export async function printLoginCards(db: DbOrTx, a: { orgId: string; classId: string; scope: CardScope; lang: Lang; actorId: string; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const cls = await getClassForCards(tx, a)
    const children = await classChildrenForCards(tx, {
      orgId: a.orgId,
      classId: a.classId,
      only: a.scope.kind === 'new' ? 'new' : 'all',
      childIds: a.scope.kind === 'child' ? [a.scope.childId] : undefined,
    })
    if (a.scope.kind === 'child' && children.length === 0) throw new NotFound('child')
    const cards = []
    for (const c of children) {
      const { token, code } = await issueChildCard(tx, { orgId: a.orgId, childId: c.id })
      cards.push({ firstName: c.firstName, classLabel: cls.name, shortCode: code, qrUrl: cardUrl(token) })
    }
    const bytes = await renderLoginCards({ schoolName: cls.orgName, className: cls.name, lang: a.lang, cards, now: now() })
    await recordAudit(tx, {
      action: 'export.login_cards',
      actorId: a.actorId,
      orgId: a.orgId,
      targetType: a.scope.kind === 'child' ? 'user' : 'class',
      targetId: a.scope.kind === 'child' ? a.scope.childId : a.classId,
      ...a.origin,
      details: { classId: a.classId, scope: a.scope.kind, count: cards.length },
    })
    const slug =
      cls.name
        .normalize('NFD')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'classe'
    const fileName = a.scope.kind === 'child' ? `carte-${slug}.pdf` : `cartes-${slug}.pdf`
    return { bytes, fileName, count: cards.length }
  })
}
