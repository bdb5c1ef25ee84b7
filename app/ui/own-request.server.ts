// "My requests": the signed-in requester's own rights request, for the request's page and its
// package download alike. An unknown id is a 404; someone else's request — a school's DPO's
// included, since here a request is checked as its requester sees it — is refused by the
// policy (403, audited).
import { NotFound } from '~/errors.server'
import { authorize, deny, requireAbility } from '~/permissions/request.server'
import { requestForRequester } from '~/privacy/rights-requests/status.server'
import { isUuid } from './http.server'

export async function requireOwnRightsRequest(request: Request, requestId: string) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'read', 'RightsRequest', requestId)
  if (!isUuid(requestId)) throw new Response('Not found', { status: 404 })
  const found = await requestForRequester(ctx.db, requestId).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  await authorize(ctx, 'read', 'RightsRequest', found.asked)
  return { ctx, found }
}
