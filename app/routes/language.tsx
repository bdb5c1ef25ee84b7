import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { getDb } from '~/db.server'
import { isLang } from '~/i18n'
import { setPreferredLanguage } from '~/models/accounts/profile.server'
import type { RouteAccess } from '~/permissions/access'
import { getOptionalUser } from '~/permissions/request.server'
import { safeNext } from '~/ui/redirects'

export const handle = { access: { allow: 'everyone', note: 'action only' } satisfies RouteAccess }

export async function loader() {
  return redirect('/')
}

/** Saves the choice on the account when signed in, and in a cookie for visitors. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData()
  const lang = form.get('lang')
  if (!isLang(lang)) throw new Response('Unknown language', { status: 400 })
  const ctx = await getOptionalUser(request)
  if (ctx) await setPreferredLanguage(getDb(), { userId: ctx.user.id, lang })
  return redirect(safeNext(String(form.get('next') ?? ''), '/'), {
    headers: { 'Set-Cookie': `carnet_lang=${lang}; Path=/; SameSite=Lax; Max-Age=31536000` },
  })
}
