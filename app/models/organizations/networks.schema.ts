// The networks page's forms, for the browser and the server: declare a network (a name, an
// address or CIDR, a ceiling within Carnet's bounds) or remove one. addNetwork checks the same
// again, and what only the server knows (the prefix is not too wide, the network is new).
import { z } from 'zod'
import { msg, STALE } from '../../i18n/form-message'

/** The bounds of a network's ceiling; the same as NETWORK_CEILING in auth/throttle.server (a test checks). */
export const CEILING_BOUNDS = { min: 20, max: 2000 } as const

const ceilingRange = msg('networks.ceiling_range', CEILING_BOUNDS)

export const addNetworkSchema = z.object({
  label: z.string({ error: 'networks.label_required' }).trim().min(1, 'networks.label_required').max(80, 'networks.label_required'),
  cidr: z.string({ error: 'networks.invalid_cidr' }).trim().min(1, 'networks.invalid_cidr').max(64, 'networks.invalid_cidr'),
  ceiling: z.number({ error: ceilingRange }).int(ceilingRange).min(CEILING_BOUNDS.min, ceilingRange).max(CEILING_BOUNDS.max, ceilingRange),
})

export const removeNetworkSchema = z.object({ networkId: z.uuid({ error: STALE }) })
