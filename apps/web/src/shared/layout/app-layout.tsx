import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { sessionKey, signOut } from '../../features/access/access-api';
import { can, type Capability } from '../../features/access/permissions';
import { useMe } from '../../features/access/session-context';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/dictionary-vi';
import { LanguageSwitch } from './language-switch';

type NavItem = {
  to: string;
  label: MessageKey;
  capability: Capability;
  /** Other paths under the same entry: the campaign's pages share one, so the menu stays on one line. */
  also?: readonly string[];
  /** A page outside this app (the field app at /field): a plain link, loaded by the browser. */
  external?: boolean;
};

const NAV_ITEMS: readonly NavItem[] = [
  { to: '/me', label: 'nav.mine', capability: 'mine' },
  { to: '/units', label: 'nav.units', capability: 'units' },
  { to: '/households', label: 'nav.households', capability: 'households' },
  { to: '/residents', label: 'nav.residents', capability: 'residents' },
  { to: '/plans', label: 'nav.plans', capability: 'plans' },
  { to: '/reports', label: 'nav.reports', capability: 'reportFigures' },
  { to: '/teams', label: 'nav.campaign', capability: 'campaign', also: ['/campaign'] },
  { to: '/devices', label: 'nav.devices', capability: 'deviceSupport' },
  { to: '/learning', label: 'nav.learning', capability: 'learning' },
  { to: '/sponsor', label: 'nav.sponsor', capability: 'sponsorPortal' },
  { to: '/field', label: 'nav.fieldApp', capability: 'fieldApp', external: true },
  { to: '/imports', label: 'nav.imports', capability: 'imports' },
  { to: '/audit', label: 'nav.audit', capability: 'audit' },
];

export function AppLayout() {
  const me = useMe();
  const { t, label } = useI18n();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  // A new page closes the phone menu.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  const items = NAV_ITEMS.filter((item) => can(me.role, item.capability));

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } catch {
      // Even if the server did not answer, forget everything this browser holds.
    }
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    queryClient.setQueryData(sessionKey, null);
    setSigningOut(false);
    navigate('/sign-in', { replace: true });
  }

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              CD
            </span>
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-sub">{t('app.city')}</span>
            </span>
          </NavLink>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-icon" aria-hidden="true" />
            {t('nav.menu')}
          </button>
          <div id="main-nav" className={`nav-panel${menuOpen ? ' open' : ''}`}>
            <nav aria-label={t('nav.label')}>
              <ul className="nav-list">
                {items.map((item) => (
                  <li key={item.to}>
                    {item.external ? (
                      <a href={item.to} className="nav-link">
                        {t(item.label)}
                      </a>
                    ) : (
                      <NavLink
                        to={item.to}
                        className={({ isActive }) =>
                          `nav-link${isActive || item.also?.some((p) => location.pathname.startsWith(p)) ? ' active' : ''}`
                        }
                      >
                        {t(item.label)}
                      </NavLink>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
            <div className="nav-user">
              <LanguageSwitch />
              <span className="user-chip" title={me.username}>
                <span className="user-name">{me.displayName}</span>
                {label('role', me.role) !== me.displayName && <span className="user-role">{label('role', me.role)}</span>}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={handleSignOut} disabled={signingOut}>
                {t('action.signOut')}
              </button>
            </div>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
