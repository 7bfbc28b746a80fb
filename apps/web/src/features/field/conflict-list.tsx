import { usePagedList } from '../../shared/api/use-paged-list';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { valueLabelPrefix } from '../registry/indicators';
import { StatusChip } from './campaign-ui';
import { decideConflict, fetchConflicts, fieldKeys, type ConflictViewT } from './field-api';

export function ConflictList({ unit, status }: { unit: string; status: string }) {
  const { t } = useI18n();
  const query = usePagedList(fieldKeys.conflicts(unit, status), (cursor) => fetchConflicts(unit, status, cursor), { keepPrevious: true });
  const items = query.items;
  if (query.isPending) return <LoadingState />;
  if (query.isError && items.length === 0) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <EmptyState>{t('review.conflictsEmpty')}</EmptyState>;
  return (
    <>
      <ul className="review-list">
        {items.map((c) => (
          <li key={c.id}>
            <ConflictCard conflict={c} />
          </li>
        ))}
      </ul>
      <LoadMore shown={items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
    </>
  );
}

function ConflictCard({ conflict: c }: { conflict: ConflictViewT }) {
  const { t, label, date, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (decision: 'keep_newer' | 'accept_visit') => decideConflict(c.id, { decision }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['field', 'conflicts'] });
      void queryClient.invalidateQueries({ queryKey: ['residents', 'facts', c.residentId] });
      void queryClient.invalidateQueries({ queryKey: ['households', 'detail', c.householdId] });
    },
  });
  const value = (v: string) => label(valueLabelPrefix(c.indicator), v);
  return (
    <article className="card review-card" aria-labelledby={`conflict-${c.id}`}>
      <div className="review-head">
        <h3 id={`conflict-${c.id}`} className="card-title">
          <Link to={`/households/${c.householdId}`}>{c.residentName}</Link> · {label('indicator', c.indicator)}
        </h3>
        {c.status !== 'open' && <StatusChip prefix="review.conflictStatus" value={c.status} />}
      </div>
      <div className="review-meta">
        <span>{t('review.raisedAt', { at: dateTime(c.raisedAt) })}</span>
      </div>
      <div className="compare">
        <div>
          <p className="small muted">{t('review.visitValue')}</p>
          <p className="value">{value(c.visitValue)}</p>
          <p className="small">{t('review.onBy', { date: date(c.visitObservedOn), who: c.visitBy ?? t('review.unknown') })}</p>
        </div>
        <div>
          <p className="small muted">{t('review.newerValue')}</p>
          <p className="value">{value(c.newerValue)}</p>
          <p className="small">{t('review.onSource', { date: date(c.newerObservedOn), source: label('source', c.newerSource) })}</p>
        </div>
      </div>
      {c.status === 'open' && (
        <div className="btn-row">
          <button type="button" className="btn btn-secondary btn-sm" disabled={decide.isPending} onClick={() => decide.mutate('keep_newer')}>
            {t('review.keepNewer')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" disabled={decide.isPending} onClick={() => decide.mutate('accept_visit')}>
            {t('review.acceptVisit')}
          </button>
        </div>
      )}
      <FormError error={decide.error} />
    </article>
  );
}
