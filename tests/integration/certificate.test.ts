// The compliance certificate: computed from the consent log up to a signed checkpoint, per
// class or for the whole school, counts and dates only.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents } from '../../drizzle/schema'
import { appendConsent } from '~/compliance/consent-log.server'
import { certificatePdf, computeCertificate } from '~/privacy/certificate/certificate.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { signingKey } from '~/compliance/signing-key.server'
import * as download from '~/routes/org.$orgId.dpo.certificate.download'
import * as certificatePage from '~/routes/org.$orgId.dpo.certificate'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { bytesOf, cookieFor, get } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function school() {
  const org = await makeOrg(t.db, 'school', 'École des Tilleuls')
  const a = await makeClass(t.db, org.id, 'CM1 A')
  const b = await makeClass(t.db, org.id, 'CM2 B')
  const [a1, a2, a3] = [
    await makeChild(t.db, { orgId: org.id, classId: a.id, firstName: 'Zoé', lastName: 'Müller' }),
    await makeChild(t.db, { orgId: org.id, classId: a.id, firstName: 'Łukasz', lastName: 'Nowak' }),
    await makeChild(t.db, { orgId: org.id, classId: a.id, firstName: 'Ömer', lastName: 'Yılmaz' }),
  ]
  const [b1, b2] = [await makeChild(t.db, { orgId: org.id, classId: b.id, firstName: 'Inès' }), await makeChild(t.db, { orgId: org.id, classId: b.id, firstName: 'Hugo' })]
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const log = (event: Parameters<typeof appendConsent>[1]['event'], state: Parameters<typeof appendConsent>[1]['state'], extra: Partial<Parameters<typeof appendConsent>[1]>) =>
    appendConsent(t.db, { orgId: org.id, event, state, actorId: admin.id, method: 'paper_form', ...extra })
  await log('guardians_informed', 'recorded', { method: 'letter', documentKind: 'notice', documentVersion: 'notice-2026-09', purpose: 'learning_record' })
  await log('guardians_informed', 'recorded', { method: 'email', documentKind: 'notice', documentVersion: 'notice-2026-10', details: { classId: a.id } })
  await log('authorisation_obtained', 'given', { subjectId: a1.id, details: { classId: a.id } })
  await log('authorisation_obtained', 'given', { subjectId: a2.id, details: { classId: a.id } })
  await log('authorisation_withdrawn', 'withdrawn', { subjectId: a2.id, method: 'email', details: { classId: a.id } })
  await log('authorisation_refused', 'refused', { subjectId: b1.id, details: { classId: b.id } })
  await log('authorisation_obtained', 'given', { subjectId: b2.id, details: { classId: b.id } })
  // An entry about another class must not count for class A's informed records.
  await log('guardians_informed', 'recorded', { method: 'meeting', documentVersion: 'notice-b', details: { classId: b.id } })
  return { org, a, b, children: [a1!, a2!, a3!, b1!, b2!], admin }
}

test('per class and whole school: informed records, latest decision per child, pending = enrolled without decision, and the checkpoint', async () => {
  const s = await school()
  const ca = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'class', classId: s.a.id } })
  expect(ca.children).toBe(3)
  expect(ca.informed.map((i) => [i.channel, i.noticeVersion])).toEqual([
    ['letter', 'notice-2026-09'],
    ['email', 'notice-2026-10'],
  ])
  expect(Object.fromEntries(Object.entries(ca.decisions).map(([k, v]) => [k, v.count]))).toEqual({ obtained: 1, refused: 0, withdrawn: 1 })
  expect(ca.pending).toBe(1)
  expect(ca.checkpoint).toMatchObject({ seq: 8 })

  const all = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'school' } })
  expect(all.children).toBe(5)
  expect(all.informed).toHaveLength(3)
  expect(Object.fromEntries(Object.entries(all.decisions).map(([k, v]) => [k, v.count]))).toEqual({ obtained: 2, refused: 1, withdrawn: 1 })
  expect(all.pending).toBe(1)
  // Same head: the same checkpoint is reused, not signed twice.
  expect(all.checkpoint!.id).toBe(ca.checkpoint!.id)

  // A later decision moves the basis to a new checkpoint.
  await appendConsent(t.db, { orgId: s.org.id, event: 'authorisation_obtained', state: 'given', subjectId: s.children[2]!.id, method: 'paper_form', details: { classId: s.a.id } })
  const again = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'class', classId: s.a.id } })
  expect(again.pending).toBe(0)
  expect(again.checkpoint).toMatchObject({ seq: 9 })
})

