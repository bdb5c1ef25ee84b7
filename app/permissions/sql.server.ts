// Turns the policy's CASL conditions into a drizzle WHERE clause, so a list is filtered in
// SQL by exactly the rules that `can()` checks on a single row.
import { rulesToAST } from '@casl/ability/extra'
import { and, eq, inArray, not, or, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { Action, AppAbility, SubjectName } from './abilities'

type Node = { operator: string; field?: string; value: unknown }
export type FieldMap = Record<string, AnyColumn>

/** `null` when the ability grants nothing: callers return an empty list without querying. */
export function accessibleWhere(ability: AppAbility, action: Action, subject: SubjectName, fields: FieldMap): SQL | null {
  const ast = rulesToAST(ability, action, subject) as Node | null
  if (!ast) return null
  return toSql(ast, fields)
}

function toSql(node: Node, fields: FieldMap): SQL {
  switch (node.operator) {
    case 'and': {
      const parts = (node.value as Node[]).map((n) => toSql(n, fields))
      return parts.length ? and(...parts)! : sql`true`
    }
    case 'or': {
      const parts = (node.value as Node[]).map((n) => toSql(n, fields))
      return parts.length ? or(...parts)! : sql`false`
    }
    case 'not':
      return not(toSql(node.value as Node, fields))
    case 'eq':
      return eq(column(node.field!, fields), node.value)
    case 'in': {
      const values = node.value as unknown[]
      return values.length ? inArray(column(node.field!, fields), values) : sql`false`
    }
    default:
      // An operator the policy starts using must be mapped here, not silently allowed.
      throw new Error(`accessibleWhere: unsupported operator ${node.operator}`)
  }
}

function column(field: string, fields: FieldMap) {
  const c = fields[field]
  if (!c) throw new Error(`accessibleWhere: no column mapped for field "${field}"`)
  return c
}
