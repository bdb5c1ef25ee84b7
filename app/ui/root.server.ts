import { config } from '~/config.server'
import { pickLang } from '~/i18n'
import { getOptionalUser } from '~/permissions/request.server'
import { shellNavFor } from './nav.server'

/** What every page needs: the language, the signed-in person and their navigation. */
export async function rootData(request: Request) {
  const ctx = await getOptionalUser(request)
  const lang = pickLang(request, ctx?.user.locale)
  return {
    lang,
    user: ctx ? { id: ctx.user.id, firstName: ctx.user.firstName, lastName: ctx.user.lastName, kind: ctx.user.kind } : null,
    nav: ctx ? await shellNavFor(ctx, lang) : [],
    devMailbox: config.devMailboxFor(request),
  }
}
