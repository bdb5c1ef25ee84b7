// The child's last login step (the code on their card), for the class tablet and the server.
// The class and the child are hidden fields the picker filled in; whether they and the code
// match is the model's answer (the same "this code does not work" for every mismatch).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const CODE_MAX = 16

export const childCodeLoginSchema = z.object({
  class: z.string({ error: STALE }),
  child: z.string({ error: STALE }),
  code: z.string({ error: 'children.login.code_required' }).max(CODE_MAX, 'children.login.wrong_code'),
})
