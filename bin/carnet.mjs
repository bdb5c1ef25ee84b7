#!/usr/bin/env node
// Entry for `npx carnet`: TypeScript sources run through tsx, so there is nothing to build.
import { register } from 'tsx/esm/api'
register()
await import('../cli/main.ts')
