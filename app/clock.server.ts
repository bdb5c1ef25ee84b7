// Every deadline in Carnet is computed from this clock, so tests can drive
// 24 hours, 48 hours or six months in milliseconds.
let override: (() => Date) | null = null

export function now(): Date {
  return override ? override() : new Date()
}

/** Test helper: freeze or move the clock. Returns a controller. */
export function useFakeClock(start: Date | string) {
  let current = new Date(start)
  override = () => new Date(current)
  return {
    set(at: Date | string) {
      current = new Date(at)
    },
    advance(ms: number) {
      current = new Date(current.getTime() + ms)
    },
    restore() {
      override = null
    },
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
