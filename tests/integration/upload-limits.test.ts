// Upload ceilings are enforced on the bytes actually read, over real HTTP: a chunked upload
// (no Content-Length) past a route's ceiling is refused with a clear message while the client
// is still sending — it is never buffered whole — and ordinary uploads still go through.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSession } from '~/auth/session.server'
import { MAX_ACTIVITY_FORM_BYTES } from '~/models/learning/constants'
import { MAX_UPLOAD_BYTES } from '~/models/roster-import/source.server'
import { DEFAULT_BODY_LIMIT } from '../../server/remix-handler'
import { startTestServer } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
let orgId: string
let classId: string
let cookie: string
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer()
  const org = await makeOrg(t.db)
  orgId = org.id
  classId = (await makeClass(t.db, org.id)).id
  const admin = await makeAdult(t.db, { orgId, role: 'admin' })
  cookie = `carnet_session=${(await createSession(t.db, admin.id, { kind: 'adult' })).token}`
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

const MB = 1024 * 1024
type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; sentWhenAnswered: number; total: number }

/**
 * A multipart form sent with Transfer-Encoding: chunked (no Content-Length), the file part
 * `fileBytes` long, 64 KiB at a time; stops sending as soon as the server answers.
 */
function chunkedUpload(a: { path: string; fields: Record<string, string>; file: { field: string; name: string; type: string; bytes: number }; contentLength?: number }): Promise<Answer> {
  const boundary = `----carnet${Date.now()}`
  const head =
    Object.entries(a.fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="${a.file.field}"; filename="${a.file.name}"\r\nContent-Type: ${a.file.type}\r\n\r\n`
  const tail = `\r\n--${boundary}--\r\n`
  const total = Buffer.byteLength(head) + a.file.bytes + Buffer.byteLength(tail)
  const url = new URL(a.path, app.url)
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const req = http.request(url, {
      method: 'POST',
      headers: {
        cookie,
        origin: app.url,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(a.contentLength ? { 'content-length': String(a.contentLength) } : { 'transfer-encoding': 'chunked' }),
      },
    })
    req.on('response', (res) => {
      answered = true
      const sentWhenAnswered = sent
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), sentWhenAnswered, total })
      })
    })
    req.on('error', (e) => (answered ? undefined : reject(e)))
    const line = Buffer.from('Martin;Léa;31/01/2019;CP A;;;;\r\n'.padEnd(64, ' '))
    const block = Buffer.alloc(64 * 1024)
    for (let i = 0; i < block.length; i += line.length) line.copy(block, i)
    const write = (b: Buffer) => new Promise<void>((r) => (req.write(b) ? r() : req.once('drain', r)))
    ;(async () => {
      await write(Buffer.from(head))
      sent += Buffer.byteLength(head)
      let left = a.file.bytes
      while (left > 0 && !answered && !req.destroyed) {
        const n = Math.min(left, block.length)
        await write(block.subarray(0, n))
        sent += n
        left -= n
      }
      if (!answered && !req.destroyed) {
        req.end(tail)
        sent += Buffer.byteLength(tail)
      }
    })().catch(() => {})
  })
}

describe('roster import', () => {
  test('a 40 MB chunked roster upload is refused with the form’s message, answered before the client has sent it all', async () => {
    const r = await chunkedUpload({
      path: `/org/${orgId}/import.data`,
      fields: { intent: 'upload', schoolYear: '2026-2027' },
      file: { field: 'file', name: 'eleves.csv', type: 'text/csv', bytes: 40 * MB },
    })
    expect(r.status).toBeLessThan(500)
    expect(r.body).toContain('Le fichier dépasse 20 Mo')
    // Answered at the ceiling (plus what the sockets hold), long before the 40 MB were sent.
    expect(r.sentWhenAnswered).toBeLessThan(MAX_UPLOAD_BYTES + 10 * MB)
  })

  test('a Content-Length above the ceiling is refused before anything is read (413, in the person’s language)', async () => {
    const r = await chunkedUpload({
      path: `/org/${orgId}/import`,
      fields: { intent: 'upload', schoolYear: '2026-2027' },
      file: { field: 'file', name: 'eleves.csv', type: 'text/csv', bytes: 30 * MB },
      contentLength: 30 * MB + 600,
    })
    expect(r.status).toBe(413)
    expect(r.body).toMatch(/Envoi trop volumineux : 21 Mo au plus/)
    expect(r.sentWhenAnswered).toBeLessThan(4 * MB)
  })

  test('an ordinary upload still goes through (here Excel’s “Unicode text”, UTF-16)', async () => {
    const bytes = fs.readFileSync(path.resolve(__dirname, '../../app/models/roster/fixtures/eleves-texte-unicode.txt'))
    const form = new FormData()
    form.set('intent', 'upload')
    form.set('schoolYear', '2026-2027')
    form.set('file', new Blob([bytes], { type: 'text/plain' }), 'eleves.txt')
    const r = await fetch(`${app.url}/org/${orgId}/import`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, origin: app.url } })
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toMatch(new RegExp(`^/org/${orgId}/import\\?id=[0-9a-f-]{36}$`))
  })
})

describe('quiz pictures', () => {
  test('a new activity whose pictures add up past the ceiling, sent chunked, is refused with a form message', async () => {
    const r = await chunkedUpload({
      path: `/org/${orgId}/classes/${classId}/activities/new.data`,
      fields: { kind: 'quiz', title: 'Les animaux', questionCount: '1' },
      file: { field: 'q0.picture', name: 'chat.png', type: 'image/png', bytes: 40 * MB },
    })
    expect(r.status).toBeLessThan(500)
    expect(r.body).toContain('Envoi trop volumineux')
    expect(r.sentWhenAnswered).toBeLessThan(MAX_ACTIVITY_FORM_BYTES + 10 * MB)
  })
})

describe('every other form', () => {
  test('a chunked body past 1 MB on a form without files gets a 413 at once, in the person’s language', async () => {
    const r = await chunkedUpload({
      path: `/org/${orgId}/invitations`,
      fields: { intent: 'invite', email: 'x@example.org', role: 'teacher' },
      file: { field: 'junk', name: 'junk.bin', type: 'application/octet-stream', bytes: 20 * MB },
    })
    expect(r.status).toBe(413)
    expect(r.body).toMatch(/Envoi trop volumineux : 1 Mo au plus/)
    expect(r.sentWhenAnswered).toBeLessThan(DEFAULT_BODY_LIMIT + 8 * MB)
  })

  test('the same on the login form, anonymously', async () => {
    const r = await chunkedUpload({ path: '/login', fields: { identifier: 'x@example.org' }, file: { field: 'password', name: 'p', type: 'text/plain', bytes: 5 * MB } })
    expect(r.status).toBe(413)
  })
})
