// The information notices a school hands to guardians before children use Carnet (Terms of
// Use §III.3: "purpose, access methods, and categories of processed data"). Each version is
// fixed once published: the consent log names the version id, never the text.
import type { Lang } from '../../i18n'

export type NoticeText = { purpose: string; access: string; categories: string }
export type Notice = { id: string; publishedOn: string; text: Record<Lang, NoticeText> }

export const NOTICES: Notice[] = [
  {
    id: 'school-notice-2026-09',
    publishedOn: '2026-08-25',
    text: {
      fr: {
        purpose: "Carnet sert à la classe pour des activités d'apprentissage, le suivi des progrès par l'enseignant et le partage avec les familles des éléments que l'école choisit de publier.",
        access:
          "L'enfant se connecte avec une carte (QR code) ou le code de sa classe et un code personnel, sans adresse e-mail ; les responsables se lient à l'enfant avec un code remis par l'école.",
        categories: "Identité de l'enfant (prénom, nom, date de naissance), classe et groupe, activités et résultats, données de connexion ; pour les responsables : nom, e-mail, lien avec l'enfant.",
      },
      en: {
        purpose: 'Carnet is used in class for learning activities, progress follow-up by the teacher, and sharing with families the items the school chooses to publish.',
        access: 'Children log in with a card (QR code) or their class code and a personal code, without an email address; guardians link to the child with a code given by the school.',
        categories: "The child's identity (first name, last name, date of birth), class and group, activities and results, connection data; for guardians: name, email, relationship to the child.",
      },
    },
  },
]

export const CURRENT_NOTICE = NOTICES[NOTICES.length - 1]!

export function noticeById(id: string) {
  return NOTICES.find((n) => n.id === id) ?? null
}
