// Can the role this process runs as rewrite the logs? Asked of PostgreSQL itself, so the start-up
// warning and the DPO page say what is true of this deployment, not what it was meant to be.
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db.server'
import { APPEND_ONLY_TABLES } from '../migrate.server'

export type LogProtection = { protected: boolean; role: string; problems: string[] }

export async function logProtection(db: DbOrTx): Promise<LogProtection> {
  const tables = sql.join(
    APPEND_ONLY_TABLES.map((t) => sql`${`public.${t}`}`),
    sql`, `,
  )
  const rows = (await db.execute(sql`
    select current_user as role, r.rolsuper as superuser, t.name,
      pg_has_role(current_user, c.relowner, 'MEMBER') as owns,
      has_table_privilege(t.name, 'UPDATE') or has_table_privilege(t.name, 'DELETE') or has_table_privilege(t.name, 'TRUNCATE') as writes
    from pg_roles r, unnest(array[${tables}]::text[]) as t(name)
    join pg_class c on c.oid = to_regclass(t.name)
    where r.rolname = current_user`)) as unknown as { role: string; superuser: boolean; name: string; owns: boolean; writes: boolean }[]
  const problems: string[] = []
  if (rows[0]?.superuser) problems.push(`role ${rows[0].role} is a superuser`)
  for (const r of rows) {
    if (r.owns) problems.push(`role ${r.role} owns ${r.name}`)
    else if (r.writes) problems.push(`role ${r.role} may update or delete ${r.name}`)
  }
  return { protected: problems.length === 0 && rows.length === APPEND_ONLY_TABLES.length, role: rows[0]?.role ?? '?', problems }
}
