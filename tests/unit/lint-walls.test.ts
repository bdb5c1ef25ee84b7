// The walls that eslint.config.mjs builds from layout.mjs hold: ESLint, with the project's own
// configuration and the real layout, rejects each fixture that breaks one (with the rule and the
// reason) and passes the clean ones.
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { carnetConfig, ROLES } from '../../eslint.config.mjs'
import { loadLayout } from '../../scripts/layout-check.mjs'
import { ROLES as schemaRoles } from '../../drizzle/schema/organizations'

const repo = path.resolve(__dirname, '../..')
const root = path.join(repo, 'tests/fixtures/lint')

async function lintFixtures() {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: await carnetConfig(root, { layout: await loadLayout(repo) }) })
  const results = await eslint.lintFiles(['.'])
  return Object.fromEntries(results.map((r) => [path.relative(root, r.filePath), r.messages.map((m) => ({ rule: m.ruleId, message: m.message, line: m.line }))]))
}

const byFile = await lintFixtures()

describe('the walls, on fixture files', () => {
  it('refuses a route that imports the schema (forbidden arrow)', () => {
    expect(byFile['app/routes/bad-schema.tsx']).toEqual([{ rule: 'import-x/no-restricted-paths', line: 1, message: expect.stringContaining('app/routes/ ↛ drizzle/') }])
  })

  it('refuses a route that imports a worker (higher floor and forbidden arrow)', () => {
    expect(byFile['app/routes/bad-worker.tsx']).toEqual([
      { rule: 'import-x/no-restricted-paths', line: 1, message: expect.stringContaining('routes floor may not import from the higher entry points floor') },
      { rule: 'import-x/no-restricted-paths', line: 1, message: expect.stringContaining('app/routes/ ↛ workers/') },
    ])
  })

  it('refuses a model that imports a route through the ~/ alias', () => {
    expect(byFile['app/models/bad-route.server.ts']).toEqual([
      { rule: 'import-x/no-restricted-paths', line: 1, message: expect.stringContaining('models floor may not import from the higher routes floor') },
    ])
  })

  it('refuses a compliance module that imports a model by a relative path', () => {
    expect(byFile['app/compliance/bad-model.server.ts']).toEqual([
      { rule: 'import-x/no-restricted-paths', line: 1, message: expect.stringContaining('compliance floor may not import from the higher models floor') },
    ])
  })

  it('refuses a role comparison in a route', () => {
    expect(byFile['app/routes/bad-role.tsx']).toEqual([{ rule: 'no-restricted-syntax', line: 2, message: expect.stringContaining('only in the permission layer') }])
  })

  it('passes the clean files: a route calling a model, a model on the schema, compliance and permissions, roles named in permissions', () => {
    const clean = Object.keys(byFile).filter((f) => !path.basename(f).startsWith('bad-'))
    expect(clean.sort()).toEqual([
      'app/compliance/audit.server.ts',
      'app/models/members.server.ts',
      'app/permissions/roles.ts',
      'app/routes/members.tsx',
      'drizzle/schema/index.ts',
      'workers/jobs/erasure.server.ts',
    ])
    for (const f of clean) expect(byFile[f], f).toEqual([])
  })

  it('knows every membership role of the schema', () => {
    expect([...ROLES].sort()).toEqual([...schemaRoles].sort())
  })
})