test('the PDF names no child and no id, and states the checkpoint (seq, head hash, Ed25519 signature) it was computed from and the public key', async () => {
  const s = await school()
  const cert = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'class', classId: s.a.id } })
  const text = (await extractPdfText(await certificatePdf(cert, 'fr'))).join('\n')
  expect(text).toContain('Attestation de conformité')
  expect(text).toContain('CM1 A')
  expect(text).toMatch(/Obtenues\s+1/)
  expect(text).toMatch(/Retirées\s+1/)
  expect(text).toMatch(/En attente \(aucune décision\)\s+1/)
  expect(text).toContain('notice-2026-10')
  expect(text.replace(/\s/g, '')).toContain(cert.checkpoint!.headHash)
  expect(text.replace(/\s/g, '')).toContain(cert.checkpoint!.signature!)
  // The public key and its fingerprint: a school checks a checkpoint file without Carnet.
  const key = signingKey()
  expect(text.replace(/\s/g, '')).toContain(key.fingerprint)
  expect(text.replace(/\s/g, '')).toContain(key.publicKeyPem.replace(/\s/g, ''))
  for (const c of s.children) {
    expect(text).not.toContain(c.firstName)
    expect(text).not.toContain(c.lastName)
    expect(text.replace(/\s/g, '')).not.toContain(c.id)
  }
})

test('a broken chain gets no certificate; the download route is the DPO/admin’s and is audited', async () => {
  const s = await school()
  const cookie = await cookieFor(t.db, s.admin)
  const res = (await get(download.loader, `/org/${s.org.id}/dpo/certificate/download?class=${s.b.id}`, { orgId: s.org.id }, cookie)) as Response
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/pdf')
  expect((await extractPdfText(await bytesOf(res))).join('\n')).toContain('CM2 B')
  const audits = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, s.org.id), eq(auditEvents.action, 'export.certificate')))
  expect(audits).toHaveLength(1)

  const teacher = await makeAdult(t.db, { orgId: s.org.id, role: 'teacher' })
  expect(((await get(download.loader, `/org/${s.org.id}/dpo/certificate/download`, { orgId: s.org.id }, await cookieFor(t.db, teacher))) as Response).status).toBe(403)

  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  await t.owner`update consent_records set state = 'given' where org_id = ${s.org.id} and seq = 5`
  await t.owner`alter table consent_records enable trigger consent_records_append_only`
  await expect(computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'school' } })).rejects.toMatchObject({ code: 'dpo.cert.chain_broken' })
})

test('the certificate page: counts per decision for the chosen class, the checkpoint it rests on and the signing key’s fingerprint', async () => {
  const s = await school()
  const cookie = await cookieFor(t.db, s.admin)
  const data = await get(certificatePage.loader, `/org/${s.org.id}/dpo/certificate?class=${s.a.id}`, { orgId: s.org.id }, cookie)
  expect(data.classId).toBe(s.a.id)
  expect(Object.fromEntries(data.cert.decisions.map((d: { state: string; count: number }) => [d.state, d.count]))).toEqual({ obtained: 1, refused: 0, withdrawn: 1, pending: 1 })
  expect(data.cert.checkpoint).toMatchObject({ seq: 8, legacy: false })
  expect(data.key).toEqual({ algorithm: 'Ed25519', fingerprint: signingKey().fingerprint.match(/.{4}/g)!.join(' ') })
  // Another class id than the school's: the whole school.
  const other = await get(certificatePage.loader, `/org/${s.org.id}/dpo/certificate?class=${crypto.randomUUID()}`, { orgId: s.org.id }, cookie)
  expect(other.classId).toBe('')
})

test('the certificate states when Carnet signed the checkpoint it rests on, in the reader’s language and format', async () => {
  const s = await school()
  const cert = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'school' } })
  const signedAt = cert.checkpoint!.signedAt
  const flat = async (lang: 'fr' | 'en') => (await extractPdfText(await certificatePdf(cert, lang))).join(' ').replace(/\s+/g, ' ')
  const fr = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(signedAt)
  const en = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(signedAt)
  expect(await flat('fr')).toContain(`signée par Carnet le ${fr}.`.replace(/\s+/g, ' '))
  expect(await flat('en')).toContain(`whose head Carnet signed on ${en}.`.replace(/\s+/g, ' '))
})
