import { getFormProps } from '@conform-to/react'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { recordAudit } from '~/compliance/audit.server'
import { checkpointPublicKey, ED25519, listCheckpoints, writeCheckpoint } from '~/compliance/checkpoints.server'
import { groupedFingerprint } from '~/compliance/signing-key.server'
import { DomainError, PayloadTooLarge } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { heldCheckpointSchema, MAX_CHECKPOINT_FILE_BYTES } from '~/privacy/consent/checkpoints.schema'
import { CONSENT_EVENTS } from '~/privacy/consent/constants'
import { consentDocumentLabel, consentMethodLabel } from '~/compliance/consent-codes'
import { checkConsentLog, checkHeldCheckpoint } from '~/privacy/consent/verification.server'
import { consentFilterFrom, filterChoices, filterQuery, namesFor, queryConsentLog } from '~/privacy/consent/view.server'
import { readFormData } from '~/ui/body.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, Field, FilterBar, FormNotice, PageHeader, Pagination, plainField, Section, SelectField, StatusBadge, useCarnetForm, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.consent_log')
// The school's DPO (and its administrators, who answer for the school): read-only, like the log.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

const PAGE = 100

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const url = new URL(request.url)
  const filter = consentFilterFrom(url.searchParams)
  const page = Math.max(0, Number.parseInt(url.searchParams.get('page') ?? '0', 10) || 0)
  const { total, rows } = await queryConsentLog(ctx.db, orgId, filter, { limit: PAGE, offset: page * PAGE })
  const names = await namesFor(
    ctx.db,
    rows.flatMap((r) => [r.subjectId ?? '', r.actorId ?? '']),
  )
  const key = checkpointPublicKey()
  return {
    orgId,
    filter,
    query: filterQuery(filter),
    page,
    pages: Math.max(1, Math.ceil(total / PAGE)),
    total,
    choices: await filterChoices(ctx.db, orgId),
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      event: r.event,
      state: r.state,
      subject: r.subjectId ? (names[r.subjectId] ?? r.subjectId.slice(0, 8)) : null,
      actor: r.actorId ? (names[r.actorId] ?? r.actorId.slice(0, 8)) : null,
      documentKind: r.documentKind,
      documentVersion: r.documentVersion,
      method: r.method,
    })),
    checkpoints: (await listCheckpoints(ctx.db, orgId, 10)).map((c) => ({ id: c.id, seq: c.seq, signedAt: c.signedAt.toISOString(), headHash: c.headHash, legacy: c.algorithm !== ED25519 })),
    key: { algorithm: key.algorithm, fingerprint: groupedFingerprint(key.fingerprint), pem: key.publicKeyPem },
  }
}

