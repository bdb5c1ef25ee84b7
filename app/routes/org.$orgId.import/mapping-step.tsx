// Step 2 (when the headers were not all recognised): which column holds each field.
import { getFormProps } from '@conform-to/react'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { mappingSchema } from '~/models/roster-import/import.schema'
import { Notice, SelectField, useCarnetForm } from '~/ui/kit'
import { DiscardForm, SourceLine } from './source-line'
import type { View } from './types'

export function MappingStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const mapping = view.mapping
  const [form, fields] = useCarnetForm(mappingSchema, {
    id: 'mapping',
    defaultValue: { importId: view.id, ...Object.fromEntries(Object.entries(mapping?.selected ?? {}).map(([f, header]) => [`map_${f}`, header ?? ''])) },
  })
  return (
    <>
      <h2>{t('roster.mapping.title')}</h2>
      <SourceLine view={view} />
      {!mapping ? (
        <Notice kind="error">{t('roster.error.not_editable')}</Notice>
      ) : (
        <>
          {mapping.missing.length > 0 && <Notice kind="error">{t('roster.mapping.missing', { fields: mapping.missing.map((f) => t(`roster.field.${f}`)).join(', ') })}</Notice>}
          <p>{t('roster.mapping.intro')}</p>
          <Form method="post" className="card" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="mapping" />
            <input type="hidden" name="importId" value={view.id} />
            {mapping.fields.map(({ field, required }) => (
              <SelectField
                key={field}
                meta={fields[`map_${field}`]}
                label={
                  <>
                    {t(`roster.field.${field}`)}
                    {required && <span className="muted"> ({t('roster.required')})</span>}
                  </>
                }
              >
                <option value="">{t('roster.mapping.ignore')}</option>
                {mapping.headers.map((h, i) =>
                  h.trim() ? (
                    <option key={`${i}-${h}`} value={h}>
                      {mapping.samples[h] ? t('roster.mapping.option', { header: h, sample: mapping.samples[h] }) : h}
                    </option>
                  ) : null,
                )}
              </SelectField>
            ))}
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('roster.mapping.submit')}
              </button>
              {view.plan && (
                <Link className="button secondary" to={`/org/${orgId}/import?id=${view.id}`}>
                  {t('common.cancel')}
                </Link>
              )}
            </div>
          </Form>
        </>
      )}
      <DiscardForm view={view} />
    </>
  )
}
