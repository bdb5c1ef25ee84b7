// The message keys, typed from the French files (French is the source). Type-only imports:
// nothing here reaches a bundle.
import type common from './messages/common.fr'
import type auth from './messages/auth.fr'
import type roster from './messages/roster.fr'
import type children from './messages/children.fr'
import type staff from './messages/staff.fr'
import type classes from './messages/classes.fr'
import type dpo from './messages/dpo.fr'
import type families from './messages/families.fr'
import type learning from './messages/learning.fr'
import type retention from './messages/retention.fr'

export const LANGS = ['fr', 'en'] as const
export type Lang = (typeof LANGS)[number]

/** Message files, one pair (fr, en) per area. */
export const AREAS = ['common', 'auth', 'roster', 'children', 'staff', 'classes', 'dpo', 'families', 'learning', 'retention'] as const
export type Area = (typeof AREAS)[number]

type ByArea = {
  common: typeof common
  auth: typeof auth
  roster: typeof roster
  children: typeof children
  staff: typeof staff
  classes: typeof classes
  dpo: typeof dpo
  families: typeof families
  learning: typeof learning
  retention: typeof retention
}
export type AreaKey<A extends Area> = keyof ByArea[A] & string
export type MessageKey = { [A in Area]: AreaKey<A> }[Area]

/** The id of the page's messages element (<PageMessages/>, read by catalogue.browser.ts). */
export const PAGE_MESSAGES_ID = 'carnet-messages'

export type Vars = Record<string, string | number>
export type Table = Record<string, string>
