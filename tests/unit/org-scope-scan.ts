// Finds drizzle lookups by id that could reach another organization's row: a `.where(…)` that
// compares `<table>.id` (eq or inArray) with a value, on a table that has an orgId column, and
// does not mention `<table>.orgId` in the same where. An id taken from a row the function has
// already read (`row.id`, `code.invitationId`: a property of a local variable, not of a
// parameter) is accepted: that read is itself checked. Comparisons of two columns are joins.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { getTableColumns, is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'

export type Finding = { file: string; line: number; fn: string; table: string; where: string }

/** Schema exports that are tables, split by whether they have an `orgId` column next to their `id`. */
export function tablesOf(schema: Record<string, unknown>) {
  const all = new Set<string>()
  const orgScoped = new Set<string>()
  for (const [name, value] of Object.entries(schema)) {
    if (!is(value, PgTable)) continue
    all.add(name)
    const columns = getTableColumns(value)
    if ('id' in columns && 'orgId' in columns) orgScoped.add(name)
  }
  return { all, orgScoped }
}

export function sourceFiles(root: string, dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(root, path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []))
}

const COMPARES = new Set(['eq', 'inArray'])

function enclosingFunctionName(node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) && n.name) return n.name.text
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) return n.parent.name.text
    if (ts.isMethodDeclaration(n) && ts.isIdentifier(n.name)) return n.name.text
  }
  return '(top level)'
}

/** Is this identifier a variable declared in the code (const/let, destructured, for-of), not a parameter? */
function isLocalVariable(checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const decl = checker.getSymbolAtLocation(id)?.valueDeclaration
  if (!decl) return false
  let n: ts.Node = decl
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent
  return ts.isVariableDeclaration(n)
}

export function scanOrgScope(root: string, files: string[], tables: { all: Set<string>; orgScoped: Set<string> }): Finding[] {
  const program = ts.createProgram(
    files.map((f) => path.join(root, f)),
    { noResolve: true, noLib: true, types: [], jsx: ts.JsxEmit.ReactJSX, target: ts.ScriptTarget.ES2022 },
  )
  const checker = program.getTypeChecker()
  const findings: Finding[] = []
  for (const file of files) {
    const source = program.getSourceFile(path.join(root, file))!
    const isColumn = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && tables.all.has(e.expression.text)
    const fromReadRow = (e: ts.Expression) => {
      if (!ts.isPropertyAccessExpression(e)) return false
      let object: ts.Expression = e.expression
      while (ts.isNonNullExpression(object)) object = object.expression
      return ts.isIdentifier(object) && isLocalVariable(checker, object)
    }
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'where' && node.arguments[0]) {
        const where = node.arguments[0]
        const byId = new Set<string>()
        const mentioned = new Set<string>()
        const scan = (m: ts.Node) => {
          if (ts.isPropertyAccessExpression(m) && m.name.text === 'orgId' && ts.isIdentifier(m.expression)) mentioned.add(m.expression.text)
          if (ts.isCallExpression(m) && ts.isIdentifier(m.expression) && COMPARES.has(m.expression.text) && m.arguments.length === 2) {
            const [a, b] = m.arguments
            for (const [column, value] of [
              [a, b],
              [b, a],
            ]) {
              if (!ts.isPropertyAccessExpression(column) || column.name.text !== 'id' || !ts.isIdentifier(column.expression)) continue
              if (!tables.orgScoped.has(column.expression.text) || isColumn(value) || fromReadRow(value)) continue
              byId.add(column.expression.text)
            }
          }
          ts.forEachChild(m, scan)
        }
        scan(where)
        for (const table of byId) {
          if (mentioned.has(table)) continue
          const line = source.getLineAndCharacterOfPosition(node.expression.name.getStart()).line + 1
          findings.push({ file, line, fn: enclosingFunctionName(node), table, where: where.getText().replace(/\s+/g, ' ') })
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return findings
}
