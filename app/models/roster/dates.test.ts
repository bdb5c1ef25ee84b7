import { describe, expect, it } from 'vitest'
import { parseBirthDate } from './dates.server'

const today = '2025-09-01'

describe('parseBirthDate', () => {
  it.each([
    ['03/04/2019', '2019-04-03'],
    ['3/4/2019', '2019-04-03'],
    ['03-04-2019', '2019-04-03'],
    ['03.04.2019', '2019-04-03'],
    ['2019-04-03', '2019-04-03'],
    [' 29/02/2020 ', '2020-02-29'],
  ])('reads %s day first or ISO', (input, iso) => {
    expect(parseBirthDate(input, today)).toEqual({ ok: true, iso })
  })

  it.each([
    ['31/02/2019', 'impossible'],
    ['29/02/2019', 'impossible'],
    ['12/13/2019', 'impossible'],
    ['2019-00-10', 'impossible'],
    ['02/09/2025', 'in_future'],
    ['2031-01-01', 'in_future'],
    ['1919-04-03', 'too_old'],
    ['12/03/19', 'unrecognized_format'],
    ['2019/03/12', 'unrecognized_format'],
    ['03/04-2019', 'unrecognized_format'],
    ['43535', 'unrecognized_format'],
    ['', 'missing'],
    ['   ', 'missing'],
  ])('rejects %s as %s', (input, reason) => {
    expect(parseBirthDate(input, today)).toEqual({ ok: false, reason })
  })

  it('accepts today and ages up to 25, not 26', () => {
    expect(parseBirthDate('01/09/2025', today).ok).toBe(true)
    expect(parseBirthDate('02/09/1999', today)).toEqual({ ok: true, iso: '1999-09-02' }) // 25 until tomorrow
    expect(parseBirthDate('01/09/1999', today)).toEqual({ ok: false, reason: 'too_old' }) // 26 today
  })

  it('takes today as a Date (its UTC day)', () => {
    const now = new Date('2025-09-01T10:00:00Z')
    expect(parseBirthDate('01/09/2025', now).ok).toBe(true)
    expect(parseBirthDate('02/09/2025', now)).toEqual({ ok: false, reason: 'in_future' })
  })
})
