import { NavLink } from 'react-router';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { CompetitionView } from './learning-api';
import './learning.css';

export function LearningTabs() {
  const { t } = useI18n();
  const tabs: Array<{ to: string; label: MessageKey; end: boolean }> = [
    { to: '/learning', label: 'lrnTabs.progress', end: true },
    { to: '/learning/competitions', label: 'lrnTabs.competitions', end: false },
  ];
  return (
    <nav className="status-tabs campaign-tabs learning-tabs" aria-label={t('lrnTabs.label')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => `status-tab${isActive ? ' active' : ''}`}>
          {t(tab.label)}
        </NavLink>
      ))}
    </nav>
  );
}

export function CompetitionStatusBadge({ status }: { status: CompetitionView['status'] }) {
  const { t } = useI18n();
  const cls = status === 'active' ? 'badge badge-info' : 'badge badge-muted';
  return <span className={cls}>{t(`lrnStatus.${status}`)}</span>;
}

/** "95,0% (2.751/2.896)". */
export function Rate({ rate, part, whole }: { rate: number; part: number; whole: number }) {
  const { number } = useI18n();
  return (
    <span className="rate-cell">
      <strong>{number(rate)}%</strong> <span className="muted small">({number(part)}/{number(whole)})</span>
    </span>
  );
}
