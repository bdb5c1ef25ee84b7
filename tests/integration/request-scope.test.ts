// The root loader and the route's loader of one page request share one session check and one
// principal (app/permissions/request-scope.server.ts); a POST, whose action may change the
// session, does not; and the HTTP layer opens one scope per request.
import express from 'express'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSession, invalidateSession } from '~/auth/session.server'
import { getOptionalUser, requireAbility } from '~/permissions/request.server'
import { oncePerRequest, runInRequestScope } from '~/permissions/request-scope.server'
import { requestScope } from '../../server/http'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function signedInUser() {
  const org = await makeOrg(t.db, 'school')
  const user = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const { token, session } = await createSession(t.db, user.id, { kind: 'adult' })
  const req = () => new Request('http://localhost/home', { headers: { cookie: `carnet_session=${token}` } })
  return { user, session, req }
}

describe('one session check per page request', () => {
  test('in a GET scope, the root loader and the route loader get the same principal; a revocation mid-request is seen by the next request', async () => {
    const { user, session, req } = await signedInUser()
    await runInRequestScope('GET', async () => {
      const root = await getOptionalUser(req())
      await invalidateSession(t.db, session.id)
      const route = await requireAbility(req()) // the check made for the root loader stands
      expect(root!.user.id).toBe(user.id)
      expect(route.principal).toBe(root!.principal)
      expect(route.ability).toBe(root!.ability)
    })
    await runInRequestScope('GET', async () => {
      expect(await getOptionalUser(req())).toBeNull()
    })
  })

  test('a POST shares nothing: its action may end the session the loaders then check', async () => {
    const { session, req } = await signedInUser()
    await runInRequestScope('POST', async () => {
      const action = await requireAbility(req())
      expect(action.session.id).toBe(session.id)
      await invalidateSession(t.db, session.id)
      const thrown = await requireAbility(req()).catch((e: unknown) => e)
      expect(thrown).toBeInstanceOf(Response)
      expect((thrown as Response).headers.get('location')).toMatch(/^\/login\?next=/)
    })
  })

  test('outside a scope (CLI, jobs) every call checks afresh', async () => {
    const { req } = await signedInUser()
    const a = await requireAbility(req())
    const b = await requireAbility(req())
    expect(a.principal).not.toBe(b.principal)
    expect(a.principal).toEqual(b.principal)
  })

  test('the HTTP layer opens a fresh scope for every request', async () => {
    let made = 0
    const app = express()
    app.use(requestScope)
    app.get('/', async (_req, res) => {
      const twice = await Promise.all([oncePerRequest('k', async () => ++made), oncePerRequest('k', async () => ++made)])
      res.json(twice)
    })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      expect(await (await fetch(url)).json()).toEqual([1, 1])
      expect(await (await fetch(url)).json()).toEqual([2, 2])
    } finally {
      server.close()
    }
  })
})
