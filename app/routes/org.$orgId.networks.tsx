import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { clientIp, LIMITS, NETWORK_CEILING } from '~/auth/throttle.server'
import { t as translate, useT } from '~/i18n'
import { addNetwork, listNetworks, MAX_NETWORKS, removeNetwork } from '~/models/organizations/networks.server'
import { addNetworkSchema, removeNetworkSchema } from '~/models/organizations/networks.schema'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, Field, FormNotice, PageHeader, Section, useCarnetForm, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.networks')
// Admins declare the school's own networks and their login ceiling (ADR 013).
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA' } } satisfies RouteAccess }

async function enter(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  return ctx
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await enter(request, orgId)
  const networks = await listNetworks(ctx.db, orgId)
  return {
    orgId,
    yourAddress: clientIp(ctx.origin.ip),
    figures: { address: LIMITS.password.address, child: LIMITS.childCode.address, ...NETWORK_CEILING, maxNetworks: MAX_NETWORKS },
    networks: networks.map((n) => ({ id: n.id, cidr: n.cidr, label: n.label, ceiling: n.ceiling })),
  }
}

// The page's forms: declare a network, or remove one.
const schema = z.discriminatedUnion('intent', [addNetworkSchema.extend({ intent: z.literal('add') }), removeNetworkSchema.extend({ intent: z.literal('remove') })])

/** The field a model's refusal is about. */
const FIELD_OF: Record<string, string> = {
  'networks.invalid_cidr': 'cidr',
  'networks.too_wide': 'cidr',
  'networks.duplicate': 'cidr',
  'networks.label_required': 'label',
  'networks.ceiling_range': 'ceiling',
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await enter(request, orgId)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'remove') {
      await removeNetwork(ctx.db, { orgId, networkId: v.networkId, actorId: ctx.user.id, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'networks.removed'))
    }
    const added = await addNetwork(ctx.db, { orgId, cidr: v.cidr, label: v.label, ceiling: v.ceiling, actorId: ctx.user.id, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'networks.added', { cidr: added.cidr }))
  } catch (e) {
    return form.error(e, FIELD_OF[(e as { code?: string }).code ?? ''])
  }
}

type Network = Awaited<ReturnType<typeof loader>>['networks'][number]

export default function NetworksPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, {
    intent: 'add',
    defaultValue: { intent: 'add', cidr: d.yourAddress === 'unknown' ? '' : d.yourAddress, ceiling: String(d.figures.default) },
  })
  const columns: Column<Network>[] = [
    { header: t('networks.label'), cell: (n) => n.label },
    { header: t('networks.cidr'), cell: (n) => <code>{n.cidr}</code> },
    { header: t('networks.ceiling'), cell: (n) => n.ceiling },
    {
      header: t('networks.actions'),
      cell: (n) => (
        <Form method="post">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="networkId" value={n.id} />
          <button type="submit" className="secondary" aria-label={t('networks.remove_named', { label: n.label })}>
            {t('networks.remove')}
          </button>
        </Form>
      ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('networks.title')} subtitle={t('networks.intro', { address: d.figures.address, child: d.figures.child })} />
      <p className="muted">{t('networks.your_address', { address: d.yourAddress })}</p>
      <FormNotice />
      <DataTable label={t('networks.list')} caption={t('networks.list')} columns={columns} rows={d.networks} rowKey={(n) => n.id} empty={t('networks.none')} />
      <Section title={t('networks.add_title')}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="add" />
          <Field meta={fields.label} label={t('networks.label')} hint={t('networks.label_hint')} />
          <Field meta={fields.cidr} label={t('networks.cidr')} hint={t('networks.cidr_hint')} />
          <Field meta={fields.ceiling} type="number" inputMode="numeric" label={t('networks.ceiling')} hint={t('networks.ceiling_hint', { min: d.figures.min, max: d.figures.max })} />
          <button type="submit">{t('networks.add')}</button>
        </Form>
      </Section>
    </div>
  )
}
