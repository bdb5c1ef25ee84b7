// The development mailbox shows every reset and invitation link: it is served only outside
// production and only to a browser on the machine itself. Production refuses to start without
// SMTP_URL unless told so, naming what is missing.
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isLoopback, productionConfigProblems } from '~/config.server'
import { queueMail } from '~/mail/outbox.server'
import { loader as mailboxLoader } from '~/routes/dev.mailbox'
import { startTestServer } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer('0.0.0.0')
  delete process.env.SMTP_URL
  await queueMail(t.db, { to: 'parent@example.org', subject: 'Réinitialisation', text: 'http://localhost/reset-password/secret-token' })
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

/** An address of this machine that is not loopback, if it has one. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address

describe('/dev/mailbox', () => {
  test('served to a browser on this machine', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/dev/mailbox.data`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('secret-token')
  })

  test.runIf(external)('not served to a client on the network, even one sending a forged peer header', async () => {
    for (const headers of [{}, { 'x-carnet-remote-addr': '127.0.0.1' }, { 'x-forwarded-for': '127.0.0.1' }] as Record<string, string>[]) {
      const res = await fetch(`http://${external}:${app.port}/dev/mailbox`, { headers })
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('secret-token')
    }
  })

  test('the loader refuses any peer that is not loopback, and production', async () => {
    const call = (addr: string) => mailboxLoader({ request: new Request('http://localhost/dev/mailbox', { headers: { 'x-carnet-remote-addr': addr } }), params: {}, context: {} })
    for (const addr of ['192.0.2.5', '10.0.0.1', 'fd00::2', 'unknown', '']) await expect(call(addr)).rejects.toMatchObject({ status: 404 })
    await expect(call('::ffff:127.0.0.1')).resolves.toMatchObject({ mails: expect.any(Array) })
    const env = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      await expect(call('127.0.0.1')).rejects.toMatchObject({ status: 404 })
    } finally {
      process.env.NODE_ENV = env
    }
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true)
    expect(['192.0.2.5', '128.0.0.1', '::2', '', null].some(isLoopback)).toBe(false)
  })
})

describe('production settings', () => {
  test('without SMTP_URL, production needs CARNET_ALLOW_NO_SMTP=1; outside production nothing is required', () => {
    const base = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(64) } as NodeJS.ProcessEnv
    expect(productionConfigProblems(base).join()).toMatch(/SMTP_URL is not set.*CARNET_ALLOW_NO_SMTP=1/)
    expect(productionConfigProblems({ ...base, CARNET_ALLOW_NO_SMTP: '1' })).toEqual([])
    expect(productionConfigProblems({ ...base, SMTP_URL: 'smtp://mail.example.org:25' })).toEqual([])
    expect(productionConfigProblems({ NODE_ENV: 'development' } as NodeJS.ProcessEnv)).toEqual([])
  })

  test.each([
    ['the web server', 'server/main.ts'],
    ['the worker process', 'server/workers-main.ts'],
  ])('%s refuses to start, naming SMTP_URL (and SESSION_SECRET), before touching anything', async (_who, entry) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../..', entry)], { env, cwd: path.resolve(__dirname, '../..') })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code).toBe(1)
    expect(out).toMatch(/cannot start in production/)
    expect(out).toMatch(/SMTP_URL is not set.*CARNET_ALLOW_NO_SMTP=1/)
    expect(out).toMatch(/SESSION_SECRET is not set/)
    expect(out).not.toMatch(/\n\s+at /) // a plain message, no stack trace
  })
})
