import { usePagedList } from '../../shared/api/use-paged-list';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { UnitSelect } from '../registry/unit-select';
import { ALLOCATION_STATUSES, deviceKeys, fetchAllocations, type AllocationStatus, type AllocationView } from './devices-api';
import { vietnamToday } from '../../shared/i18n/formats';
import { AllocationChip, DeviceTabs, lotName, ScoreReasons, ReportLink } from './device-ui';
import { CancelForm, FollowUpForm, HandoverForm, ScheduleForm } from './handover-forms';

type Mode = 'schedule' | 'handover' | 'followUp' | 'cancel';
const MODE_TITLE: Record<Mode, MessageKey> = {
  schedule: 'dsHandover.scheduleTitle',
  handover: 'dsHandover.recordTitle',
  followUp: 'dsHandover.followUpTitle',
  cancel: 'dsHandover.cancelTitle',
};

/** Allocations of the reader's area: schedule, record the handover, follow up a month later, or cancel. */
export function DeviceHandoversPage() {
  const { t, label } = useI18n();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const statusParam = params.get('status') ?? '';
  const status = (ALLOCATION_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as AllocationStatus) : undefined;
  const filters = { unit: unit || undefined, status };
  const [active, setActive] = useState<{ a: AllocationView; mode: Mode } | null>(null);
  const [done, setDone] = useState('');
  const panel = useRef<HTMLElement | null>(null);
  const query = usePagedList(deviceKeys.allocations(filters), (cursor) => fetchAllocations(filters, cursor), { keepPrevious: true });
  const items = query.items;

  useEffect(() => {
    if (active) panel.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [active]);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setActive(null);
  };
  const finish = (msg: string) => {
    setActive(null);
    setDone(msg);
  };

  return (
    <div className="device-page">
      <PageHeader
        title={t('dsHandover.title')}
        subtitle={t('dsHandover.subtitle')}
        actions={
          <ReportLink unit={unit} />
        }
      />
      <DeviceTabs />
      <div className="toolbar">
        <UnitSelect id="handover-unit" value={unit} onChange={(code) => set('unit', code)} />
        <div className="segmented" role="group" aria-label={t('dsHandover.statusFilter')}>
          <button type="button" className="segmented-button" aria-pressed={!status} onClick={() => set('status', '')}>
            {t('filter.all')}
          </button>
          {ALLOCATION_STATUSES.map((s) => (
            <button key={s} type="button" className="segmented-button" aria-pressed={status === s} onClick={() => set('status', s)}>
              {label('allocationStatus', s)}
            </button>
          ))}
        </div>
      </div>
      {done && (
        <p className="form-success" role="status">
          {done}
        </p>
      )}
      {active && (
        <section ref={panel} className="card" aria-labelledby="handover-panel-title" style={{ scrollMarginTop: 80 }}>
          <h2 id="handover-panel-title" className="form-title">
            {t(MODE_TITLE[active.mode])}
          </h2>
          <p className="muted small panel-sub">
            {active.a.address} · {active.a.unitName} · {lotName(active.a, t('dsStock.anyModel'))}
          </p>
          {active.mode === 'schedule' && <ScheduleForm key={active.a.id} a={active.a} onClose={() => setActive(null)} />}
          {active.mode === 'handover' && <HandoverForm key={active.a.id} a={active.a} onDone={finish} onClose={() => setActive(null)} />}
          {active.mode === 'followUp' && <FollowUpForm key={active.a.id} a={active.a} onDone={finish} onClose={() => setActive(null)} />}
          {active.mode === 'cancel' && <CancelForm key={active.a.id} a={active.a} onDone={finish} onClose={() => setActive(null)} />}
        </section>
      )}
      <section className="card table-card" aria-labelledby="allocations-title">
        <div className="card-intro">
          <h2 id="allocations-title" className="card-title">
            {t('dsHandover.listTitle')}
          </h2>
        </div>
        {query.isPending ? (
          <LoadingState />
        ) : query.isError && items.length === 0 ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t('dsHandover.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table stack-table">
                <caption className="sr-only">{t('dsHandover.listTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dsNeeds.colHousehold')}</th>
                    <th scope="col" className="col-optional">
                      {t('dsNeeds.colScore')}
                    </th>
                    <th scope="col" className="col-optional">
                      {t('dsHandover.colDevice')}
                    </th>
                    <th scope="col">{t('dsHandover.colStatus')}</th>
                    <th scope="col">{t('dsHandover.colActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <AllocationRow key={a.id} a={a} onAct={(mode) => {
                      setDone('');
                      setActive({ a, mode });
                    }} />
                  ))}
                </tbody>
              </table>
            </div>
            {query.isError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} />}
            <LoadMore shown={items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
          </>
        )}
      </section>
    </div>
  );
}

function AllocationRow({ a, onAct }: { a: AllocationView; onAct: (mode: Mode) => void }) {
  const { t, date, dateTime } = useI18n();
  const today = vietnamToday();
  const followUpOpen = a.status === 'handed_over' && !a.followUp;
  const followUpDue = followUpOpen && a.followUpDue !== null && a.followUpDue.slice(0, 10) <= today;
  return (
    <tr>
      <th scope="row">
        {a.address}
        <span className="cell-sub">{a.unitName}</span>
        {a.recipient && <span className="cell-sub">{t('dsHandover.recipientShort', { name: a.recipient.fullName })}</span>}
      </th>
      <td className="col-optional">
        <ScoreReasons score={a.score} reasons={a.reasons} />
      </td>
      <td className="col-optional">
        {lotName(a, t('dsStock.anyModel'))}
        {a.imeiMasked && <span className="cell-sub mono">IMEI {a.imeiMasked}</span>}
      </td>
      <td>
        <AllocationChip status={a.status} />
        <span className="cell-sub">
          {a.status === 'allocated' && t('dsHandover.allocatedOn', { date: dateTime(a.allocatedAt) })}
          {a.status === 'scheduled' && t('dsHandover.scheduledFor', { date: date(a.scheduledFor) })}
          {a.status === 'handed_over' && t('dsHandover.handedOn', { date: date(a.handedOverOn) })}
          {a.status === 'cancelled' && (a.cancelReason ?? '')}
        </span>
        {a.status === 'handed_over' && (
          <span className="cell-sub">
            {a.followUp
              ? t(a.followUp.inUse ? 'dsHandover.followUpInUse' : 'dsHandover.followUpNotInUse', { date: date(a.followUp.at) })
              : t('dsHandover.followUpDue', { date: date(a.followUpDue) })}
          </span>
        )}
      </td>
      <td>
        <div className="btn-row">
          {a.status === 'allocated' && (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => onAct('schedule')}>
              {t('dsHandover.schedule')}
            </button>
          )}
          {a.status === 'scheduled' && (
            <>
              <button type="button" className="btn btn-primary btn-sm" onClick={() => onAct('handover')}>
                {t('dsHandover.record')}
              </button>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onAct('schedule')}>
                {t('dsHandover.reschedule')}
              </button>
            </>
          )}
          {(a.status === 'allocated' || a.status === 'scheduled') && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onAct('cancel')}>
              {t('dsHandover.cancelAllocation')}
            </button>
          )}
          {followUpOpen && (
            <button type="button" className={`btn btn-sm ${followUpDue ? 'btn-primary' : 'btn-secondary'}`} onClick={() => onAct('followUp')}>
              {t('dsHandover.followUp')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
