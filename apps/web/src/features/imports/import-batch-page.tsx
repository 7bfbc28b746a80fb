import { usePagedList } from '../../shared/api/use-paged-list';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { BatchStatusBadge, OutcomeChart, ProgressBar } from './batch-progress';
import { ROW_STATUSES } from './import-fields';
import { fetchBatch, fetchRows, importKeys, reportUrl, rollbackImport, type ImportBatchView, type ImportRollbackView, type RowStatus } from './imports-api';
import { AppliedRows, RejectedRow, ReviewRow } from './import-rows';

function statusFrom(value: string | null): RowStatus {
  return ROW_STATUSES.find((s) => s === value) ?? 'review';
}

/** One import: its progress while it runs, then its rows by outcome, to decide and to fix. */
export function ImportBatchPage() {
  const { t, label, dateTime } = useI18n();
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const [search, setSearch] = useSearchParams();
  const status = statusFrom(search.get('status'));
  const [confirming, setConfirming] = useState(false);

  const batch = useQuery({
    queryKey: importKeys.batch(id),
    queryFn: () => fetchBatch(id),
    enabled: valid,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
  });

  if (!valid) return <NotFoundPage />;

  return (
    <>
      <PageHeader
        title={batch.data?.fileName ?? t('batch.titleLoading')}
        subtitle={
          batch.data
            ? t('batch.meta', {
                source: label('sourceType', batch.data.sourceType),
                at: dateTime(batch.data.createdAt),
                who: batch.data.createdBy ?? t('imports.unknownUser'),
              })
            : undefined
        }
        crumbs={[{ label: t('imports.title'), to: '/imports' }, { label: batch.data?.fileName ?? `#${id}` }]}
        actions={
          batch.data && (
            <>
              <a className="btn btn-secondary" href={reportUrl(id)} download>
                {t('batch.report')}
              </a>
              {batch.data.status !== 'rolled_back' && !confirming && (
                <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
                  {t('batch.rollback')}
                </button>
              )}
            </>
          )
        }
      />
      <QueryState query={batch}>
        {(b) => (
          <>
            {confirming && <RollbackConfirm batch={b} onDone={() => setConfirming(false)} />}
            <BatchSummary batch={b} />
            <div className="status-tabs" role="tablist" aria-label={t('batch.tabs')}>
              {ROW_STATUSES.map((s) => (
                <button
                  key={s}
                  type="button"
                  role="tab"
                  id={`tab-${s}`}
                  aria-selected={s === status}
                  aria-controls="rows-panel"
                  className={`status-tab row-tab-${s}${s === status ? ' active' : ''}`}
                  onClick={() => setSearch(s === 'review' ? {} : { status: s }, { replace: true })}
                >
                  {label('rowStatus', s)} <span className="count">{b[s]}</span>
                </button>
              ))}
            </div>
            <section id="rows-panel" role="tabpanel" aria-labelledby={`tab-${status}`}>
              <RowsPanel batch={b} status={status} />
            </section>
          </>
        )}
      </QueryState>
    </>
  );
}

function BatchSummary({ batch }: { batch: ImportBatchView }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card batch-summary" aria-label={t('batch.progress')}>
      <div className="batch-summary-head">
        <BatchStatusBadge status={batch.status} />
        <p className="small" aria-live="polite">
          {batch.status === 'running'
            ? t('batch.running')
            : batch.status === 'failed'
              ? t('batch.failed', { error: batch.error ?? '—' })
              : batch.status === 'rolled_back'
                ? t('batch.rolledBack')
                : t('batch.completed', { at: dateTime(batch.finishedAt) })}
        </p>
      </div>
      <ProgressBar batch={batch} />
      <OutcomeChart batch={batch} />
      {batch.rejected > 0 && <p className="hint">{t('batch.reportHint')}</p>}
    </section>
  );
}

/**
 * Rolling back undoes a whole file's effect on the registry, so it asks first and says what will
 * happen, and afterwards what did.
 */
function RollbackConfirm({ batch, onDone }: { batch: ImportBatchView; onDone: () => void }) {
  const { t, number } = useI18n();
  const client = useQueryClient();
  const [result, setResult] = useState<ImportRollbackView | null>(null);
  const mutation = useMutation({
    mutationFn: () => rollbackImport(batch.id),
    onSuccess: (done) => {
      setResult(done);
      client.setQueryData(importKeys.batch(batch.id), done.batch);
      void client.invalidateQueries({ queryKey: importKeys.all });
    },
  });
  if (result) {
    return (
      <section className="card rollback-panel rollback-done" role="status">
        <p>
          {t('batch.rollbackDone', {
            retracted: number(result.retractedFacts),
            residents: number(result.removedResidents),
            households: number(result.removedHouseholds),
            organisations: number(result.removedOrganisations),
            restored: number(result.restoredRecords),
          })}
        </p>
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          {t('batch.rollbackClose')}
        </button>
      </section>
    );
  }
  return (
    <section className="card rollback-panel" role="alertdialog" aria-labelledby="rollback-title" aria-describedby="rollback-explain">
      <h2 id="rollback-title" className="form-title">
        {t('batch.rollbackTitle')}
      </h2>
      <p id="rollback-explain">{t('batch.rollbackExplain')}</p>
      <p className="hint">{t('batch.rollbackKept')}</p>
      <div className="btn-row">
        <button type="button" className="btn btn-danger" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
          {mutation.isPending ? t('batch.rollbackWorking') : t('batch.rollbackConfirm')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={mutation.isPending} onClick={onDone}>
          {t('action.cancel')}
        </button>
      </div>
      {mutation.isError && <FormError error={mutation.error} />}
    </section>
  );
}

function RowsPanel({ batch, status }: { batch: ImportBatchView; status: RowStatus }) {
  const { t } = useI18n();
  // While the import runs, new rows arrive: look again now and then (first page only matters).
  const query = usePagedList(importKeys.rows(batch.id, status), (cursor) => fetchRows(batch.id, status, cursor), { refetchInterval: batch.status === 'running' ? 3000 : false });
  const items = query.items;

  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <EmptyState>{t(`rows.empty.${status}`)}</EmptyState>;

  return (
    <>
      {status === 'rejected' && (
        <p className="rows-intro hint">
          {t('rows.editHint')}{' '}
          <a href={reportUrl(batch.id)} download>
            {t('batch.report')}
          </a>
        </p>
      )}
      {status === 'review' || status === 'rejected' ? (
        <ul className="row-cards">
          {items.map((row) =>
            status === 'review' ? (
              <ReviewRow key={row.record} row={row} />
            ) : (
              <RejectedRow key={row.record} row={row} />
            ),
          )}
        </ul>
      ) : (
        <AppliedRows rows={items} />
      )}
      <LoadMore shown={items.length} hasMore={Boolean(query.hasNextPage)} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
    </>
  );
}
