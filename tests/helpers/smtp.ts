// A real SMTP server on this machine (the smtp-server package) for tests and benchmarks: it
// records what it accepted, can refuse recipients (temporarily or for good), and can answer
// every command after a delay, like a slow provider.
import { SMTPServer } from 'smtp-server'
import { SMTPConnection } from 'smtp-server/lib/smtp-connection'
import { freePort } from '../../server/embedded-postgres'

export type ReceivedMail = { to: string; subject: string; messageId: string; raw: string }
export type Refusal = { code: number; message: string }

// Each command's answer (EHLO, MAIL, RCPT, DATA, QUIT…) after the server's `commandDelayMs`.
const proto = SMTPConnection.prototype as unknown as { _onCommand: (this: { _server: { options: { commandDelayMs?: number } } }, ...a: unknown[]) => unknown; __delayed?: boolean }
if (!proto.__delayed) {
  const original = proto._onCommand
  proto._onCommand = function (...args: unknown[]) {
    const ms = this._server.options.commandDelayMs ?? 0
    if (!ms) return original.apply(this, args)
    setTimeout(() => original.apply(this, args), ms)
  }
  proto.__delayed = true
}

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(raw)?.[1]?.trim() ?? ''

export async function startSmtp(opts: { port?: number; commandDelayMs?: number; refuse?: (rcpt: string) => Refusal | null } = {}) {
  const port = opts.port ?? (await freePort())
  const received: ReceivedMail[] = []
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // The greeting and the end of DATA are not commands: delayed here.
    async onConnect(_session, callback) {
      if (opts.commandDelayMs) await delay(opts.commandDelayMs)
      callback()
    },
    onRcptTo(address, _session, callback) {
      const refusal = opts.refuse?.(address.address)
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }))
      callback()
    },
    onData(stream, _session, callback) {
      let raw = ''
      stream.on('data', (c) => (raw += c))
      stream.on('end', async () => {
        received.push({ to: header(raw, 'To'), subject: header(raw, 'Subject'), messageId: header(raw, 'Message-ID'), raw })
        if (opts.commandDelayMs) await delay(opts.commandDelayMs)
        callback()
      })
    },
    ...({ commandDelayMs: opts.commandDelayMs ?? 0 } as object),
  })
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
