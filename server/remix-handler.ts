// Remix behind Express, with a ceiling on every request body counted on the bytes actually
// read (not on Content-Length, which a chunked upload does not send). Past the ceiling the
// request gets a 413 in the person's language at once, the rest of the body is discarded
// unread and the connection is closed: an upload is never buffered whole in memory.
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from '@remix-run/node'
import type { NextFunction, Request, Response } from 'express'
import { reportDatabaseError } from '../app/db.server'
import { PayloadTooLarge } from '../app/errors.server'
import type { RouteAccess } from '../app/permissions/access'
import { refuseMalformedIds } from '../app/permissions/route-params.server'
import { pickLang, t } from '../app/i18n'
import { MAX_ACTIVITY_FORM_BYTES } from '../app/models/learning/constants'
import { MAX_UPLOAD_BYTES } from '../app/models/roster-import/source.server'

const MB = 1024 * 1024
/** Every form that carries no file: far more than any of them needs. */
export const DEFAULT_BODY_LIMIT = MB
/**
 * Routes that accept files: their ceiling here is a little above their own (their form is read
 * through app/ui/body.server.ts with the exact one, so the person sees the form's message).
 */
const BODY_LIMITS: { path: RegExp; bytes: number }[] = [
  { path: /^\/org\/[^/]+\/import(\.data)?\/?$/, bytes: MAX_UPLOAD_BYTES + MB },
  { path: /^\/org\/[^/]+\/classes\/[^/]+\/activities\/new(\.data)?\/?$/, bytes: MAX_ACTIVITY_FORM_BYTES + MB },
]

export function bodyLimitFor(pathname: string) {
  return BODY_LIMITS.find((l) => l.path.test(pathname))?.bytes ?? DEFAULT_BODY_LIMIT
}

/**
 * The request body as a web stream that stops at `limit`: past it, `onExceeded` answers and
 * the stream errors; whatever else arrives is read and dropped, never kept.
 */
function limitedBody(req: Request, limit: number, onExceeded: () => void): ReadableStream<Uint8Array> {
  let seen = 0
  let done = false
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (done) return
          seen += chunk.length
          if (seen > limit) {
            done = true
            onExceeded()
            controller.error(new PayloadTooLarge(limit))
            return
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
          if ((controller.desiredSize ?? 1) <= 0) req.pause()
        })
        req.once('end', () => {
          if (done) return
          done = true
          controller.close()
        })
        req.once('error', (e) => {
          if (done) return
          done = true
          controller.error(e)
        })
      },
      pull() {
        req.resume()
      },
      cancel() {
        // The route stopped reading (its own ceiling, or it did not need the body): drop the rest.
        done = true
        req.resume()
      },
    },
    { highWaterMark: 256 * 1024, size: (chunk) => chunk.byteLength },
  )
}

// As @remix-run/express does it (its helpers are not exported).
function remixHeaders(req: Request) {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v)
  }
  return headers
}

async function sendResponse(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  // Remix keeps a thrown response's headers only for its cookies: the 503's own is set here.
  if (response.status === 503 && !response.headers.has('retry-after')) res.set('Retry-After', String(RETRY_AFTER_SECONDS))
  for (const [key, value] of response.headers.entries()) res.append(key, value)
  if (response.headers.get('content-type')?.match(/text\/event-stream/i)) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}

function tooLarge(req: Request, res: Response, limit: number) {
  if (res.headersSent) return
  const lang = pickLang(new globalThis.Request('http://carnet.internal/', { headers: remixHeaders(req) }))
  res
    .status(413)
    .set('Connection', 'close')
    .type('text/plain; charset=utf-8')
    .send(t(lang, 'upload.too_big', { mb: Math.max(1, Math.round(limit / MB)) }))
  // Whoever keeps sending after the answer is cut off.
  res.once('finish', () => setTimeout(() => req.socket.destroy(), 2000).unref())
}

type DataFunction = (args: { request: globalThis.Request; params: Record<string, string | undefined>; context: unknown }) => unknown

/** Seconds a client is told to wait while the database is away (the Retry-After header). */
const RETRY_AFTER_SECONDS = 30

/**
 * The database is away: a 503 that the root error boundary shows as "temporarily unavailable,
 * try again in a few minutes" in the person's language (no account to read it from: the cookie
 * or the browser's), never a stack trace. Retry-After is set on every 503 (remixHandler).
 */
function databaseUnavailable(request: globalThis.Request): globalThis.Response {
  return new globalThis.Response(JSON.stringify({ reason: 'database_unavailable', lang: pickLang(request) }), {
    status: 503,
    statusText: 'Service Unavailable',
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(RETRY_AFTER_SECONDS) },
  })
}

/**
 * The routes as Remix runs them, with three rules no route has to remember: an id in the path
 * that is not a UUID is a 404 (audited for a signed-in person); a GET on an action-only
 * route is a 405 — a plain answer, not an error with its stack trace in the log; and a loader
 * or action that cannot reach the database answers 503 (ADR 017).
 */
export function guardRoutes(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const mod = route.module as unknown as Record<string, unknown> & { handle?: { access?: RouteAccess } }
    const access = mod.handle?.access
    const guard =
      (fn: DataFunction): DataFunction =>
      async (args) => {
        try {
          await refuseMalformedIds(args.request, args.params, access)
          return await fn(args)
        } catch (e) {
          if (reportDatabaseError(e)) throw databaseUnavailable(args.request)
          throw e
        }
      }
    const module: Record<string, unknown> = { ...mod }
    if (typeof mod.loader === 'function') module.loader = guard(mod.loader as DataFunction)
    else if (typeof mod.action === 'function' && !mod.default) {
      module.loader = ({ request }: { request: globalThis.Request }) => {
        throw new globalThis.Response(t(pickLang(request), 'error.method_not_allowed'), {
          status: 405,
          statusText: 'Method Not Allowed',
          headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' },
        })
      }
    }
    if (typeof mod.action === 'function') module.action = guard(mod.action as DataFunction)
    routes[id] = { ...route, module: module as never }
  }
  return { ...build, routes }
}

export function remixHandler(build: ServerBuild, mode = process.env.NODE_ENV) {
  const handleRequest = createRequestHandler(guardRoutes(build), mode)
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const limit = bodyLimitFor(req.path)
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      if (hasBody && Number(req.get('content-length') ?? 0) > limit) {
        // Said before anything is read: the body is discarded with the connection.
        req.resume()
        return tooLarge(req, res, limit)
      }
      // Loaders and actions stop once no answer can be written (closed before finishing).
      const controller = new AbortController()
      let finished = false
      res.on('finish', () => (finished = true))
      res.on('close', () => finished || controller.abort())
      const url = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`)
      const request = new globalThis.Request(url, {
        method: req.method,
        headers: remixHeaders(req),
        signal: controller.signal,
        ...(hasBody && {
          body: limitedBody(req, limit, () => {
            controller.abort(new PayloadTooLarge(limit))
            tooLarge(req, res, limit)
          }),
          duplex: 'half',
        }),
      } as RequestInit)
      // A document request renders HTML: its loaders may leave server islands for the render
      // (app/ui/server-island.tsx). A data request (`.data`) gets none and ships data only.
      const document = !url.pathname.endsWith('.data') && !url.searchParams.has('_data')
      const response = await handleRequest(request, document ? { islands: new Map<string, string>() } : {})
      if (res.headersSent) return
      await sendResponse(res, response)
    } catch (error) {
      if (res.headersSent) return
      next(error)
    }
  }
}
