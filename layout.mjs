// The house's floors, lowest first. A module may import from its own floor's folders and from
// lower floors, never from a higher one; folders on one floor must not import each other in a
// loop. ESLint's boundary rules and the layout test are generated from this file: a new folder
// or a new allowed arrow is a change here, reviewed like code. docs/ARCHITECTURE.md explains it.
//
// A "folder" is a path prefix: 'app/models/' holds every file under it; a plain file name
// ('app/db.server.ts') is a folder of one file.

/** @type {{ name: string, folders: string[], why: string }[]} */
export const floors = [
  {
    name: 'base',
    folders: [
      'drizzle/',
      'app/clock.server.ts',
      'app/config.server.ts',
      'app/errors.server.ts',
      'app/crypto.server.ts',
      'app/db.server.ts',
      'app/migrate.server.ts',
      'app/i18n/',
      'app/names.ts',
      'app/roles.ts',
    ],
    why: 'schema, time, configuration, typed errors, hashing, the database handle, messages, the name normaliser, the role vocabulary',
  },
  {
    name: 'infrastructure',
    folders: ['app/mail/', 'app/queue/', 'app/documents/'],
    why: 'mail transport, queue definitions and enqueueing, PDF/CSV builders — no domain rules',
  },
  {
    name: 'compliance',
    folders: ['app/compliance/'],
    why: 'the foundation every module writes to: audit and consent logs, checkpoints, the data classification, restriction and objection state, legal calendars and documents',
  },
  { name: 'auth', folders: ['app/auth/'], why: 'sessions, passwords, throttling, email tokens, sign-up' },
  { name: 'permissions', folders: ['app/permissions/'], why: 'the one policy (CASL) and its request-time entry point' },
  { name: 'models', folders: ['app/models/'], why: 'data access and domain rules, one module per aggregate' },
  {
    name: 'use cases',
    folders: ['app/privacy/', 'app/exports/'],
    why: 'data-protection use cases (rights requests, erasure, backups, registers…) and learning exports, built on the models',
  },
  { name: 'ui', folders: ['app/ui/'], why: 'components, the shell, page-level view helpers' },
  { name: 'routes', folders: ['app/routes/', 'app/root.tsx', 'app/entry.server.tsx', 'app/entry.client.tsx'], why: 'parse → authorize → call a model or use case → render' },
  { name: 'entry points', folders: ['workers/', 'server/', 'cli/', 'bench/', 'scripts/'], why: 'processes: web server, workers, command line, benchmarks' },
]

/** Arrows that the floors would allow but the house forbids. */
export const forbidden = [
  { from: 'app/routes/', to: 'drizzle/', why: 'routes call a model or use case; they never query tables themselves' },
  { from: 'app/routes/', to: 'workers/', why: 'routes enqueue through the typed helper next to the use case' },
  { from: 'app/root.tsx', to: 'drizzle/', why: 'as for routes' },
]

/**
 * Role names may be compared only inside the permission layer — and where they are only words:
 * the schema, the messages, the vocabulary file (app/roles.ts: named facts such as "a child's
 * account"), and the OneRoster reader, whose 'student'/'teacher' are OneRoster's own words being
 * translated into Carnet's.
 */
export const roleStringsAllowedIn = ['app/permissions/', 'drizzle/', 'app/i18n/', 'app/roles.ts', 'app/models/roster/oneroster.server.ts']
