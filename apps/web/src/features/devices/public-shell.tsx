import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../shared/i18n/i18n-context';
import { LanguageSwitch } from '../../shared/layout/language-switch';
import { useSession } from '../access/session-context';
import '../field/campaign.css';
import './devices.css';

/** The frame of the device programme's public pages (figures, sponsor registration): no sign-in needed. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user } = useSession();
  return (
    <div className="public-shell">
      <header className="public-top">
        <Link to="/cong-khai/thiet-bi" className="brand">
          <span className="brand-mark" aria-hidden="true">
            CD
          </span>
          <span className="brand-text">
            <span className="brand-name" style={{ color: 'var(--c-text)' }}>
              {t('app.name')}
            </span>
            <span className="brand-sub" style={{ color: 'var(--c-text-muted)' }}>
              {t('app.city')}
            </span>
          </span>
        </Link>
        <div className="public-top-actions">
          <LanguageSwitch />
          <Link className="btn btn-secondary btn-sm" to={user ? '/' : '/sign-in'}>
            {user ? t('dsPublic.toApp') : t('signIn.submit')}
          </Link>
        </div>
      </header>
      <main id="main" className="public-main device-page">
        {children}
      </main>
    </div>
  );
}
