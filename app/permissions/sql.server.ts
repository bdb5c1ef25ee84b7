// Turns the policy's CASL conditions into a drizzle WHERE clause, so a list is filtered in
// SQL by exactly the rules that `can()` checks on a single row.
import { rulesToAST } from '@casl/ability/extra'
import { and, eq, inArray, is, not, or, SQL, sql, type AnyColumn } from 'drizzle-orm'
import type { Action, AppAbility, SubjectName } from './abilities'

type Node = { operator: string; field?: string; value: unknown }
/** Each condition field → its column, or an SQL expression (e.g. `published` → a date test). */
export type FieldMap = Record<string, AnyColumn | SQL>

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
    case 'eq': {
      const c = column(node.field!, fields)
      return is(c, SQL) ? eq(c, node.value) : eq(c, node.value)
    }
    case 'in': {
      const values = node.value as unknown[]
      if (!values.length) return sql`false`
      const c = column(node.field!, fields)
      return is(c, SQL) ? inArray(c, values) : inArray(c, values)
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
