import { NavLink } from 'react-router';
import type { PriorityReason } from '@cds/contract';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { useMe } from '../access/session-context';
import { StatusChip, type Tone } from '../field/campaign-ui';
import { reportUrl } from './devices-api';
import { share } from './chart-data';
import { scoreReasons } from './device-rules';
import './devices.css';

/** The officials' device-support pages under one menu entry: these tabs lead between them. */
export function DeviceTabs() {
  const { t } = useI18n();
  const tabs: Array<{ to: string; label: MessageKey }> = [
    { to: '/devices', label: 'dsTabs.needs' },
    { to: '/devices/stock', label: 'dsTabs.stock' },
    { to: '/devices/handovers', label: 'dsTabs.handovers' },
    { to: '/devices/sponsors', label: 'dsTabs.sponsors' },
  ];
  return (
    <nav className="status-tabs campaign-tabs device-tabs" aria-label={t('dsTabs.label')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end className={({ isActive }) => `status-tab${isActive ? ' active' : ''}`}>
          {t(tab.label)}
        </NavLink>
      ))}
    </nav>
  );
}

/** A rule's name in the reader's language; the server's label when the dictionary has none. */
export function useReasonName() {
  const { lang, label } = useI18n();
  return (r: PriorityReason) => (lang === 'vi' ? r.label : label('priority', r.code));
}

/** The score, and under it every reason with the points it gave: a person can see why. */
export function ScoreReasons({ reasons, score }: { reasons: readonly PriorityReason[]; score: number }) {
  const { t, number } = useI18n();
  const name = useReasonName();
  const { parts } = scoreReasons(reasons, name);
  return (
    <div>
      <span className="score" title={t('dsNeeds.scoreTitle')}>
        {number(score)}
      </span>
      {parts.length === 0 ? (
        <p className="muted small">{t('dsNeeds.noReasons')}</p>
      ) : (
        <ul className="reason-list" aria-label={t('dsNeeds.reasons')}>
          {parts.map((p) => (
            <li key={p.code}>{p.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const ALLOCATION_TONE: Record<string, Tone> = { allocated: 'info', scheduled: 'warn', handed_over: 'good', cancelled: 'muted' };

export function AllocationChip({ status }: { status: string }) {
  return <StatusChip prefix="allocationStatus" value={status} tone={ALLOCATION_TONE[status] ?? 'muted'} />;
}

/** Stock of one lot: handed over and allocated of what the unit received, and what is left. */
export function StockBar({ received, available, handedOver }: { received: number; available: number; handedOver?: number }) {
  const { t, number } = useI18n();
  const allocated = Math.max(0, received - available);
  const handed = Math.min(allocated, handedOver ?? 0);
  const width = (n: number) => `${Math.max(0, Math.min(100, share(n, received) ?? 0))}%`;
  return (
    <div className="stock-bar">
      <div
        className="stock-track"
        role="img"
        aria-label={t('dsStock.barLabel', { allocated: number(allocated), received: number(received), available: number(available) })}
      >
        {handed > 0 && <span className="stock-handed" style={{ width: width(handed) }} />}
        <span className="stock-allocated" style={{ width: width(allocated - handed) }} />
      </div>
      <div className="stock-legend">
        {handedOver !== undefined && (
          <span>
            <span className="swatch stock-handed" aria-hidden="true" />
            {t('dsStock.legendHanded', { n: number(handed) })}
          </span>
        )}
        <span>
          <span className="swatch stock-allocated" aria-hidden="true" />
          {t('dsStock.legendAllocated', { n: number(allocated - (handedOver !== undefined ? handed : 0)) })}
        </span>
        <span>
          <span className="swatch" style={{ background: 'var(--c-unknown-bg)', border: '1px solid var(--c-border-strong)' }} aria-hidden="true" />
          <strong>{t('dsStock.legendAvailable', { n: number(available) })}</strong>
        </span>
      </div>
    </div>
  );
}

/** A device lot as one line: sponsor · model · 4G/5G. */
export function lotName(s: { sponsorName: string; model: string | null; network: string }, anyModel: string): string {
  return `${s.sponsorName} · ${s.model ?? anyModel} · ${s.network.toUpperCase()}`;
}

/**
 * The unit's XLSX report. A unit official gets their own unit's; city staff choose a unit first
 * (the server asks for one), so until then the button says so instead of downloading an error.
 */
export function ReportLink({ unit }: { unit: string }) {
  const { t } = useI18n();
  const me = useMe();
  if (!unit && me.role !== 'unit_official') {
    return (
      <button type="button" className="btn btn-secondary" disabled title={t('dsReport.chooseUnit')}>
        {t('dsReport.download')}
      </button>
    );
  }
  return (
    <a className="btn btn-secondary" href={reportUrl(unit)} download>
      {t('dsReport.download')}
    </a>
  );
}
