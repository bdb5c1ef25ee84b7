// The form helper as a user meets it: a wrong entry comes back on its field in the user's
// language, a stale or forged form is refused as a whole, nothing secret is echoed back.
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { Conflict } from '~/errors.server'
import { msg } from '~/i18n/form-message'
import { invitationRefSchema, inviteSchema } from '~/models/staff/invitations.schema'
import { readForm } from './forms.server'

const schema = z.discriminatedUnion('intent', [
  inviteSchema.extend({ intent: z.literal('invite') }),
  invitationRefSchema.extend({ intent: z.literal('revoke') }),
  z.object({
    intent: z.literal('grant'),
    hours: z
      .number({ error: msg('retention.support.hours_invalid', { max: 72 }) })
      .int()
      .max(72),
    note: z.string().max(5).optional(),
  }),
  z.object({ intent: z.literal('password'), current: z.string({ error: 'account.wrong_password' }), next: z.string().min(15, 'password.too_short') }),
])

const form = (fields: Record<string, string>) => {
  const f = new FormData()
  for (const [k, v] of Object.entries(fields)) f.append(k, v)
  return f
}

describe('readForm', () => {
  test('a bad submission puts each error on its field, in French by default and in English on request', async () => {
    const fr = await readForm(form({ intent: 'invite', email: 'pas-une-adresse', role: 'janitor' }), schema, 'fr')
    expect(fr.ok).toBe(false)
    if (fr.ok) return
    expect(fr.reply.status).toBe('error')
    expect(fr.reply.for).toBe('invite')
    expect(fr.reply.error).toEqual({
      email: ["Cette adresse e-mail n'est pas valide. Vérifiez-la (exemple : prenom.nom@ecole.fr)."],
      role: ['Choisissez un rôle : enseignant, administrateur ou DPO.'],
    })
    // What was typed comes back, so the form shows it again next to its error.
    expect(fr.reply.initialValue).toMatchObject({ email: 'pas-une-adresse' })

    const en = await readForm(form({ intent: 'invite', email: 'not-an-address', role: 'teacher' }), schema, 'en')
    expect(en.ok ? null : en.reply.error).toEqual({ email: ['This email address is not valid. Check it (for example: first.last@school.org).'] })
  })

  test('messages carry their values; Zod’s own English messages read as “invalid value” in the user’s language', async () => {
    const r = await readForm(form({ intent: 'grant', hours: '500' }), schema, 'fr')
    expect(r.ok ? null : r.reply.error).toEqual({ hours: ['La durée doit être comprise entre 1 et 72 heures.'] })
    const odd = await readForm(form({ intent: 'grant', hours: '2', note: 'far too long' }), schema, 'en')
    expect(odd.ok ? null : odd.reply.error).toEqual({ note: ['Invalid value: check this field.'] })
  })

  test('an unknown intent is refused for the whole form, and nothing else is parsed', async () => {
    for (const fields of [
      { intent: 'drop-table', email: 'a@b.fr' },
      { email: 'a@b.fr', role: 'teacher' },
    ] as Record<string, string>[]) {
      const r = await readForm(form(fields), schema, 'fr')
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.reply.status).toBe('error')
      expect(r.reply.error).toEqual({ '': ['Action inconnue : rechargez la page et réessayez.'] })
    }
    const en = await readForm(form({ intent: 'drop-table' }), schema, 'en')
    expect(en.ok ? null : en.reply.error).toEqual({ '': ['Unknown action: reload the page and try again.'] })
  })

  test('a hidden id that matches nothing is said for the whole form, not on a field nobody sees', async () => {
    const r = await readForm(form({ intent: 'revoke', invitationId: "1' or 1=1" }), schema, 'en')
    expect(r.ok ? null : r.reply.error).toEqual({ '': ['This item no longer exists or has changed: reload the page and try again.'] })
  })

  test('a good submission gives typed values; success resets the form with a message; a model error lands on its field', async () => {
    const r = await readForm(form({ intent: 'invite', email: ' Zoe.Martin@Ecole.FR ', role: 'dpo' }), schema, 'fr')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value).toEqual({ intent: 'invite', email: 'zoe.martin@ecole.fr', role: 'dpo' })
    expect(r.success('Invitation envoyée.')).toEqual({ initialValue: null, status: 'success', for: 'invite', message: 'Invitation envoyée.' })
    const onField = r.error(new Conflict('staff.invite_duplicate', { email: 'zoe.martin@ecole.fr', role: 'DPO' }), 'email')
    expect(onField.status).toBe('error')
    expect(onField.error?.email?.[0]).toContain('zoe.martin@ecole.fr')
    expect(r.error(new Conflict('staff.invite_duplicate', { email: 'x', role: 'y' })).error?.['']).toHaveLength(1)
    // Anything that is not a typed domain error is not turned into a message: it is rethrown.
    expect(() => r.error(new Error('boom'))).toThrow('boom')
  })

  test('secrets (passwords) are never sent back to the page', async () => {
    const r = await readForm(form({ intent: 'password', current: 'ancien-secret', next: 'xyzzy' }), schema, 'fr', { secrets: ['current', 'next'] })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reply.error).toEqual({ next: [expect.stringMatching(/\S/)] })
    expect(JSON.stringify(r.reply)).not.toContain('ancien-secret')
    expect(JSON.stringify(r.reply)).not.toContain('xyzzy')
  })
})
