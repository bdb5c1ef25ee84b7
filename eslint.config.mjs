// ESLint for Carnet: the recommended rule sets, plus the house's walls generated from layout.mjs
// (import boundaries, role names compared only in the permission layer). The walls are built by
// `carnetConfig(root)` so tests/unit/lint-walls.test.ts can run the same rules on fixture trees.
import path from 'node:path'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import globals from 'globals'
import { boundaryZones, layoutRoots, loadLayout, roleStringGlobs } from './scripts/layout-check.mjs'

// Membership roles (drizzle/schema/organizations.ts ROLES; the lint test checks they match).
export const ROLES = ['admin', 'teacher', 'dpo', 'guardian', 'child']

const ROLE = `/^(${ROLES.join('|')})$/`
const ROLE_MESSAGE = 'Role names are compared only in the permission layer (layout.mjs roleStringsAllowedIn): ask app/permissions (an ability or a named helper) instead.'
// Fields whose values share a word with the roles but say nothing about anyone's role: the data
// classification's subject (whose data a column holds) and the login cards' print scope.
const notRole = (side) => `:not([${side}.property.name='subject']):not([${side}.object.property.name='scope'][${side}.property.name='kind'])`
// A role literal on either side of ==/!=, as the argument of includes/has/indexOf, in an array
// literal searched with includes/indexOf, or as a switch case.
export const roleComparisonSelectors = [
  `BinaryExpression[operator=/^[!=]==?$/][right.type='Literal'][right.value=${ROLE}]${notRole('left')}`,
  `BinaryExpression[operator=/^[!=]==?$/][left.type='Literal'][left.value=${ROLE}]${notRole('right')}`,
  `CallExpression[callee.property.name=/^(includes|has|indexOf)$/][arguments.0.type='Literal'][arguments.0.value=${ROLE}]`,
  `CallExpression[callee.property.name=/^(includes|indexOf)$/] > MemberExpression.callee > ArrayExpression.object > Literal[value=${ROLE}]`,
  `SwitchCase[test.type='Literal'][test.value=${ROLE}]`,
]

const NODEMAILER_MESSAGE = 'SMTP is reached only through app/mail/smtp.server.ts (the outbox delivery): write mail with queueMail() in the business transaction.'
const SMTP_MESSAGE = 'Only the outbox delivery (app/mail/delivery.server.ts) sends over SMTP: write mail with queueMail() in the business transaction.'

/**
 * The whole configuration for a tree rooted at `root` (the repository, or a fixture tree in tests).
 * @param {string} root
 * @param {{ layout?: import('./scripts/layout-check.mjs').Layout, ignores?: string[] }} [options]
 * @returns {Promise<import('eslint').Linter.Config[]>}
 */
export async function carnetConfig(root, { layout, ignores = [] } = {}) {
  layout ??= await loadLayout(root)
  const sourceFolders = [...new Set(layout.floors.flatMap((f) => f.folders.map((folder) => (folder.endsWith('/') ? `${folder}**` : folder))))]
  return /** @type {import('eslint').Linter.Config[]} */ (
    tseslint.config(
      {
        ignores: ['node_modules/', 'build/', '.data/', '.cache/', 'public/', 'test-results/', 'playwright-report/', 'bench/out/', 'drizzle/migrations/', ...ignores],
      },
      { linterOptions: { reportUnusedDisableDirectives: 'error' } },
      js.configs.recommended,
      tseslint.configs.recommended,
      {
        files: ['**/*.{ts,tsx,mjs,js}'],
        languageOptions: { globals: { ...globals.node } },
        rules: {
          // `_`-prefixed names are deliberately unused (positional arguments, rest siblings).
          '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
          // `catch {}` is how the code says "best effort, nothing to do".
          'no-empty': ['error', { allowEmptyCatch: true }],
        },
      },
      // Tests read loaders' data and poke at rows loosely typed on purpose.
      {
        files: ['tests/**', '**/*.test.ts'],
        rules: { '@typescript-eslint/no-explicit-any': 'off' },
      },
      // The two classic hook rules; v7's React Compiler rules cost three quarters of the lint time
      // and the app is not compiled with the React Compiler.
      {
        files: ['app/**/*.tsx'],
        plugins: { 'react-hooks': reactHooks },
        rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
      },
      {
        files: ['app/**/*.tsx'],
        ...jsxA11y.flatConfigs.recommended,
        languageOptions: { ...jsxA11y.flatConfigs.recommended.languageOptions, globals: { ...globals.browser, ...globals.node } },
      },
      // Walls (layout.mjs): no import from a higher floor, none along a forbidden arrow; `~/` and relative paths alike.
      {
        files: sourceFolders,
        plugins: { 'import-x': importX },
        settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })] },
        rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones(layout) }] },
      },
      // Mail leaves Carnet only through the outbox delivery (DESIGN §3.13): the business code writes
      // the mail with queueMail() in its transaction; SMTP (nodemailer) is reached through
      // app/mail/smtp.server.ts, which only the delivery (and benchmarks, tests) may import.
      {
        files: ['**/*.{ts,tsx,mjs,js}'],
        ignores: ['app/mail/smtp.server.ts', 'app/mail/delivery.server.ts', 'bench/**', 'tests/**'],
        rules: {
          'no-restricted-imports': [
            'error',
            { paths: [{ name: 'nodemailer', message: NODEMAILER_MESSAGE }], patterns: [{ group: ['**/mail/smtp.server', '~/mail/smtp.server'], message: SMTP_MESSAGE }] },
          ],
        },
      },
      {
        files: ['app/mail/delivery.server.ts', 'bench/**', 'tests/**'],
        rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'nodemailer', message: NODEMAILER_MESSAGE }] }] },
      },
      // Role names compared only where layout.mjs allows it (anywhere in the house, even on no floor yet).
      {
        files: layoutRoots(layout).map((dir) => (dir.includes('.') ? dir : `${dir}/**`)),
        ignores: roleStringGlobs(layout),
        rules: { 'no-restricted-syntax': ['error', ...roleComparisonSelectors.map((selector) => ({ selector, message: ROLE_MESSAGE }))] },
      },
    )
  )
}

export default carnetConfig(import.meta.dirname, { ignores: ['tests/fixtures/'] })
