// A child's login card on the parent's screen: the QR code a tablet scans, the family's and the
// child's codes to type instead, and a link to open the child's space on this device.
import { useT } from '~/i18n'
import type { LoginCard } from './intents'

export function LoginCardView({ card, familyCode }: { card: LoginCard; familyCode: string | null }) {
  const t = useT()
  return (
    <div className="card login-card" aria-live="polite">
      <h4>{t('families.card.title', { name: card.firstName })}</h4>
      <svg role="img" aria-label={t('families.card.qr_label', { name: card.firstName })} viewBox={`0 0 ${card.qr.viewBox} ${card.qr.viewBox}`} className="qr" shapeRendering="crispEdges">
        <path d={card.qr.d} fill="#000" />
      </svg>
      <p>{t('families.card.scan')}</p>
      {familyCode && (
        <>
          <p className="or-type">{t('families.card.or_type')}</p>
          <dl className="login-codes">
            <dt>{t('families.card.family_code')}</dt>
            <dd>{familyCode}</dd>
            <dt>{t('families.card.child_code', { name: card.firstName })}</dt>
            <dd data-testid="child-code">{card.code}</dd>
          </dl>
        </>
      )}
      <p>
        <a className="button secondary" href={card.url} data-testid="card-link">
          {t('families.card.open_here', { name: card.firstName })}
        </a>
      </p>
      <p className="hint">{t('families.card.open_here_hint')}</p>
    </div>
  )
}
