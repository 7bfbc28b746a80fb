import { Link } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { BatchStatusBadge, ProgressBar, StatusChips } from './batch-progress';
import { fetchBatches, importKeys } from './imports-api';

/** Past imports, newest first; a running one keeps the list refreshing until it ends. */
export function ImportsPage() {
  const { t, label, dateTime } = useI18n();
  const query = useInfiniteQuery({
    queryKey: importKeys.list(),
    queryFn: ({ pageParam }) => fetchBatches(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((b) => b.status === 'running')) ? 2000 : false),
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('imports.title')}
        subtitle={t('imports.subtitle')}
        actions={
          <Link to="/imports/new" className="btn btn-primary">
            {t('imports.new')}
          </Link>
        }
      />
      <section className="card table-card" aria-label={t('imports.listCaption')}>
        {query.isPending ? (
          <LoadingState />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t('imports.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table import-table">
                <caption className="sr-only">{t('imports.listCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('imports.colFile')}</th>
                    <th scope="col">{t('imports.colDate')}</th>
                    <th scope="col">{t('imports.colStatus')}</th>
                    <th scope="col">{t('imports.colCounts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((b) => (
                    <tr key={b.id}>
                      <td>
                        <Link to={`/imports/${b.id}`} className="import-file-link">
                          {b.fileName}
                        </Link>
                        <span className="cell-sub">{label('sourceType', b.sourceType)}</span>
                      </td>
                      <td>
                        <span className="nowrap">{dateTime(b.createdAt)}</span>
                        <span className="cell-sub">{b.createdBy ?? t('imports.unknownUser')}</span>
                      </td>
                      <td>
                        <BatchStatusBadge status={b.status} />
                        {b.status === 'running' && <ProgressBar batch={b} compact />}
                      </td>
                      <td>
                        <StatusChips batch={b} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore shown={items.length} hasMore={Boolean(query.hasNextPage)} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
          </>
        )}
      </section>
    </>
  );
}
