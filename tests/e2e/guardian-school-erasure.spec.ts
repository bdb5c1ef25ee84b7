// A parent's "delete" of a school pupil is a request to the school's DPO (issue 13 §4): from
// "Supprimer mon compte", the parent asks for Zoé's erasure, sees its reference, state and due
// date where they asked, and the school's DPO finds it in the request list.
import { expect, test } from '@playwright/test'
import { expectAccessible, loginAs } from './fixtures'

test("a parent asks the school to erase Zoé's data and follows the request; the DPO receives it", async ({ page, browser }) => {
  await loginAs(page, 'parent')
  await page.goto('/account/delete')
  // The family child is deleted directly; the school pupil is asked of the school.
  await expect(page.getByRole('link', { name: /^Supprimer le compte de Léo/ })).toBeVisible()
  await page.getByRole('link', { name: /^Demander à l'établissement l'effacement des données de Zoé/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: /^Demander l'effacement des données de Zoé/ })).toBeVisible()
  await expect(page.getByText(/délai d'un mois, prolongeable/)).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel(/Je demande à l'établissement l'effacement des données de Zoé/).check()
  await page.getByRole('button', { name: 'Envoyer la demande au DPO' }).click()
  const done = page.getByText(/Demande DSR-\d{4}-\w+ envoyée à l'établissement\. Réponse attendue au plus tard le/)
  await expect(done).toBeVisible()
  const reference = ((await done.textContent()) ?? '').match(/DSR-\d{4}-\w+/)![0]
  // Its state, on the child's page (no second request offered while it is open) and on the account page.
  await page.reload()
  await expect(page.getByRole('table').getByText(reference)).toBeVisible()
  await expect(page.getByText(`Votre demande ${reference} est en cours`)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Envoyer la demande au DPO' })).toHaveCount(0)
  await expectAccessible(page)
  await page.goto('/account/delete')
  await expect(page.getByText(new RegExp(`Demande ${reference} : `))).toBeVisible()

  // The school's DPO has it in the list (forwarded within the minute by the job or the sweep).
  const dpoCtx = await browser.newContext({ locale: 'fr-FR', baseURL: test.info().project.use.baseURL })
  const dpo = await dpoCtx.newPage()
  await loginAs(dpo, 'dpo')
  await dpo.goto('/home')
  const orgHref = (await dpo.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await dpo.goto(`${orgHref}/dpo/requests`)
  await expect(dpo.getByText(reference)).toBeVisible()
  await dpoCtx.close()
})
