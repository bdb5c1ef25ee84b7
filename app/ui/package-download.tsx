// The access package on the requester's own pages ("Mes demandes", the status link page), once
// the DPO released it (issue 13 §5, ADR 022): whether it can still be downloaded, until when and
// how many times, and its download (`action`, a resource route: "Mes demandes" for the signed-in
// requester, …/package of the status link for a public one), within the released link's limits.
import { Form } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import type { PackageLinkView } from '~/privacy/rights-requests/package-links.server'
import { Notice } from './shell'

export function PackageDownload({ link, action }: { link: PackageLinkView | null; action?: string }) {
  const t = useT()
  if (!link) return null
  const date = (d: string) => formatDate(t.lang, d, true)
  if (link.state !== 'available')
    return <Notice kind={link.state === 'erased' ? 'info' : 'error'}>{t(`dsr.package_status.${link.state}`, { date: date(link.expiresAt), max: link.maxDownloads })}</Notice>
  return (
    <div className="card">
      <h3>{t('dsr.package_status.title')}</h3>
      <p>{t('dsr.package_status.available', { date: date(link.expiresAt), left: link.downloadsLeft })}</p>
      {action ? (
        <Form method="post" action={action} reloadDocument>
          <button type="submit">{t('dsr.package_page.download')}</button>
        </Form>
      ) : (
        <p className="hint">{t('dsr.package_status.use_email', { date: date(link.releasedAt) })}</p>
      )}
    </div>
  )
}
