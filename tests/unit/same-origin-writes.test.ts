// The cross-site check on writes (server/http.ts): another site's form is refused, Carnet's own
// is not — including from its no-referrer token pages, whose forms the browser posts with
// "Origin: null" while Sec-Fetch-Site (set by the browser, never by a page) says same-origin.
import { expect, test } from 'vitest'
import type { NextFunction, Request, Response } from 'express'
import { sameOriginWrites } from '../../server/http'

function run(method: string, headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  const req = { method, get: (h: string) => lower[h.toLowerCase()] } as unknown as Request
  let status = 0
  const res = {
    status(s: number) {
      status = s
      return res
    },
    type: () => res,
    send: () => res,
  } as unknown as Response
  let passed = false
  sameOriginWrites(req, res, (() => (passed = true)) as NextFunction)
  return passed ? 'passed' : status
}

const host = { host: 'carnet.example.org' }

test('writes from Carnet pass, from elsewhere are refused (403)', () => {
  expect(run('POST', { ...host, origin: 'https://carnet.example.org' })).toBe('passed')
  expect(run('POST', { ...host, origin: 'https://evil.example' })).toBe(403)
  expect(run('POST', { ...host, referer: 'https://evil.example/form' })).toBe(403)
  expect(run('POST', { ...host })).toBe(403)
  expect(run('GET', { ...host, origin: 'https://evil.example' })).toBe('passed')
})

test('"Origin: null" passes only when the browser says the form came from this site', () => {
  expect(run('POST', { ...host, origin: 'null', 'sec-fetch-site': 'same-origin' })).toBe('passed')
  expect(run('POST', { ...host, origin: 'null', 'sec-fetch-site': 'cross-site' })).toBe(403)
  expect(run('POST', { ...host, origin: 'null', 'sec-fetch-site': 'same-site' })).toBe(403)
  expect(run('POST', { ...host, origin: 'null' })).toBe(403)
  // A named foreign origin is refused whatever Sec-Fetch-Site claims.
  expect(run('POST', { ...host, origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' })).toBe(403)
})
