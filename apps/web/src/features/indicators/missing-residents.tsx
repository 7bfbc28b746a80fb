import { useState } from 'react';
import { Link } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { ELEMENTS, fetchMissing, indicatorKeys, type ElementName } from './indicators-api';

/**
 * Who in the unit still lacks each of the four elements: the list a ward works from on the
 * door-to-door campaign. Names leave the server only for roles that read personal rows; the page
 * leaves this section out for the others, and the server answers them 403 anyway.
 */
export function MissingResidents({ planId, unit, neighbourhood }: { planId: string; unit: string; neighbourhood: number }) {
  const { t, label, number } = useI18n();
  const [element, setElement] = useState<ElementName>('identity');
  const list = useInfiniteQuery({
    queryKey: indicatorKeys.missing(planId, unit, element, neighbourhood),
    queryFn: ({ pageParam }) => fetchMissing(planId, unit, element, neighbourhood, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const forbidden = list.error instanceof ApiError && list.error.status === 403;

  return (
    <section className="card missing-card" aria-labelledby="missing-title">
      <div className="card-head">
        <h2 id="missing-title" className="card-title">
          {t('missing.title')} {total !== undefined && <span className="count">{number(total)}</span>}
        </h2>
      </div>
      <p className="muted small card-intro">{t('missing.intro')}</p>
      <div className="status-tabs" role="tablist" aria-label={t('missing.tabsLabel')}>
        {ELEMENTS.map((e) => (
          <button
            key={e}
            type="button"
            role="tab"
            id={`missing-tab-${e}`}
            aria-selected={element === e}
            aria-controls="missing-panel"
            className={`status-tab${element === e ? ' active' : ''}`}
            onClick={() => setElement(e)}
          >
            {label('element', e)}
          </button>
        ))}
      </div>
      <div id="missing-panel" role="tabpanel" aria-labelledby={`missing-tab-${element}`}>
        {list.isPending ? (
          <LoadingState />
        ) : forbidden ? (
          <EmptyState>{t('missing.forbidden')}</EmptyState>
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t('missing.empty', { element: label('element', element) })}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table missing-table">
                <caption className="sr-only">{t('missing.caption', { element: label('element', element) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('missing.colName')}</th>
                    <th scope="col" className="num col-optional">
                      {t('missing.colBirthYear')}
                    </th>
                    <th scope="col">{t('missing.colAddress')}</th>
                    <th scope="col">{t('missing.colLacking')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.residentId}>
                      <th scope="row">
                        <Link to={`/households/${r.householdId}`}>{r.fullName}</Link>
                        <span className="cell-sub">{t('missing.household', { id: r.householdId })}</span>
                      </th>
                      <td className="num col-optional">{r.birthYear}</td>
                      <td>
                        {r.address}
                        {r.neighbourhood && <span className="cell-sub">{r.neighbourhood}</span>}
                      </td>
                      <td>
                        <ul className="lacking-list">
                          {r.lacking.map((l) => (
                            <li key={l}>{label('indicator', l)}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore shown={items.length} hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} />
          </>
        )}
      </div>
    </section>
  );
}
