export class UsageError extends Error {}

type Spec = Record<string, 'string' | 'boolean'>

/** Strict flag parsing: an unknown flag or a missing value is an error, never ignored. */
export function parseArgs(args: string[], spec: Spec) {
  const flags: Record<string, string | boolean> = {}
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined]
    const kind = spec[name]
    if (!kind) throw new UsageError(`Unknown option --${name}. Run with --help to see the options.`)
    if (kind === 'boolean') flags[name] = true
    else {
      const value = inline ?? args[++i]
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value.`)
      flags[name] = value
    }
  }
  return { flags, positional }
}

/** What a command prints to (the terminal, or a test's buffer). */
export type Io = { out: (s: string) => void; err: (s: string) => void }
/** One `npx carnet <name>` command: the table in ./index lists them. */
export type Command = { summary: string; help: string; migrate?: boolean; run: (args: string[], io: Io) => Promise<number> }
