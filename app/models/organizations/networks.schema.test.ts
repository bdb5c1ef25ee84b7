import { expect, test } from 'vitest'
import { NETWORK_CEILING } from '~/auth/throttle.server'
import { CEILING_BOUNDS, addNetworkSchema } from './networks.schema'

test('the form refuses the ceilings the throttle refuses, and accepts its default', () => {
  expect(CEILING_BOUNDS).toEqual({ min: NETWORK_CEILING.min, max: NETWORK_CEILING.max })
  const ok = (ceiling: number) => addNetworkSchema.safeParse({ label: 'Wi-Fi', cidr: '203.0.113.7', ceiling }).success
  expect(ok(NETWORK_CEILING.default)).toBe(true)
  expect(ok(NETWORK_CEILING.min - 1)).toBe(false)
  expect(ok(NETWORK_CEILING.max + 1)).toBe(false)
})
