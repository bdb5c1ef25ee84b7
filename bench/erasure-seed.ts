// Deployments for the erasure benchmark (bench/erasure.ts `flat`): many schools seeded set-wise.
import { createHash } from 'node:crypto'
import type postgres from 'postgres'

export const RESULTS_PER_CHILD = 5
/** Deterministic ids, so every table of a deployment is filled from one generate_series without reading ids back. */
export const seedId = (kind: string, n: number) => {
  const h = createHash('md5').update(`${kind}${n}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * Schools of 1,000 children (10 classes of 100, 5 quizzes per class, 2 skills), each child with
 * a guardian account and link, 5 results, 2 observations, a session, a link code, 2 audit rows.
 * Set-based INSERT … SELECT generate_series (ids are md5 of a counter, as seedId): 200,000
 * children are ~5 million rows in a few minutes.
 */
export async function seedDeployment(pg: postgres.Sql, children: number) {
  const schools = Math.ceil(children / 1000)
  const id = (kind: string, expr: string) => `md5('${kind}' || (${expr}))::uuid`
  const q = (text: string) => pg.unsafe(text)
  await q(`insert into organizations (id, kind, name, created_at) select ${id('o', 's')}, 'school', 'École ' || s, now() from generate_series(0, ${schools - 1}) s`)
  await q(
    `insert into users (id, kind, email, first_name, last_name, created_at) select ${id('a', 's')}, 'adult', 'admin' || s || '@example.org', 'Admin', 'Ecole' || s, now() from generate_series(0, ${schools - 1}) s`,
  )
  await q(`insert into memberships (org_id, user_id, role, created_at) select ${id('o', 's')}, ${id('a', 's')}, 'admin', now() from generate_series(0, ${schools - 1}) s`)
  await q(
    `insert into classes (id, org_id, name, school_year, login_code, created_at) select ${id('k', 'k')}, ${id('o', 'k / 10')}, 'CE2 ' || k, '2026-2027', 'B' || k, now() from generate_series(0, ${schools * 10 - 1}) k`,
  )
  await q(
    `insert into skills (id, org_id, code, label, domain, cycle, created_at) select ${id('sk', 'x')}, ${id('o', 'x / 2')}, 'S' || x % 2, 'Compétence', 'Français', 2, now() from generate_series(0, ${schools * 2 - 1}) x`,
  )
  await q(`insert into activities (id, org_id, class_id, kind, title, created_by, created_at)
    select ${id('q', 'x')}, ${id('o', 'x / 50')}, ${id('k', 'x / 5')}, 'quiz', 'Quiz ' || x, ${id('a', 'x / 50')}, now() from generate_series(0, ${schools * 50 - 1}) x`)
  // Children g = 1..n: school (g-1)/1000, class (g-1)/100.
  const kids = `generate_series(1, ${children}) g`
  const org = id('o', '(g - 1) / 1000')
  await q(`insert into users (id, kind, first_name, last_name, birth_date, created_at) select ${id('c', 'g')}, 'child', 'Élève' || g, 'Banc' || g, date '2017-01-01' + g % 700, now() from ${kids}`)
  await q(`insert into users (id, kind, email, first_name, last_name, created_at) select ${id('p', 'g')}, 'adult', 'parent' || g || '@example.org', 'Parent', 'Banc' || g, now() from ${kids}`)
  await q(`insert into memberships (org_id, user_id, role, created_at) select ${org}, ${id('c', 'g')}, 'child', now() from ${kids}
    union all select ${org}, ${id('p', 'g')}, 'guardian', now() from ${kids}`)
  await q(`insert into enrolments (org_id, class_id, child_id, created_at) select ${org}, ${id('k', '(g - 1) / 100')}, ${id('c', 'g')}, now() from ${kids}`)
  await q(`insert into child_profiles (child_id, org_id, external_id) select ${id('c', 'g')}, ${org}, 'INE-' || g from ${kids}`)
  await q(`insert into results (org_id, child_id, activity_id, score, max, answers, duration_ms, completed_at)
    select ${org}, ${id('c', 'g')}, ${id('q', '((g - 1) / 100) * 5 + r')}, 1, 2, '[0,1]'::jsonb, 30000, now() from ${kids}, generate_series(0, ${RESULTS_PER_CHILD - 1}) r`)
  await q(`insert into observations (org_id, class_id, child_id, skill_id, level, observed_on, teacher_id, created_at)
    select ${org}, ${id('k', '(g - 1) / 100')}, ${id('c', 'g')}, ${id('sk', '((g - 1) / 1000) * 2 + x')}, 'acquired', current_date, ${id('a', '(g - 1) / 1000')}, now() from ${kids}, generate_series(0, 1) x`)
  await q(`insert into guardian_links (org_id, child_id, guardian_id, legal_status, started_at, created_by, created_at)
    select ${org}, ${id('c', 'g')}, ${id('p', 'g')}, 'parent', now(), ${id('a', '(g - 1) / 1000')}, now() from ${kids}`)
  await q(`insert into link_codes (org_id, child_id, code_hash, channel, created_by, created_at, expires_at)
    select ${org}, ${id('c', 'g')}, md5('code' || g), 'letter', ${id('a', '(g - 1) / 1000')}, now(), now() + interval '30 days' from ${kids}`)
  await q(`insert into sessions (id, user_id, kind, created_at, expires_at, last_seen_at, user_agent, opened_by)
    select md5('s' || g), ${id('c', 'g')}, 'child', now(), now() + interval '8 hours', now(), 'Tablette', ${id('a', '(g - 1) / 1000')} from ${kids}`)
  await q(`insert into audit_events (at, org_id, actor_id, action, target_type, target_id, outcome, ip, user_agent)
    select now(), ${org}, ${id('c', 'g')}, 'child.login', 'user', ${id('c', 'g')}::text, 'success', '192.0.2.1', 'Tablette' from ${kids}, generate_series(1, 2)`)
  await q(`analyze`)
}
