// `npx carnet <command>`: every command has --help, exits non-zero with a clear message on
// bad input and changes nothing on failure. It reuses the embedded PostgreSQL that
// `npm start` runs on the same DATA_DIR, or starts (and stops) one itself.
import { boot } from '../server/boot'
import { COMMANDS, type Io } from './commands'

const USAGE = `Carnet command line

Usage: npx carnet <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}

Every command accepts --help. Environment: DATABASE_URL (otherwise the embedded PostgreSQL in
DATA_DIR, default .data), REDIS_URL, SESSION_SECRET, SMTP_URL, APP_URL.`

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE)
    return name ? 0 : 1
  }
  const command = COMMANDS[name]
  if (!command) {
    io.err(`Unknown command "${name}". Run "npx carnet --help" for the list.`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help)
    return 0
  }
  const booted = await boot({ migrate: command.migrate !== false })
  try {
    return await command.run(args, io)
  } catch (e) {
    io.err(`carnet ${name}: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  } finally {
    await booted.stop()
  }
}
