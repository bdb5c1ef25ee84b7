import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility } from '~/permissions/request.server'
import { dismissErasureNotice, getErasureNotice, unreadErasureNotices } from '~/privacy/erasure/proof.server'
import { dismissNoticeSchema } from '~/privacy/erasure/requests.schema'
import { readForm } from '~/ui/forms.server'
import { navFor } from '~/ui/nav.server'
import { FormNotice } from '~/ui/kit'
import { Notice } from '~/ui/shell'
import { isChildAccount } from '~/roles'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.home')
export const handle = { access: { allow: 'signedIn' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  if (isChildAccount(ctx.user)) throw redirect('/me')
  const orgs = await navFor(ctx)
  // Proofs of erasure addressed to this person, until they dismiss them (in words, in their language).
  const notices = await unreadErasureNotices(ctx.db, { userId: ctx.user.id, lang: ctx.lang })
  return { firstName: ctx.user.firstName, verified: !!ctx.user.emailVerifiedAt, orgs, notices }
}

// One form: dismiss a notice.
const schema = z.discriminatedUnion('intent', [dismissNoticeSchema.extend({ intent: z.literal('dismiss-notice') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const notice = await getErasureNotice(ctx.db, { noticeId: form.value.noticeId })
  if (!notice) return deny(ctx, 'update', 'Notice', form.value.noticeId)
  await authorize(ctx, 'update', 'Notice', notice)
  await dismissErasureNotice(ctx.db, { noticeId: notice.id, userId: ctx.user.id })
  return form.success(translate(ctx.lang, 'retention.proof.dismissed'))
}

export default function Home() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <div className="container">
      <h1>{t('home.title', { name: data.firstName })}</h1>
      {params.get('welcome') && <Notice kind="success">{t('signup.done')}</Notice>}
      {!data.verified && <Notice>{t('verify.pending')}</Notice>}
      <FormNotice />
      {data.notices.map((n) => (
        <section key={n.id} className="card" data-testid="erasure-proof">
          <h2>{n.title}</h2>
          <p>{n.intro}</p>
          <h3>{t('retention.proof.what_erased')}</h3>
          <ul>
            {n.erased.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <h3>{t('retention.proof.what_kept')}</h3>
          <ul>
            {n.kept.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>
            <strong>{t('retention.proof.reference', { reference: n.reference })}</strong>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="dismiss-notice" />
            <input type="hidden" name="noticeId" value={n.id} />
            <button type="submit" className="secondary">
              {t('retention.proof.dismiss')}
            </button>
          </Form>
        </section>
      ))}
      {data.orgs.length === 0 && <p>{t('home.no_org')}</p>}
      <div className="grid-cards">
        {data.orgs.map((o) => (
          <section key={o.orgId} className="card">
            <h2>{o.orgName}</h2>
            <p className="muted">
              {t(`kind.${o.kind}`)} · {o.roles.map((r) => t(`role.${r}`)).join(', ')}
            </p>
            {/* The operator's registers have no organization home: its first register opens. */}
            <Link className="button" to={o.kind === 'operator' ? (o.items[0]?.href ?? '/home') : `/org/${o.orgId}`}>
              {t('home.open')}
            </Link>
          </section>
        ))}
      </div>
    </div>
  )
}
