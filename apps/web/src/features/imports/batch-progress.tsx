import { useRef } from 'react';
import { useI18n } from '../../shared/i18n/i18n-context';
import { ROW_STATUSES } from './import-fields';
import type { ImportBatchView } from './imports-api';

/** The four outcome counts as coloured chips. */
export function StatusChips({ batch }: { batch: ImportBatchView }) {
  const { label, number } = useI18n();
  return (
    <span className="status-chips">
      {ROW_STATUSES.map((s) => (
        <span key={s} className={`badge row-status-${s}${batch[s] === 0 ? ' is-zero' : ''}`}>
          {label('rowStatus', s)} {number(batch[s])}
        </span>
      ))}
    </span>
  );
}

export function BatchStatusBadge({ status }: { status: ImportBatchView['status'] }) {
  const { label } = useI18n();
  return <span className={`badge batch-status-${status}`}>{label('batchStatus', status)}</span>;
}

/** A measured pace: the first poll seen of this batch and the latest, so rows/s is this run's. */
interface Pace {
  batchId: number;
  firstAt: number;
  firstProcessed: number;
}

/**
 * Rows per second while running: from the first poll this page saw to now, or, before the page
 * has seen progress, the batch's whole run since it was created.
 */
function useRowsPerSecond(batch: ImportBatchView): number | null {
  const pace = useRef<Pace | null>(null);
  if (batch.status !== 'running') return null;
  const now = Date.now();
  if (pace.current?.batchId !== batch.id) pace.current = { batchId: batch.id, firstAt: now, firstProcessed: batch.processed };
  const seen = pace.current;
  const seconds = (now - seen.firstAt) / 1000;
  if (seconds >= 2 && batch.processed > seen.firstProcessed) return (batch.processed - seen.firstProcessed) / seconds;
  const sinceCreated = (now - Date.parse(batch.createdAt)) / 1000;
  return batch.processed > 0 && sinceCreated > 0 ? batch.processed / sinceCreated : null;
}

/**
 * A progress bar. With the record count the server estimated from the file (its lines, or the
 * sheet's dimension) it shows a percentage, rows per second and the time left; without one (a
 * workbook that does not state its size) the bar moves and the processed count grows beside it.
 */
export function ProgressBar({ batch, compact = false }: { batch: ImportBatchView; compact?: boolean }) {
  const { t, number } = useI18n();
  const running = batch.status === 'running';
  const rate = useRowsPerSecond(batch);
  const total = batch.total;
  const determinate = running && total !== null && total > 0;
  const percent = determinate ? Math.min(100, Math.floor((batch.processed / total) * 100)) : running ? null : 100;
  const left = determinate && rate !== null && rate > 0 ? Math.max(total - batch.processed, 0) / rate : null;
  const counted = determinate
    ? t('batch.processedOf', { n: number(batch.processed), total: number(total), pct: percent ?? 0 })
    : t('batch.processed', { n: number(batch.processed) });
  return (
    <div className={`import-progress${compact ? ' compact' : ''}`}>
      <div
        className={`progress-track${running && !determinate ? ' running' : ''}${determinate ? ' determinate' : ''} progress-${batch.status}`}
        role="progressbar"
        aria-label={t('batch.progress')}
        aria-valuemin={percent === null ? undefined : 0}
        aria-valuemax={percent === null ? undefined : 100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={counted}
      >
        <span className="progress-fill" style={determinate ? { width: `${percent}%` } : undefined} />
      </div>
      <span className="small muted nowrap">
        {counted}
        {running && rate !== null && <> · {t('batch.rate', { n: number(Math.round(rate)) })}</>}
        {left !== null && <> · {t('batch.timeLeft', { time: duration(left, t) })}</>}
      </span>
    </div>
  );
}

/** "2 giờ 5 phút", "3 phút", "40 giây": the two largest units are enough for an estimate. */
function duration(seconds: number, t: ReturnType<typeof useI18n>['t']): string {
  const s = Math.max(1, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return m > 0 ? `${t('time.hours', { n: h })} ${t('time.minutes', { n: m })}` : t('time.hours', { n: h });
  if (m > 0) return t('time.minutes', { n: s >= 600 ? Math.round(s / 60) : m });
  return t('time.seconds', { n: s });
}

/** The counts as one stacked bar with a legend: how the processed rows came out. */
export function OutcomeChart({ batch }: { batch: ImportBatchView }) {
  const { t, label, number } = useI18n();
  const total = ROW_STATUSES.reduce((sum, s) => sum + batch[s], 0);
  let x = 0;
  return (
    <figure className="outcome-chart">
      <figcaption className="small muted">{t('batch.chartTitle')}</figcaption>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="outcome-bar" role="img" aria-label={ROW_STATUSES.map((s) => `${label('rowStatus', s)}: ${number(batch[s])}`).join(', ')}>
        <rect x="0" y="0" width="100" height="10" className="outcome-empty" />
        {total > 0 &&
          ROW_STATUSES.map((s) => {
            const w = (batch[s] / total) * 100;
            const rect = <rect key={s} x={x} y="0" width={w} height="10" className={`outcome-${s}`} />;
            x += w;
            return rect;
          })}
      </svg>
      <ul className="outcome-legend">
        {ROW_STATUSES.map((s) => (
          <li key={s}>
            <span className={`legend-swatch outcome-swatch-${s}`} aria-hidden="true" />
            {label('rowStatus', s)} <strong>{number(batch[s])}</strong>
            {total > 0 && <span className="muted small"> ({Math.round((batch[s] / total) * 100)}%)</span>}
          </li>
        ))}
      </ul>
    </figure>
  );
}
