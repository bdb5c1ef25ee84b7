// A job the app enqueues but no worker binds would wait in its queue forever: every definition
// in an app/**/jobs.server.ts is bound, once, in the registry the worker runtime starts.
import { expect, test } from 'vitest'
import type { JobDefinition } from '~/queue/job.server'
import { jobs } from './registry.server'

const modules = import.meta.glob<Record<string, unknown>>('../app/**/jobs.server.ts', { eager: true })
const isDefinition = (v: unknown): v is JobDefinition => !!v && typeof v === 'object' && 'name' in v && 'payload' in v && 'queue' in v && !('process' in v)

test('every job defined next to a use case has exactly one bound processor in the registry', () => {
  const names = jobs.map((j) => j.name)
  expect(new Set(names).size).toBe(names.length)
  const defined = Object.values(modules).flatMap((m) => Object.values(m).filter(isDefinition))
  expect(defined.map((d) => d.name)).toEqual(expect.arrayContaining(['dsr-forward', 'erasure-run', 'export-learning', 'roster-import']))
  for (const d of defined) {
    const bound = jobs.find((j) => j.name === d.name)
    expect(bound, d.name).toBeDefined()
    // Bound from this very definition: same payload schema, same queue settings.
    expect(bound!.payload).toBe(d.payload)
    expect(bound!.queue).toBe(d.queue)
  }
})
