// The consent log as the DPO uses it: signed daily checkpoints, the "Verify chain" page, the
// CLI, filters and exports — and what tampering looks like from each of them.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, asc, eq } from 'drizzle-orm'
import { auditEvents, consentCheckpoints, consentRecords } from '../../drizzle/schema'
import { COMMANDS } from '../../cli/commands/index'
import { DAY, useFakeClock } from '~/clock.server'
import { appendConsent, hashEntry, verifyChain } from '~/compliance/consent-log.server'
import { checkpointJson, checkSignature, verifyConsentLog, verifyHeldCheckpoint, writeCheckpoint, writeDailyCheckpoints } from '~/compliance/checkpoints.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { signingKey } from '~/compliance/signing-key.server'
import { consentCheckpointJob } from '../../workers/jobs/consent-checkpoint.server'
import { runJob } from '../../app/queue/job.server'
import * as page from '~/routes/org.$orgId.dpo.consent-log'
import * as exportRoute from '~/routes/org.$orgId.dpo.consent-log.export'
import * as checkpointRoute from '~/routes/org.$orgId.dpo.consent-log.checkpoint'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { bytesOf, cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
})
afterAll(() => dropTestDatabase(t.name))

const quiet = { info() {}, warn() {}, error() {} }

async function schoolWithLog(n = 5) {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  for (let i = 0; i < n; i++) {
    await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', subjectId: child.id, actorId: dpo.id, method: 'paper_form', details: { classId: cls.id } })
  }
  return { org, cls, child, dpo, cookie: await cookieFor(t.db, dpo) }
}

/** What the owner role (or a superuser) could do around the trigger: change entry `seq`, optionally re-hash the rest. */
async function tamper(orgId: string, seq: number, rehash: boolean) {
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  try {
    await t.owner`update consent_records set state = 'refused', event = 'authorisation_refused' where org_id = ${orgId} and seq = ${seq}`
    if (rehash) {
      const rows = await t.db.select().from(consentRecords).where(eq(consentRecords.orgId, orgId)).orderBy(asc(consentRecords.seq))
      let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64)
      for (const r of rows.filter((r) => r.seq >= seq)) {
        const hash = hashEntry({ ...r, prevHash: prev, details: (r.details as Record<string, string>) ?? undefined })
        await t.owner`update consent_records set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`
        prev = hash
      }
    }
  } finally {
    await t.owner`alter table consent_records enable trigger consent_records_append_only`
  }
}

test('the daily job signs each chain head once a day, only when it moved, with the Ed25519 signing key', async () => {
  clock = useFakeClock('2027-03-10T08:00:00Z')
  const { org, child } = await schoolWithLog(3)
  const first = await runJob(consentCheckpointJob, {}, { log: quiet, jobId: undefined, attempt: 1 })
  expect(first.written).toBeGreaterThanOrEqual(1)
  const [cp] = await t.db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, org.id))
  expect(cp).toMatchObject({ seq: 3, headHash: ((await verifyChain(t.db, org.id)) as { head: string }).head })
  expect(cp).toMatchObject({ algorithm: 'Ed25519', keyFingerprint: signingKey().fingerprint, hmac: null })
  expect(checkSignature(cp!)).toEqual({ ok: true, legacy: false })
  // Same day again, or the next day with nothing new: nothing more is written.
  await writeDailyCheckpoints(t.db)
  clock.advance(DAY)
  await writeDailyCheckpoints(t.db)
  expect(await t.db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, org.id))).toHaveLength(1)
  // A new entry, next day: a new checkpoint at the new head.
  await appendConsent(t.db, { orgId: org.id, event: 'authorisation_withdrawn', state: 'withdrawn', subjectId: child.id, method: 'email' })
  clock.advance(DAY)
  await writeDailyCheckpoints(t.db)
  const all = await t.db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, org.id)).orderBy(asc(consentCheckpoints.seq))
  expect(all.map((c) => c.seq)).toEqual([3, 4])
  // Checkpoints are evidence: the app's role may not change them, and the owner's trigger refuses to.
  await expect(t.sql`update consent_checkpoints set seq = 1 where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.sql`delete from consent_checkpoints where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.owner`update consent_checkpoints set seq = 1 where org_id = ${org.id}`).rejects.toThrow(/append-only/)
  await expect(t.owner`delete from consent_checkpoints where org_id = ${org.id}`).rejects.toThrow(/append-only/)
})

