// What the import page's parts receive: the loader's data, one import's view and its plan.
import type { useLoaderData } from '@remix-run/react'
import type { importPage as loader } from './view.server'

export type Data = ReturnType<typeof useLoaderData<typeof loader>>
export type View = NonNullable<Data['view']>
export type PlanView = NonNullable<View['plan']>
