import type { DbOrTx } from '../db.server'

// Guardianship links arrive with the families issue; until then a guardian sees no child.
export async function guardianLinksFor(_db: DbOrTx, _userId: string): Promise<{ orgId: string; childId: string }[]> {
  return []
}
