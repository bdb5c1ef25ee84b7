// Step 1: the file (CSV, or OneRoster's zip or CSV files), the school year, and the import's
// options; below, the recent imports with their outcome.
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { uploadSchema } from '~/models/roster-import/import.schema'
import { CheckboxField, DataTable, Field, Section, SelectField, useCarnetForm } from '~/ui/kit'
import { ImportStatus } from './source-line'
import type { importPage as loader } from './view.server'

export function UploadStep() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useCarnetForm(uploadSchema, { id: 'upload', defaultValue: { schoolYear: data.thisYear } })
  type Recent = (typeof data.recent)[number]
  return (
    <>
      <p>{t('roster.intro')}</p>
      <Form method="post" encType="multipart/form-data" className="card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="upload" />
        <Field meta={fields.file} type="file" label={t('roster.file')} hint={t('roster.file_hint', { mb: data.maxMb })} accept=".csv,.txt,.zip,text/csv,text/plain,application/zip" multiple />
        <SelectField meta={fields.schoolYear} label={t('roster.school_year')}>
          {data.years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <CheckboxField meta={fields.existingClassesOnly} label={t('roster.existing_only')} />
        <button type="submit" disabled={busy}>
          {busy ? t('roster.analyzing') : t('roster.analyze')}
        </button>
      </Form>
      {data.recent.length > 0 && (
        <Section title={t('roster.recent')} card={false}>
          <DataTable<Recent>
            label={t('roster.recent')}
            rows={data.recent}
            rowKey={(r) => r.id}
            empty={t('roster.none')}
            columns={[
              { header: t('roster.col.file'), cell: (r) => <Link to={`?id=${r.id}`}>{r.fileName}</Link> },
              { header: t('roster.col.date'), cell: (r) => formatDate(t.lang, r.createdAt, true) },
              { header: t('roster.col.status'), cell: (r) => <ImportStatus status={r.status} /> },
              { header: t('roster.col.children'), cell: (r) => (r.counts ? r.counts.childrenCreate + r.counts.childrenUpdate + r.counts.childrenUnchanged : '—') },
            ]}
          />
        </Section>
      )}
    </>
  )
}
