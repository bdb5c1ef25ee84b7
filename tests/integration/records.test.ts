// Records of processing (Annex B, GDPR Art. 30), generated: every personal column of the
// classification is accounted for under its purpose and category; the legal basis follows the
// organization's setting; recipients are the sub-processor register; page and PDF agree.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { ROLES, users } from '../../drizzle/schema'
import { ARGON2 } from '~/auth/password.server'
import { SESSION_COOKIE_ATTRIBUTES } from '~/auth/session.server'
import { DAY, HOUR, MINUTE } from '~/clock.server'
import { HSTS } from '~/config.server'
import { auditRetention } from '~/privacy/audit/retention.server'
import { MONTHLY_MONTHS, RETENTION } from '~/privacy/backups/schedule.server'
import { DELETION_DEADLINE, MAX_GRACE_HOURS } from '~/privacy/erasure/requests.server'
import { VACUUM_WINDOW } from '~/privacy/erasure/vacuum.server'
import { CLASSIFICATION } from '~/compliance/classification'
import { recordsPdf } from '~/privacy/records/pdf.server'
import { recordsOfProcessing, setLegalBasis } from '~/privacy/records/records.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { t as tr } from '~/i18n'
import * as page from '~/routes/org.$orgId.records'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'
import { cookieFor, get } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test('every personal column of the classification appears under its purpose and category; nothing else', async () => {
  const org = await makeOrg(t.db, 'school', 'École des Registres')
  await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const r = await recordsOfProcessing(t.db, org.id)
  let personal = 0
  for (const [table, cls] of Object.entries(CLASSIFICATION)) {
    for (const col of Object.values(cls.columns)) {
      if (col.category === 'none' || col.subject === 'none') continue
      personal++
      const act = r.activities.find((a) => a.purpose === cls.purpose)
      expect(act, `purpose ${cls.purpose}`).toBeTruthy()
      const cat = act!.categories.find((c) => c.category === col.category)
      expect(cat?.tables, `${table} under ${cls.purpose}/${col.category}`).toContain(table)
      expect(cat!.subjects).toContain(col.subject)
    }
  }
  expect(personal).toBeGreaterThan(100)
  // Tables without personal data are not listed.
  const listed = new Set(r.activities.flatMap((a) => a.tables))
  expect(listed.has('skills')).toBe(false)
  expect(listed.has('results')).toBe(true)
  // Retention as the code enforces it; recipients from the register (Annex C).
  const service = r.activities.find((a) => a.purpose === 'service_provision')!
  const lines = service.retention.map((x) => tr('fr', x.key, x.vars))
  expect(lines.join('\n')).toContain('24 heures')
  expect(lines.join('\n')).toContain('24 mois')
  expect(lines.join('\n')).toContain('mensuelles 6 mois')
  expect(r.recipients.map((x) => x.name)).toEqual(['OVH', 'Crisp', 'Sendinblue (Brevo)'])
  expect(service.legalBasis).toBe('public_task')
})

test("the legal basis is the organization's setting; the PDF and the page show the same records", async () => {
  const org = await makeOrg(t.db, 'family', 'Famille Registre')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  await setLegalBasis(t.db, { orgId: org.id, legalBasis: 'consent', by: admin.id })
  const r = await recordsOfProcessing(t.db, org.id)
  expect(r.activities.find((a) => a.purpose === 'service_provision')!.legalBasis).toBe('consent')
  const text = (await extractPdfText((await recordsPdf(t.db, { orgId: org.id, lang: 'fr' })).bytes)).join('\n')
  for (const part of ['Registre des activités de traitement', 'Famille Registre', 'Consentement', 'Fourniture du service pédagogique', 'OVH', 'Apprentissages']) expect(text).toContain(part)
  const data = await get(page.loader, `/org/${org.id}/records`, { orgId: org.id }, await cookieFor(t.db, admin))
  expect(data.r.activities.map((a: { purpose: string }) => a.purpose).sort()).toEqual(r.activities.map((a) => a.purpose).sort())
})

