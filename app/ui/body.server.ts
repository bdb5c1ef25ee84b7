// Request bodies read with a ceiling on the bytes actually received: a chunked upload (no
// Content-Length) or one that lies about its length is stopped as soon as it passes the
// ceiling, never buffered whole. server/http.ts caps every request the same way (413); routes
// that accept files read their form through here with their own, lower, ceiling so the
// person gets the form's own message.
import { PayloadTooLarge } from '../errors.server'

/** A stream that passes bytes through until `maxBytes`, then errors with PayloadTooLarge. */
export function byteCeiling(maxBytes: number, onExceeded?: () => void) {
  let seen = 0
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength
      if (seen > maxBytes) {
        onExceeded?.()
        controller.error(new PayloadTooLarge(maxBytes))
        return
      }
      controller.enqueue(chunk)
    },
  })
}

/** The request's form, read with a ceiling of `maxBytes`; throws PayloadTooLarge past it. */
export async function readFormData(request: Request, maxBytes: number): Promise<FormData> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLarge(maxBytes)
  if (!request.body) return request.formData()
  let exceeded = false
  const body = request.body.pipeThrough(byteCeiling(maxBytes, () => (exceeded = true)))
  const limited = new Request(request.url, { method: request.method, headers: request.headers, body, duplex: 'half' } as RequestInit)
  try {
    return await limited.formData()
  } catch (e) {
    if (exceeded) throw new PayloadTooLarge(maxBytes)
    throw e
  }
}
