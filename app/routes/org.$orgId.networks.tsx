import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { clientIp, LIMITS, NETWORK_CEILING } from '~/auth/throttle.server'
import { t as translate, useT } from '~/i18n'
import { addNetwork, listNetworks, MAX_NETWORKS, removeNetwork } from '~/models/organizations/networks.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — réseaux de l’établissement' }]
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

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await enter(request, orgId)
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  try {
    if (s('intent') === 'remove') {
      await removeNetwork(ctx.db, { orgId, networkId: s('networkId'), actorId: ctx.user.id, origin: ctx.origin })
      return successReply(translate(ctx.lang, 'networks.removed'))
    }
    const added = await addNetwork(ctx.db, { orgId, cidr: s('cidr'), label: s('label'), ceiling: Number(s('ceiling')), actorId: ctx.user.id, origin: ctx.origin })
    return successReply(translate(ctx.lang, 'networks.added', { cidr: added.cidr }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function NetworksPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container">
      <h1>{t('networks.title')}</h1>
      <p>{t('networks.intro', { address: d.figures.address, child: d.figures.child })}</p>
      <p className="muted">{t('networks.your_address', { address: d.yourAddress })}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {d.networks.length === 0 ? (
        <p>{t('networks.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t('networks.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('networks.label')}</th>
                <th scope="col">{t('networks.cidr')}</th>
                <th scope="col">{t('networks.ceiling')}</th>
                <th scope="col">{t('networks.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.networks.map((n) => (
                <tr key={n.id}>
                  <td>{n.label}</td>
                  <td>
                    <code>{n.cidr}</code>
                  </td>
                  <td>{n.ceiling}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="networkId" value={n.id} />
                      <button type="submit" className="secondary" aria-label={t('networks.remove_named', { label: n.label })}>
                        {t('networks.remove')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title">{t('networks.add_title')}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="add" />
          <Field name="label" label={t('networks.label')} hint={t('networks.label_hint')} required />
          <Field name="cidr" label={t('networks.cidr')} hint={t('networks.cidr_hint')} defaultValue={d.yourAddress === 'unknown' ? '' : d.yourAddress} required />
          <Field
            name="ceiling"
            type="number"
            inputMode="numeric"
            label={t('networks.ceiling')}
            hint={t('networks.ceiling_hint', { min: d.figures.min, max: d.figures.max })}
            defaultValue={String(d.figures.default)}
            required
          />
          <button type="submit">{t('networks.add')}</button>
        </Form>
      </section>
    </div>
  )
}
