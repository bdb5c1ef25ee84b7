import { expect, test } from 'vitest'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.server'

test('ANSSI-style policy: length first, no common or identity-derived passwords', () => {
  expect(checkPasswordPolicy('court')).toBe('too_short')
  expect(checkPasswordPolicy('motdepasse123')).toBe('common')
  expect(checkPasswordPolicy('Azertyuiop123')).toBe('common')
  expect(checkPasswordPolicy('aaaaaaaaaaaaaa')).toBe('repetitive')
  expect(checkPasswordPolicy('abcdefghijklmn')).toBe('repetitive')
  expect(checkPasswordPolicy('claire.dubois-2026!', { email: 'claire.dubois@ecole.fr' })).toBe('contains_email')
  expect(checkPasswordPolicy('vive-benali-le-prof', { names: ['Karim', 'Benali'] })).toBe('contains_name')
  expect(checkPasswordPolicy('cheval-agrafe-correct-pile', { email: 'k@ecole.fr', names: ['Karim'] })).toBeNull()
})

test('Argon2id hashes verify and never contain the password', async () => {
  const h = await hashPassword('cheval-agrafe-correct-pile')
  expect(h).toMatch(/^\$argon2id\$/)
  expect(h).not.toContain('cheval')
  expect(await verifyPassword(h, 'cheval-agrafe-correct-pile')).toBe(true)
  expect(await verifyPassword(h, 'cheval-agrafe-correct-pilE')).toBe(false)
})