// The page's three forms: check the chain (and the stored checkpoints), sign now, check a file kept outside.
const schema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('verify') }), z.object({ intent: z.literal('sign') }), heldCheckpointSchema.extend({ intent: z.literal('held') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  // The ceiling counts the bytes actually read: a checkpoint file is small, anything larger is refused unread.
  const body = await readFormData(request, MAX_CHECKPOINT_FILE_BYTES + 16 * 1024).catch((e: unknown) => {
    if (e instanceof PayloadTooLarge) return null
    throw e
  })
  if (!body) {
    await recordAudit(ctx.db, {
      action: 'consent_log.verify_checkpoint',
      outcome: 'failure',
      orgId,
      actorId: ctx.user.id,
      targetType: 'consent_log',
      targetId: orgId,
      ...ctx.origin,
      details: { result: 'too_large' },
    })
    const intent = new FormData()
    intent.set('intent', 'held')
    const refused = await readForm(intent, schema, ctx.lang)
    return refused.error(new DomainError('dpo.checkpoint.held_too_large', { max: MAX_CHECKPOINT_FILE_BYTES / 1024 }, 413))
  }
  const form = await readForm(body, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  if (v.intent === 'sign') {
    const r = await writeCheckpoint(ctx.db, orgId)
    if (r.written) return form.success(translate(ctx.lang, 'dpo.checkpoint.signed', { seq: r.checkpoint.seq }))
    if (r.reason === 'chain_broken') return form.error(new DomainError('dpo.checkpoint.not_signed_chain_broken'))
    return form.success(translate(ctx.lang, `dpo.checkpoint.not_signed_${r.reason}`))
  }
  // The chain and the stored checkpoints, or a checkpoint kept outside Carnet: both audited.
  const r = v.intent === 'verify' ? await checkConsentLog(ctx.db, { orgId, lang: ctx.lang, by }) : await checkHeldCheckpoint(ctx.db, { orgId, lang: ctx.lang, by, file: v.file })
  return r.ok ? form.success(r.message) : form.error(r.error)
}

type Data = Awaited<ReturnType<typeof loader>>

export default function ConsentLogPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [held, fields] = useCarnetForm(schema, { intent: 'held' })
  const base = `/org/${data.orgId}/dpo/consent-log`
  const q = data.query ? `&${data.query}` : ''
  const checkpoints: Column<Data['checkpoints'][number]>[] = [
    { header: t('dpo.checkpoint.seq'), cell: (c) => `#${c.seq}`, rowHeader: true },
    { header: t('dpo.checkpoint.signed_at'), cell: (c) => formatDate(t.lang, c.signedAt, true) },
    { header: t('dpo.checkpoint.head'), cell: (c) => <code>{c.headHash.slice(0, 16)}…</code> },
    { header: t('dpo.checkpoint.algorithm'), cell: (c) => (c.legacy ? <StatusBadge tone="warn">{t('dpo.checkpoint.legacy')}</StatusBadge> : 'Ed25519') },
    {
      header: t('dpo.download'),
      cell: (c) => (
        <a href={`${base}/checkpoint?id=${c.id}`} download>
          {t('dpo.checkpoint.download', { seq: c.seq })}
        </a>
      ),
    },
  ]
  const entries: Column<Data['rows'][number]>[] = [
    { header: '#', cell: (r) => r.seq },
    { header: t('dpo.consent.col_at'), cell: (r) => formatDate(t.lang, r.at, true) },
    {
      header: t('dpo.consent.col_event'),
      cell: (r) => (
        <>
          {t(`dpo.event.${r.event}`)} <StatusBadge tone="neutral">{t(`dpo.state.${r.state}`)}</StatusBadge>
        </>
      ),
    },
    { header: t('dpo.consent.col_subject'), cell: (r) => r.subject ?? '—' },
    { header: t('dpo.consent.col_actor'), cell: (r) => r.actor ?? '—' },
    { header: t('dpo.consent.col_document'), cell: (r) => consentDocumentLabel(t.lang, r.documentKind, r.documentVersion) },
    { header: t('dpo.consent.col_method'), cell: (r) => consentMethodLabel(t.lang, r.method) },
  ]
  const typedId = data.filter.subjectId && !data.choices.children.some((c) => c.id === data.filter.subjectId) ? data.filter.subjectId : ''
  return (
    <div className="container">
      <PageHeader title={t('dpo.consent.title')} subtitle={t('dpo.consent.intro')} />

      <Section title={t('dpo.consent.integrity')}>
        <FormNotice intents={['verify', 'sign']} />
        <div className="actions">
          <Form method="post">
            <button type="submit" name="intent" value="verify" disabled={busy}>
              {t('dpo.consent.verify')}
            </button>
          </Form>
          <Form method="post">
            <button type="submit" name="intent" value="sign" className="secondary" disabled={busy}>
              {t('dpo.checkpoint.sign_now')}
            </button>
          </Form>
        </div>
      </Section>

      <Section title={t('dpo.checkpoint.title')}>
        <p className="hint">{t('dpo.checkpoint.hint')}</p>
        <DataTable label={t('dpo.checkpoint.title')} columns={checkpoints} rows={data.checkpoints} rowKey={(c) => c.id} empty={t('dpo.checkpoint.none')} />
        <FormNotice intents={['held']} />
        <Form method="post" encType="multipart/form-data" {...getFormProps(held)}>
          <input type="hidden" name="intent" value="held" />
          <Field meta={fields.file} type="file" accept="application/json,.json" label={t('dpo.checkpoint.held_label')} />
          <button type="submit" className="secondary" disabled={busy}>
            {t('dpo.checkpoint.held_verify')}
          </button>
        </Form>
      </Section>

      <Section title={t('dpo.key.title')} data-testid="signing-key">
        <p className="hint">{t('dpo.key.page_hint')}</p>
        <dl className="key-value">
          <dt>{t('dpo.key.algorithm')}</dt>
          <dd>{data.key.algorithm}</dd>
          <dt>{t('dpo.key.fingerprint')}</dt>
          <dd>
            <code className="break-all">{data.key.fingerprint}</code>
          </dd>
        </dl>
        <pre className="pem">{data.key.pem}</pre>
      </Section>

      <Section title={t('dpo.filters')}>
        <FilterBar resetTo={base}>
          <SelectField meta={plainField('subject', { defaultValue: data.filter.subjectId })} label={t('dpo.consent.filter_subject')}>
            <option value="">{t('dpo.all')}</option>
            {data.choices.children.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <Field meta={plainField('subjectId', { defaultValue: typedId })} label={t('dpo.consent.filter_subject_id')} size={36} />
          <SelectField meta={plainField('class', { defaultValue: data.filter.classId })} label={t('dpo.consent.filter_class')}>
            <option value="">{t('dpo.all')}</option>
            {data.choices.classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField meta={plainField('event', { defaultValue: data.filter.event })} label={t('dpo.consent.filter_event')}>
            <option value="">{t('dpo.all')}</option>
            {CONSENT_EVENTS.map((e) => (
              <option key={e} value={e}>
                {t(`dpo.event.${e}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={plainField('from', { defaultValue: data.filter.from })} type="date" label={t('dpo.from')} />
          <Field meta={plainField('to', { defaultValue: data.filter.to })} type="date" label={t('dpo.to')} />
        </FilterBar>
      </Section>

      <div className="actions toolbar">
        <span>
          {t('dpo.consent.count', { n: data.total })} · {t('dpo.page_of', { page: data.page + 1, pages: data.pages })}
        </span>
        <a className="button secondary" href={`${base}/export?format=csv${q}`} download>
          {t('dpo.export_csv')}
        </a>
        <a className="button secondary" href={`${base}/export?format=pdf${q}`} download>
          {t('dpo.export_pdf')}
        </a>
      </div>
      <DataTable
        label={t('dpo.consent.title')}
        caption={<span className="muted">{t('dpo.consent.caption')}</span>}
        columns={entries}
        rows={data.rows}
        rowKey={(r) => r.seq}
        empty={t('dpo.consent.none')}
      />
      <Pagination label={t('dpo.pagination')} previous={data.page > 0 ? { to: `?page=${data.page - 1}${q}` } : null} next={data.page + 1 < data.pages ? { to: `?page=${data.page + 1}${q}` } : null} />
    </div>
  )
}
