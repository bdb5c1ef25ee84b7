import { expect, expectAccessible, linkFromMailbox, loginAs, test } from './fixtures'

const PASSWORD = 'trois-pommes-vertes-au-soleil'

test('sign up a school, verify the email, log in, French then English, log out', async ({ page }) => {
  const email = `directrice.${Date.now()}@ecole-e2e.fr`
  await page.goto('/signup')
  await expect(page.getByRole('heading', { name: 'Créer un espace Carnet' })).toBeVisible()
  await expectAccessible(page)
  // Bad input first: a short password and the unticked box are each explained on their field.
  await page.getByLabel("Nom de l'établissement ou de la famille").fill('École des Tilleuls')
  await page.getByLabel('Prénom').fill('Hélène')
  await page.getByLabel('Nom', { exact: true }).fill('Moreau')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill('court')
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page.getByText('Cochez la case pour accepter')).toBeVisible()
  await page.getByLabel('Mot de passe').fill('motdepasse123')
  await page.getByLabel(/J'accepte les conditions/).check()
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page.getByText('fait partie des plus utilisés')).toBeVisible()
  await page.getByLabel('Mot de passe').fill(PASSWORD)
  await page.getByLabel(/J'accepte les conditions/).check()
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page.getByRole('heading', { name: 'Bonjour Hélène' })).toBeVisible()
  await expect(page.getByText("Votre adresse e-mail n'est pas encore vérifiée")).toBeVisible()

  const link = await linkFromMailbox(page, email, /vérifiez votre adresse/)
  await page.goto(link)
  await expect(page.getByText('Votre adresse e-mail est vérifiée')).toBeVisible()

  await page.getByRole('button', { name: 'Se déconnecter' }).click()
  await expect(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Se connecter' })).toBeVisible()
  await loginAs(page, email, PASSWORD)
  await expect(page.getByRole('heading', { name: 'Bonjour Hélène' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Ouvrir' })).toBeVisible()
  await expect(page.getByText('École des Tilleuls').first()).toBeVisible()
  await expectAccessible(page)

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { name: 'Hello Hélène' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Log in' })).toBeVisible()
})

test('six wrong passwords: the sixth attempt is throttled with a clear message', async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.66' })
  for (let i = 1; i <= 6; i++) {
    await page.goto('/login')
    await page.getByLabel(/Adresse e-mail/).fill('personne@demo.carnet.fr')
    await page.getByLabel(/^Mot de passe$/).fill(`pas-le-bon-mot-${i}`)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    if (i < 6) await expect(page.getByText('Adresse e-mail ou mot de passe incorrect.')).toBeVisible()
  }
  await expect(page.getByText(/Trop de tentatives\. Par sécurité, réessayez dans \d+ minute/)).toBeVisible()
})

test('password reset round trip: emailed link, new password, old one refused, link single-use', async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.77' })
  // Its own account: the demo logins keep their password for the other journeys.
  const email = `reset.${Date.now()}@ecole-e2e.fr`
  await page.goto('/signup')
  await page.getByLabel("Nom de l'établissement ou de la famille").fill('École du Parc')
  await page.getByLabel('Prénom').fill('Bruno')
  await page.getByLabel('Nom', { exact: true }).fill('Lefèvre')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill('un-ancien-mot-de-passe')
  await page.getByLabel(/J'accepte les conditions/).check()
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page.getByRole('heading', { name: 'Bonjour Bruno' })).toBeVisible()
  await page.getByRole('button', { name: 'Se déconnecter' }).click()
  await expect(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Se connecter' })).toBeVisible()

  await page.goto('/forgot-password')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByRole('button', { name: 'Envoyer le lien' }).click()
  await expect(page.getByText('Si un compte existe pour cette adresse')).toBeVisible()
  const link = await linkFromMailbox(page, email, /réinitialiser/)
  await page.goto(link)
  await page.getByLabel('Nouveau mot de passe').fill(PASSWORD)
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
  await expect(page.getByText('Mot de passe changé.')).toBeVisible()
  // The old password no longer opens the account; the new one does.
  await page.goto('/login')
  await page.getByLabel(/Adresse e-mail/).fill(email)
  await page.getByLabel(/^Mot de passe$/).fill('un-ancien-mot-de-passe')
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await expect(page.getByText('Adresse e-mail ou mot de passe incorrect.')).toBeVisible()
  await loginAs(page, email, PASSWORD)
  await page.getByRole('button', { name: 'Se déconnecter' }).click()
  await expect(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Se connecter' })).toBeVisible()
  // The link cannot be used twice.
  await page.goto(link)
  await page.getByLabel('Nouveau mot de passe').fill('encore-un-autre-mot-de-passe')
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
  await expect(page.getByText('Ce lien de réinitialisation est invalide, déjà utilisé ou expiré')).toBeVisible()
})

test('devices page lists sessions and revokes another device', async ({ page, browser }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.88' })
  const other = await browser.newContext()
  const otherPage = await other.newPage()
  await loginAs(otherPage, 'dpo')
  await loginAs(page, 'dpo')
  await page.goto('/account/devices')
  await expect(page.getByText('cet appareil')).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Déconnecter', exact: true }).first().click()
  await expect(page.getByText('Session fermée.')).toBeVisible()
  await otherPage.goto('/account')
  await expect(otherPage).toHaveURL(/\/login/)
  await other.close()
})
