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

/**
 * A progress bar. The server does not say how many records the file holds, so while running the
 * bar moves (without a percentage) and the processed count grows beside it; when done it is full.
 */
export function ProgressBar({ batch, compact = false }: { batch: ImportBatchView; compact?: boolean }) {
  const { t, number } = useI18n();
  const running = batch.status === 'running';
  return (
    <div className={`import-progress${compact ? ' compact' : ''}`}>
      <div
        className={`progress-track${running ? ' running' : ''} progress-${batch.status}`}
        role="progressbar"
        aria-label={t('batch.progress')}
        aria-valuetext={t('batch.processed', { n: number(batch.processed) })}
      >
        <span className="progress-fill" />
      </div>
      <span className="small muted nowrap">{t('batch.processed', { n: number(batch.processed) })}</span>
    </div>
  );
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
