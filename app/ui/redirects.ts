import { config } from '../config.server'

// Where `next` is resolved: the app's own origin. A value that resolves anywhere else (another
// host, `javascript:`, a scheme-relative `//host`, a backslash or tab that browsers read as a
// slash) is not followed.
const HOME_ORIGIN = 'http://carnet.internal'

/**
 * The page to go to after login, unlock or a language change: a same-origin path (with its
 * query and fragment), or `fallback`. Never throws: control characters, which would make an
 * invalid Location header, send to the fallback too.
 */
export function safeNext(next: string | null | undefined, fallback = '/home') {
  if (typeof next !== 'string' || !next || next.length > 2048) return fallback
  // Browsers drop tabs and newlines inside URLs and read "\" as "/": "/\t/evil" is "//evil".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return fallback
  let path = next
  // An absolute URL naming Carnet's own public address is kept as its path.
  if (!next.startsWith('/')) {
    if (!URL.canParse(next)) return fallback // a bare "evil.example" is not a path
    const own = sameOrigin(next, config.appUrl)
    if (own === null) return fallback
    path = own
  }
  const resolved = sameOrigin(path, HOME_ORIGIN)
  if (resolved === null) return fallback
  // The serialized path must not be read as scheme-relative either ("/.//evil" → "//evil"),
  // nor become so once decoded by a proxy ("/%2F%2Fevil").
  if (/^\/[/\\]/.test(resolved) || /^\/[/\\]/.test(safeDecode(resolved))) return fallback
  return resolved
}

function sameOrigin(value: string, origin: string): string | null {
  let url: URL
  try {
    url = new URL(value, origin + '/')
  } catch {
    return null
  }
  if (url.origin !== new URL(origin).origin || url.username || url.password) return null
  return url.pathname + url.search + url.hash
}

function safeDecode(s: string) {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