describe('security measures (Art. 30(1)(g)), generated from what Carnet applies', () => {
  const flat = (s: string) => s.replace(/\s+/g, ' ')
  async function both(lang: 'fr' | 'en') {
    const org = await makeOrg(t.db, 'school', `École Sécurité ${lang}`)
    const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
    await t.db.update(users).set({ locale: lang }).where(eq(users.id, admin.id))
    const data = await get(page.loader, `/org/${org.id}/records`, { orgId: org.id }, await cookieFor(t.db, admin))
    const html = flat(data.security.map((a: { title: string; lines: string[] }) => [a.title, ...a.lines].join(' ')).join(' '))
    const pdf = flat((await extractPdfText((await recordsPdf(t.db, { orgId: org.id, lang })).bytes)).join(' '))
    return { data, html, pdf }
  }
  const expected = {
    fr: () => [
      'Mesures de sécurité techniques et organisationnelles (art. 30.1.g du RGPD)',
      `Argon2id (${ARGON2.memoryCost / 1024} Mio de mémoire, ${ARGON2.timeCost} passes, parallélisme ${ARGON2.parallelism}, empreinte de ${ARGON2.outputLen} octets`,
      `pendant ${HSTS.maxAgeSeconds / 86400} jours (Strict-Transport-Security, sous-domaines compris)`,
      `Cookie de session : ${SESSION_COOKIE_ATTRIBUTES.join(', ')}, et Secure en production`,
      `(${ROLES.map((r) => tr('fr', `role.${r}`)).join(', ')})`,
      `${auditRetention().onlineMonths} mois en ligne, puis ${auditRetention().archiveMonths} mois en archive`,
      `signés (Ed25519)`,
      `Sauvegardes quotidiennes gardées ${RETENTION.daily / DAY} jours, hebdomadaires ${RETENTION.weekly / DAY / 7} semaines, mensuelles moins de ${MONTHLY_MONTHS} mois`,
      'Carnet ne la chiffre pas lui-même',
      `Effacement au plus tard ${DELETION_DEADLINE / HOUR} heures après la demande (délai d’annulation de ${MAX_GRACE_HOURS} heures au plus`,
      `Dans les ${VACUUM_WINDOW / MINUTE} minutes qui suivent`,
    ],
    en: () => [
      'Technical and organisational security measures (GDPR Art. 30(1)(g))',
      `Argon2id (${ARGON2.memoryCost / 1024} MiB of memory, ${ARGON2.timeCost} passes, parallelism ${ARGON2.parallelism}, ${ARGON2.outputLen}-byte hash`,
      `for ${HSTS.maxAgeSeconds / 86400} days (Strict-Transport-Security, subdomains included)`,
      `Session cookie: ${SESSION_COOKIE_ATTRIBUTES.join(', ')}, and Secure in production`,
      `(${ROLES.map((r) => tr('en', `role.${r}`)).join(', ')})`,
      `${auditRetention().onlineMonths} months online, then ${auditRetention().archiveMonths} months archived`,
      'signed checkpoints (Ed25519)',
      `Daily backups kept ${RETENTION.daily / DAY} days, weekly ones ${RETENTION.weekly / DAY / 7} weeks, monthly ones under ${MONTHLY_MONTHS} months`,
      'Carnet does not encrypt it itself',
      `Erasure at the latest ${DELETION_DEADLINE / HOUR} hours after the request (a cancel window of ${MAX_GRACE_HOURS} hours at most`,
      `Within the next ${VACUUM_WINDOW / MINUTE} minutes`,
    ],
  }

  test.each(['fr', 'en'] as const)('%s: hashing, transit, access control, logs, backups and erasure, with the values the code uses, on the page and in the PDF', async (lang) => {
    const { data, html, pdf } = await both(lang)
    expect(data.security.map((a: { area: string }) => a.area)).toEqual(['hashing', 'transit', 'access', 'logs', 'backups', 'erasure'])
    for (const part of expected[lang]().slice(1)) {
      expect(html, part).toContain(part)
      expect(pdf, part).toContain(part)
    }
    expect(pdf).toContain(expected[lang]()[0])
  })

  test('a changed setting changes the text: audit log kept 9 months online, 3 archived', async () => {
    const before = { online: process.env.CARNET_AUDIT_ONLINE_MONTHS, archive: process.env.CARNET_AUDIT_ARCHIVE_MONTHS }
    process.env.CARNET_AUDIT_ONLINE_MONTHS = '9'
    process.env.CARNET_AUDIT_ARCHIVE_MONTHS = '3'
    try {
      const fr = await both('fr')
      expect(fr.html).toContain('9 mois en ligne, puis 3 mois en archive')
      expect(fr.pdf).toContain('9 mois en ligne, puis 3 mois en archive')
      expect((await both('en')).pdf).toContain('9 months online, then 3 months archived')
    } finally {
      for (const [k, v] of [
        ['CARNET_AUDIT_ONLINE_MONTHS', before.online],
        ['CARNET_AUDIT_ARCHIVE_MONTHS', before.archive],
      ] as const)
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
    }
  })
})