test('an UPDATE on the log fails; tampering with one entry is reported at that entry by the DPO page and the CLI', async () => {
  const { org, cookie } = await schoolWithLog(6)
  await expect(t.sql`update consent_records set method = 'email' where org_id = ${org.id} and seq = 2`).rejects.toThrow(/permission denied/)
  await expect(t.sql`delete from consent_records where org_id = ${org.id}`).rejects.toThrow(/permission denied/)

  const params = { orgId: org.id }
  const ok = await post(page.action, `/org/${org.id}/dpo/consent-log`, params, cookie, { intent: 'verify' })
  expect(ok).toMatchObject({ status: 'success', for: 'verify', message: expect.stringMatching(/^Chaîne intacte\. 6 entrées recalculées/) })

  await tamper(org.id, 4, false)
  const broken = await post(page.action, `/org/${org.id}/dpo/consent-log`, params, cookie, { intent: 'verify' })
  expect(broken.error['']).toEqual(["Chaîne rompue à l'entrée n° 4 : Le contenu de cette entrée a été modifié après son inscription."])
  const out: string[] = []
  const code = await COMMANDS['verify-log']!.run(['--org', org.id], { out: (s) => out.push(s), err: (s) => out.push(s) })
  expect(code).toBe(1)
  expect(out.join('\n')).toContain('BROKEN at entry #4')
  // The verification itself is audited, with its outcome.
  const audits = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'consent_log.verify')))
  expect(audits.map((a) => a.outcome).sort()).toEqual(['failure', 'success'])
  // Carnet refuses to sign a broken chain.
  expect(await writeCheckpoint(t.db, org.id)).toMatchObject({ written: false, reason: 'chain_broken' })
})

test('a chain rewritten with recomputed hashes passes verifyChain but not the signed checkpoint the school holds', async () => {
  const { org, cookie } = await schoolWithLog(5)
  const r = await writeCheckpoint(t.db, org.id)
  expect(r.written).toBe(true)
  const held = JSON.parse(JSON.stringify(checkpointJson((r as { checkpoint: typeof consentCheckpoints.$inferSelect }).checkpoint, 'École')))
  expect(await verifyHeldCheckpoint(t.db, org.id, held)).toMatchObject({ ok: true, seq: 5 })
  // A forged file (changed seq) fails on its signature.
  expect(await verifyHeldCheckpoint(t.db, org.id, { ...held, seq: 4 })).toMatchObject({ ok: false, reason: 'bad_signature' })

  await tamper(org.id, 2, true)
  expect((await verifyChain(t.db, org.id)).ok).toBe(true)
  expect(await verifyHeldCheckpoint(t.db, org.id, held)).toMatchObject({ ok: false, reason: 'hash_mismatch', seq: 5 })
  expect((await verifyConsentLog(t.db, org.id)).checkpoints.firstMismatch).toEqual({ seq: 5, reason: 'hash_mismatch' })
  const reply = await post(page.action, `/org/${org.id}/dpo/consent-log`, { orgId: org.id }, cookie, { intent: 'verify' })
  expect(reply.error[''][0]).toMatch(/point de contrôle signé n° 5 : elle a été réécrite/)
  // The held file, uploaded on the page.
  const fd = new FormData()
  fd.set('intent', 'held')
  fd.set('file', new Blob([JSON.stringify(held)], { type: 'application/json' }), 'checkpoint.json')
  const up = await post(page.action, `/org/${org.id}/dpo/consent-log`, { orgId: org.id }, cookie, fd)
  expect(up).toMatchObject({ status: 'error', for: 'held' })
  expect(up.error[''][0]).toMatch(/L'entrée n° 5 du journal ne correspond plus à ce point de contrôle : le journal a été réécrit/)
})

test('filters by child, class, kind and period; CSV (UTF-8 BOM) and PDF exports of the selection; checkpoint JSON download', async () => {
  clock = useFakeClock('2027-01-05T10:00:00Z')
  const org = await makeOrg(t.db)
  const a = await makeClass(t.db, org.id, 'CP A')
  const b = await makeClass(t.db, org.id, 'CE1 B')
  const zoe = await makeChild(t.db, { orgId: org.id, classId: a.id, firstName: 'Zoé' })
  const omer = await makeChild(t.db, { orgId: org.id, classId: b.id, firstName: 'Ömer' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  await appendConsent(t.db, { orgId: org.id, event: 'guardians_informed', state: 'recorded', method: 'letter', documentVersion: 'notice-2026', details: { classId: a.id } })
  await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', subjectId: zoe.id, method: 'paper_form', details: { classId: a.id } })
  clock.set('2027-02-10T10:00:00Z')
  await appendConsent(t.db, { orgId: org.id, event: 'authorisation_refused', state: 'refused', subjectId: omer.id, method: 'paper_form', details: { classId: b.id } })
  await appendConsent(t.db, { orgId: org.id, event: 'authorisation_withdrawn', state: 'withdrawn', subjectId: zoe.id, method: 'email' })
  const params = { orgId: org.id }
  const cookie = await cookieFor(t.db, dpo) // sessions follow the (fake) clock: open it now
  const seqs = async (q: string) => ((await get(page.loader, `/org/${org.id}/dpo/consent-log?${q}`, params, cookie)) as { rows: { seq: number }[] }).rows.map((r) => r.seq).sort()

  expect(await seqs('')).toEqual([1, 2, 3, 4])
  expect(await seqs(`subject=${zoe.id}`)).toEqual([2, 4])
  expect(await seqs(`subject=${zoe.id}&subjectId=${omer.id}`)).toEqual([3]) // the typed id wins
  expect(await seqs(`class=${a.id}`)).toEqual([1, 2, 4])
  expect(await seqs(`class=${b.id}`)).toEqual([3])
  expect(await seqs('event=authorisation_refused')).toEqual([3])
  expect(await seqs('from=2027-02-01&to=2027-02-28')).toEqual([3, 4])
  expect(await seqs('from=2027-01-01&to=2027-01-31')).toEqual([1, 2])

  const csv = (await get(exportRoute.loader, `/org/${org.id}/dpo/consent-log/export?format=csv&class=${a.id}`, params, cookie)) as Response
  expect(csv.headers.get('content-type')).toContain('text/csv')
  const bytes = await bytesOf(csv)
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = new TextDecoder()
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
  expect(lines[0]).toMatch(/^seq,at,event,state,subject_id/)
  expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['guardians_informed', 'authorisation_obtained', 'authorisation_withdrawn'])
  expect(lines.join('\n')).not.toContain('Zoé') // ids only

  const pdf = (await get(exportRoute.loader, `/org/${org.id}/dpo/consent-log/export?format=pdf&subject=${omer.id}`, params, cookie)) as Response
  expect(pdf.headers.get('content-type')).toBe('application/pdf')
  const text = (await extractPdfText(await bytesOf(pdf))).join('\n')
  expect(text).toContain('Autorisation refusée')
  expect(text).not.toContain('Autorisation obtenue')

  await writeCheckpoint(t.db, org.id)
  const json = (await get(checkpointRoute.loader, `/org/${org.id}/dpo/consent-log/checkpoint`, params, cookie)) as Response
  expect(json.headers.get('content-disposition')).toMatch(/attachment; filename="carnet-checkpoint-4-/)
  const body = await json.json()
  expect(body).toMatchObject({ format: 'carnet-consent-checkpoint', seq: 4, algorithm: 'Ed25519', publicKeyFingerprint: signingKey().fingerprint })
  expect(await verifyHeldCheckpoint(t.db, org.id, body)).toMatchObject({ ok: true })
  // Exports are audited.
  const exports = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'export.consent_log')))
  expect(exports).toHaveLength(2)
})

