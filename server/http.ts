// The HTTP layer around the Remix build: security headers, the cross-site form check, the
// client's address, static assets, request body ceilings (remix-handler.ts). Everything else is Remix.
import type { ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import fs from 'node:fs'
import path from 'node:path'
import { hstsHeader } from '../app/config.server'
import { runInRequestScope } from '../app/permissions/request-scope.server'
import { health } from './health'
import { remixHandler } from './remix-handler'

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self' 'unsafe-inline'", // Remix inlines its hydration data
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join('; '),
  )
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  if (process.env.NODE_ENV === 'production') res.setHeader('Strict-Transport-Security', hstsHeader())
  next()
}

/**
 * SameSite=Lax already keeps the session cookie off cross-site POSTs; this also refuses any
 * non-GET request whose Origin (or Referer) names another site.
 */
export function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next()
  const source = req.get('origin') ?? (req.get('referer') ? new URL(req.get('referer')!).origin : null)
  const host = req.get('host')
  const allowed = new Set([`http://${host}`, `https://${host}`])
  if (process.env.APP_URL) allowed.add(new URL(process.env.APP_URL).origin)
  // A page that sends no referrer (the token pages: invitation, link, status, package) makes the
  // browser post its own forms with "Origin: null"; Sec-Fetch-Site, which no page can set, still
  // says whether the form came from this site.
  if ((!source || source === 'null') && req.get('sec-fetch-site') === 'same-origin') return next()
  if (!source || source === 'null' || !allowed.has(source)) {
    res.status(403).type('text/plain; charset=utf-8').send('Requête refusée : elle ne vient pas de Carnet. / Request refused: cross-site.')
    return
  }
  next()
}

/** The client's address, for audit entries: proxies are trusted only when told to. */
export function clientAddress(req: Request, _res: Response, next: NextFunction) {
  if (!process.env.TRUST_PROXY) delete req.headers['x-forwarded-for']
  req.headers['x-carnet-remote-addr'] = req.socket.remoteAddress ?? 'unknown'
  next()
}

/** One scope per request: the root and route loaders share one session check (ADR 011). */
export function requestScope(req: Request, _res: Response, next: NextFunction) {
  runInRequestScope(req.method, next)
}

/**
 * The build's other public files (favicon.svg, the route manifest, pictures): served from their
 * own paths only, listed once at start-up, so a page request never pays a failed file lookup.
 */
function publicFiles(dir: string): RequestHandler {
  const names = new Set(fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n !== 'assets') : [])
  const serve = express.static(dir, { maxAge: '1h' })
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    const first = req.path.slice(1).split('/', 1)[0]!
    if (!names.has(first)) return next()
    serve(req, res, next)
  }
}

/** `assets`: what serves the browser's files instead of the build's (Vite, in development). */
export function createApp(build: ServerBuild, buildDir: string, opts: { assets?: RequestHandler } = {}) {
  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders, clientAddress)
  if (opts.assets) app.use(opts.assets)
  else {
    app.use('/assets', express.static(path.join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }))
    app.use(publicFiles(path.join(buildDir, 'client')))
  }
  // Liveness (the process answers) and readiness (its database and queue answer): server/health.ts.
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok')
  })
  app.get('/health', (req, res, next) => {
    health(req, res).catch(next)
  })
  app.use(sameOriginWrites)
  app.use(requestScope)
  app.all('*', remixHandler(build))
  return app
}
