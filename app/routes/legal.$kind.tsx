import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { currentDocument, type LegalKind } from '~/compliance/legal-documents.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d) => d.title, 'title.legal')
export const handle = { access: { allow: 'everyone', params: { kind: 'token' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const kind = params.kind as LegalKind
  if (!['terms', 'privacy', 'dpa'].includes(kind)) throw new Response('Not found', { status: 404 })
  const ctx = baseContext(request)
  const doc = await currentDocument(ctx.db, kind, ctx.lang)
  return { kind, title: doc.title, version: doc.version, body: doc.body, publishedAt: doc.publishedAt.toISOString() }
}

export default function Legal() {
  const doc = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <article className="container narrow card">
      <h1>{doc.title}</h1>
      <p className="muted">Version {doc.version}</p>
      {doc.body.split('\n').map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      {doc.kind === 'privacy' && (
        <p>
          <strong>
            <Link to="/privacy">{t('nav.rights')}</Link>
          </strong>
        </p>
      )}
    </article>
  )
}