test('the DPO page shows the public key; an uploaded checkpoint is checked through the policy, audited and size-limited', async () => {
  const { org, cookie } = await schoolWithLog(3)
  const url = `/org/${org.id}/dpo/consent-log`
  const params = { orgId: org.id }
  const data = await get(page.loader, url, params, cookie)
  expect(data.key.pem).toBe(signingKey().publicKeyPem)
  expect(data.key.fingerprint.replace(/ /g, '')).toBe(signingKey().fingerprint)
  const held = checkpointJson((await writeCheckpoint(t.db, org.id)).checkpoint!, 'École')
  const upload = (content: string, name = 'checkpoint.json') => {
    const fd = new FormData()
    fd.set('intent', 'held')
    fd.set('file', new Blob([content], { type: 'application/json' }), name)
    return post(page.action, url, params, cookie, fd)
  }
  const ok = await upload(JSON.stringify(held))
  expect(ok).toMatchObject({ status: 'success', for: 'held', message: expect.stringContaining("l'entrée n° 3 du journal n'a pas changé") })
  // No file: said on the field.
  const none = new FormData()
  none.set('intent', 'held')
  expect((await post(page.action, url, params, cookie, none)).error.file).toEqual(['Choisissez le fichier JSON du point de contrôle à vérifier.'])
  // 200 KB sent (no Content-Length: counted on the bytes read): refused unread, for the whole form.
  const big = await upload(' '.repeat(200 * 1024))
  expect(big).toMatchObject({ status: 'error', for: 'held' })
  expect(big.error[''][0]).toContain('trop volumineux')
  // A forged file: its signature.
  const forged = await upload(JSON.stringify({ ...held, headHash: '0'.repeat(64) }))
  expect(forged.error[''][0]).toMatch(/Signature invalide/)
  const audits = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'consent_log.verify_checkpoint')))
  expect(audits.map((a) => [a.outcome, (a.details as { result: string }).result]).sort()).toEqual([
    ['failure', 'bad_signature'],
    ['failure', 'too_large'],
    ['success', 'ok'],
  ])
  // A teacher of the school may not use the page: the policy refuses, and the refusal is audited.
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const refused = await (async () => {
    const fd = new FormData()
    fd.set('intent', 'held')
    fd.set('file', new Blob([JSON.stringify(held)]), 'c.json')
    return post(page.action, url, params, await cookieFor(t.db, teacher), fd)
  })()
  expect(refused).toBeInstanceOf(Response)
  expect((refused as Response).status).toBe(403)
})
