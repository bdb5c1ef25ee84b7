import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { config } from '~/config.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { PageHeader, Section } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

// The accessibility statement, on the RGAA model: conformance, what was tested, the known
// non-conformities and their remedy, how to reach us, and the recourse (Défenseur des droits).
// Linked from every page's footer; public.
export const meta = pageTitle('title.accessibility')
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader(_: LoaderFunctionArgs) {
  return { url: config.appUrl, contact: config.contactEmail }
}

const PAGES = ['sign_in', 'account', 'child', 'family', 'classes', 'staff', 'dpo', 'privacy', 'operator', 'public'] as const
const ISSUES = ['pdf', 'dates', 'subprocessor'] as const
const DDD_FORM = 'https://formulaire.defenseurdesdroits.fr/'
const DDD_DELEGATES = 'https://www.defenseurdesdroits.fr/saisir/delegues'

export default function Accessibility() {
  const t = useT()
  const { url, contact } = useLoaderData<typeof loader>()
  return (
    <div className="container narrow">
      <PageHeader title={t('a11y.title')} />
      <p>{t('a11y.intro', { url })}</p>
      <Section title={t('a11y.state_title')}>
        <p>{t('a11y.state')}</p>
      </Section>
      <Section title={t('a11y.results_title')}>
        <p>{t('a11y.results')}</p>
        <Section title={t('a11y.pages_title')} level={3} card={false}>
          <ul>
            {PAGES.map((p) => (
              <li key={p}>{t(`a11y.page.${p}`)}</li>
            ))}
          </ul>
        </Section>
      </Section>
      <Section title={t('a11y.issues_title')}>
        <p>{t('a11y.issues_intro')}</p>
        <ul>
          {ISSUES.map((i) => (
            <li key={i}>
              {t(`a11y.issue.${i}`)}
              <br />
              {t(`a11y.issue.${i}_fix`)}
            </li>
          ))}
        </ul>
        <Section title={t('a11y.derogations_title')} level={3} card={false}>
          <p>{t('a11y.derogations')}</p>
        </Section>
        <Section title={t('a11y.excluded_title')} level={3} card={false}>
          <p>{t('a11y.excluded')}</p>
        </Section>
      </Section>
      <Section title={t('a11y.made_title')}>
        <p>{t('a11y.made')}</p>
      </Section>
      <Section title={t('a11y.feedback_title')}>
        <p>{t('a11y.feedback')}</p>
        <p>{contact ? <a href={`mailto:${contact}`}>{t('a11y.contact_email', { email: contact })}</a> : t('a11y.contact_school')}</p>
      </Section>
      <Section title={t('a11y.recourse_title')}>
        <p>{t('a11y.recourse')}</p>
        <ul>
          <li>
            <a href={DDD_FORM}>{t('a11y.recourse_form')}</a>
          </li>
          <li>
            <a href={DDD_DELEGATES}>{t('a11y.recourse_delegate')}</a>
          </li>
          <li>{t('a11y.recourse_phone')}</li>
          <li>{t('a11y.recourse_post')}</li>
        </ul>
      </Section>
    </div>
  )
}
