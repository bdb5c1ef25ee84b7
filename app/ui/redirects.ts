/** Only same-site paths are followed after login, never an absolute URL (open redirect). */
export function safeNext(next: string | null | undefined, fallback = '/home') {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  return next
}
