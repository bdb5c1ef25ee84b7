// Each route declares who may open it, next to its code (`handle.access`). The access-matrix
// test reads these declarations for every route module and checks them against the app.
export const PERSONAS = [
  'anonymous',
  'admin', // school A administrator
  'teacher', // lead teacher of class A1
  'coteacher', // co-teacher of class A1
  'otherTeacher', // teacher in school A who does not teach class A1
  'dpo', // school A's DPO
  'guardian', // guardian (no link yet to class A1 children)
  'child', // a child of class A1
  'outsider', // administrator of school B
] as const
export type Persona = (typeof PERSONAS)[number]

/** What a route's `:param` refers to in the matrix fixture. */
export type ParamKind = 'orgA' | 'classA1' | 'childA1' | 'memberTeacher' | 'token'

export type RouteAccess = {
  /** 'everyone' includes anonymous visitors; 'signedIn' is every persona but anonymous. */
  allow: 'everyone' | 'signedIn' | 'adults' | Persona[]
  params?: Record<string, ParamKind>
  /** Resource or action-only routes: the matrix calls the loader when there is one. */
  note?: string
}

export function allowedPersonas(access: RouteAccess): Persona[] {
  if (access.allow === 'everyone') return [...PERSONAS]
  if (access.allow === 'signedIn') return PERSONAS.filter((p) => p !== 'anonymous')
  if (access.allow === 'adults') return PERSONAS.filter((p) => p !== 'anonymous' && p !== 'child')
  return access.allow
}
