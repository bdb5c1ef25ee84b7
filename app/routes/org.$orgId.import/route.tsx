import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DomainError, Invalid, PayloadTooLarge } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { commitImport } from '~/models/roster-import/commit.server'
import { confirmImport, createImport, discardImport, getImport, markImportFailed, remapImport, replanImport } from '~/models/roster-import/imports.server'
import { enqueueRosterImport } from '~/models/roster-import/jobs.server'
import { isSchoolYear, MAX_UPLOAD_BYTES, uploadErrorMessage, type UploadedFile } from '~/models/roster-import/source.server'
import { orgForImport } from '~/models/roster-import/view.server'
import type { RouteAccess } from '~/permissions/access'
import { ROSTER_FIELDS, type MappingOverride } from '~/models/roster/index.server'
import { confirmSchema, importRefSchema, mappingSchema, uploadSchema } from '~/models/roster-import/import.schema'
import { readFormData } from '~/ui/body.server'
import { readForm } from '~/ui/forms.server'
import { FormNotice, PageHeader, type FormResult } from '~/ui/kit'
import { UploadStep } from './upload-step'
import { MappingStep } from './mapping-step'
import { ReportStep } from './report-step'
import { RunningStep } from './running-step'
import { ResultStep } from './result-step'

import { importPage, context, notFound } from './view.server'
import { pageTitle } from '~/ui/meta'
export const meta = pageTitle('title.import')
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader(args: LoaderFunctionArgs) {
  return importPage(args)
}

async function readFiles(files: File[]): Promise<UploadedFile[]> {
  const out: UploadedFile[] = []
  for (const v of files) {
    if (!v.size) continue
    out.push({ name: v.name || 'roster.csv', bytes: Buffer.from(await v.arrayBuffer()) })
  }
  return out
}

// The page's forms, one per step: upload, column mapping, confirmation; replan and discard.
const schema = z.discriminatedUnion('intent', [
  uploadSchema.extend({ intent: z.literal('upload') }),
  mappingSchema.extend({ intent: z.literal('mapping') }),
  confirmSchema.extend({ intent: z.literal('confirm') }),
  importRefSchema.extend({ intent: z.enum(['replan', 'discard']) }),
])

/** A refusal said for the whole form (a file the import cannot read, a body too large). */
const refused = (message: string): FormResult => ({ status: 'error', error: { '': [message] } })

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await context(request, orgId)
  const lang = ctx.lang
  // The ceiling counts the bytes actually received (a chunked upload sends no Content-Length).
  const formData = await readFormData(request, MAX_UPLOAD_BYTES + 64 * 1024).catch((e: unknown) => {
    if (e instanceof PayloadTooLarge) return null
    throw e
  })
  if (!formData) return refused(translate(lang, 'roster.error.too_big', { mb: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024) }))
  const form = await readForm(formData, schema, lang)
  if (!form.ok) return form.reply
  const v = form.value
  const base = `/org/${orgId}/import`
  await orgForImport(ctx.db, orgId).catch(notFound)
  try {
    switch (v.intent) {
      case 'upload': {
        const files = await readFiles(v.file)
        if (!files.length) return form.error(new Invalid('roster.error.no_file'), 'file')
        if (!isSchoolYear(v.schoolYear)) return form.error(new Invalid('roster.error.school_year'), 'schoolYear')
        const created = await createImport(ctx.db, { orgId, actorId: ctx.user.id, files, schoolYear: v.schoolYear, options: { existingClassesOnly: v.existingClassesOnly } })
        return redirect(`${base}?id=${created.id}${created.needsMapping ? '&step=mapping' : ''}`)
      }
      case 'mapping': {
        const mapping: MappingOverride = {}
        for (const f of ROSTER_FIELDS) mapping[f] = v[`map_${f}`] || null
        const { needsMapping } = await remapImport(ctx.db, { orgId, importId: v.importId, mapping })
        return redirect(`${base}?id=${v.importId}${needsMapping ? '&step=mapping' : ''}`)
      }
      case 'replan': {
        await replanImport(ctx.db, { orgId, importId: v.importId })
        return redirect(`${base}?id=${v.importId}`)
      }
      case 'discard': {
        await discardImport(ctx.db, { orgId, importId: v.importId })
        return redirect(base)
      }
      case 'confirm': {
        const importId = v.importId
        let archiveChildIds = v.archive
        if (v.archiveAll) {
          const row = await getImport(ctx.db, { orgId, importId })
          archiveChildIds = row.plan?.missing.map((m) => m.childId) ?? []
        }
        const newEnrolmentLines = v.newEnrolment
        const claimed = await confirmImport(ctx.db, { orgId, importId, actorId: ctx.user.id, archiveChildIds, newEnrolmentLines, origin: ctx.origin })
        if (claimed.claimed && claimed.background) {
          try {
            await enqueueRosterImport({ orgId, importId })
          } catch (e) {
            await markImportFailed(ctx.db, { orgId, importId, code: 'roster.error.queue' })
            throw e
          }
        } else if (claimed.claimed) {
          try {
            await commitImport(ctx.db, { orgId, importId, actorId: ctx.user.id, origin: ctx.origin, archiveChildIds, newEnrolmentLines })
          } catch (e) {
            if (e instanceof DomainError && e.code === 'roster.error.stale_plan') {
              await replanImport(ctx.db, { orgId, importId })
              return redirect(`${base}?id=${importId}&stale=1`)
            }
            if (e instanceof DomainError) return redirect(`${base}?id=${importId}`)
            throw e
          }
        }
        return redirect(`${base}?id=${importId}`)
      }
    }
  } catch (e) {
    const message = uploadErrorMessage(e, lang)
    if (message === null) throw e
    return refused(message)
  }
}

export default function RosterImportPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const view = data.view
  return (
    <div className="container">
      <PageHeader title={t('roster.title')} subtitle={data.org.name} />
      <FormNotice />
      {!view ? (
        <UploadStep />
      ) : view.status === 'running' ? (
        <RunningStep view={view} orgId={data.org.id} />
      ) : view.status === 'done' ? (
        <ResultStep view={view} orgId={data.org.id} />
      ) : !view.plan || data.step === 'mapping' ? (
        <MappingStep view={view} orgId={data.org.id} />
      ) : (
        <ReportStep view={view} orgId={data.org.id} stale={data.stale} />
      )}
    </div>
  )
}
