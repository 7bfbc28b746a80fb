import { useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { barWidth, coverage } from './progress-rows';
import './campaign.css';

export type Tone = 'good' | 'info' | 'warn' | 'bad' | 'muted';

const TONES: Record<string, Tone> = {
  // quotas
  done: 'good',
  on_track: 'info',
  at_risk: 'warn',
  overdue: 'bad',
  // invites, devices
  active: 'good',
  used: 'muted',
  expired: 'muted',
  revoked: 'bad',
  // refusals, conflicts, needs
  open: 'warn',
  accepted: 'good',
  dismissed: 'muted',
  kept_newer: 'muted',
  accepted_visit: 'good',
  met: 'good',
  cancelled: 'muted',
};

/** A status as a word on a tinted chip; the tone follows the status's meaning. */
export function StatusChip({ prefix, value, tone }: { prefix: string; value: string; tone?: Tone }) {
  const { label } = useI18n();
  const t = tone ?? TONES[value] ?? 'muted';
  return <span className={`badge ${t === 'muted' ? 'badge-muted' : `chip-${t}`}`}>{label(prefix, value)}</span>;
}

export const OUTCOME_TONE: Record<string, Tone> = { done: 'good', nobody_home: 'warn', refused: 'bad', moved_away: 'muted' };

/** Households visited of those given, as a bar with the figure beside it. */
export function PercentBar({ visited, assigned }: { visited: number; assigned: number }) {
  const { t, number, percent } = useI18n();
  const pct = coverage(visited, assigned);
  if (pct === null) return <span className="muted small">{t('campaign.noneAssigned')}</span>;
  return (
    <span className="pct" title={t('campaign.ofAssigned', { visited: number(visited), assigned: number(assigned) })}>
      <span className="pct-track" aria-hidden="true">
        <span className={`pct-fill${pct >= 100 ? ' is-done' : ''}`} style={{ width: `${barWidth(pct)}%` }} />
      </span>
      <span className="pct-value">{percent(pct)}</span>
    </span>
  );
}

/**
 * A button that asks once more before doing something that cannot simply be undone
 * (removing a member, revoking a device). The question is said in words, beside the button.
 */
export function ConfirmAction({
  label,
  question,
  onConfirm,
  pending,
  danger = true,
}: {
  label: string;
  question: ReactNode;
  onConfirm: () => void;
  pending: boolean;
  danger?: boolean;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setAsking(true)} disabled={pending}>
        {label}
      </button>
    );
  }
  return (
    <div className="inline-confirm" role="group">
      <span>{question}</span>
      <span className="btn-row">
        <button
          type="button"
          className={`btn btn-sm ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={pending}
          onClick={() => {
            onConfirm();
            setAsking(false);
          }}
        >
          {pending ? t('campaign.working') : t('campaign.confirm')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAsking(false)} disabled={pending}>
          {t('action.cancel')}
        </button>
      </span>
    </div>
  );
}

type Tab = { to: string; label: MessageKey; show: boolean };

/** The campaign's pages under one menu entry: these tabs lead between them. */
export function CampaignTabs() {
  const { t } = useI18n();
  const me = useMe();
  const tabs: Tab[] = [
    { to: '/teams', label: 'campaign.teams', show: can(me.role, 'campaign') },
    { to: '/campaign/progress', label: 'campaign.progress', show: can(me.role, 'campaign') },
    { to: '/campaign/review', label: 'campaign.review', show: can(me.role, 'reviewField') },
  ];
  return (
    <nav className="status-tabs campaign-tabs" aria-label={t('campaign.tabs')}>
      {tabs
        .filter((tab) => tab.show)
        .map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.to !== '/teams'} className={({ isActive }) => `status-tab${isActive ? ' active' : ''}`}>
            {t(tab.label)}
          </NavLink>
        ))}
    </nav>
  );
}
