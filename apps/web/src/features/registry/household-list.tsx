import { usePagedList } from '../../shared/api/use-paged-list';
import { Link } from 'react-router';
import type { Neighbourhood } from '@cds/contract';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { PovertyBadge } from './poverty-badge';
import { fetchHouseholds, registryKeys, type HouseholdFilters, type PovertyFilter } from './registry-api';

const POVERTY_OPTIONS: readonly PovertyFilter[] = ['', 'poor', 'near_poor', 'none'];

/**
 * Households of a unit (or of the reader's whole area), a page at a time. The filters live in the
 * caller's URL so that coming back from a household finds the list as it was left.
 */
export function HouseholdList({
  filters,
  neighbourhoods,
  onFiltersChange,
  showUnit = false,
}: {
  filters: HouseholdFilters;
  /** Live neighbourhoods of the chosen unit, for the filter; undefined when no unit is chosen. */
  neighbourhoods?: readonly Neighbourhood[];
  onFiltersChange: (next: HouseholdFilters) => void;
  showUnit?: boolean;
}) {
  const { t, label, number } = useI18n();
  const query = usePagedList(registryKeys.households(filters), (cursor) => fetchHouseholds(filters, cursor), { keepPrevious: true });
  const items = query.items;
  const filtered = Boolean(filters.neighbourhood || filters.poverty);

  return (
    <section className="card" aria-labelledby="households-heading">
      <div className="card-head">
        <h2 id="households-heading" className="card-title">
          {t('households.title')}
        </h2>
      </div>
      <div className="filters">
        {neighbourhoods && (
          <div className="field field-inline">
            <label htmlFor="hh-neighbourhood">{t('households.filterNeighbourhood')}</label>
            <select
              id="hh-neighbourhood"
              value={filters.neighbourhood ?? ''}
              onChange={(e) => onFiltersChange({ ...filters, neighbourhood: e.target.value ? Number(e.target.value) : undefined })}
            >
              <option value="">{t('households.allNeighbourhoods')}</option>
              {neighbourhoods.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field field-inline">
          <label htmlFor="hh-poverty">{t('households.filterPoverty')}</label>
          <select
            id="hh-poverty"
            value={filters.poverty ?? ''}
            onChange={(e) => onFiltersChange({ ...filters, poverty: e.target.value as PovertyFilter })}
          >
            {POVERTY_OPTIONS.map((p) => (
              <option key={p || 'all'} value={p}>
                {p ? label('poverty', p) : t('households.allPoverty')}
              </option>
            ))}
          </select>
        </div>
      </div>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError && items.length === 0 ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{filtered ? t('households.emptyFiltered') : t('households.empty')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('households.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('households.colAddress')}</th>
                  <th scope="col">{t('households.colHead')}</th>
                  <th scope="col" className="col-optional">
                    {t('households.colNeighbourhood')}
                  </th>
                  {showUnit && (
                    <th scope="col" className="col-optional">
                      {t('households.colUnit')}
                    </th>
                  )}
                  <th scope="col">{t('households.colPoverty')}</th>
                  <th scope="col" className="num">
                    {t('households.colMembers')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((h) => (
                  <tr key={h.id}>
                    <th scope="row">
                      <Link to={`/households/${h.id}`}>{h.address}</Link>
                      {h.householdCode && <span className="cell-sub mono">{h.householdCode}</span>}
                    </th>
                    <td>{h.headName ?? '—'}</td>
                    <td className="col-optional">{h.neighbourhood ?? '—'}</td>
                    {showUnit && <td className="col-optional">{h.unitName}</td>}
                    <td>
                      <PovertyBadge status={h.povertyStatus} year={h.povertyListYear} />
                    </td>
                    <td className="num">{number(h.members)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {query.isError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} />}
          <LoadMore
            shown={items.length}
            hasMore={query.hasNextPage}
            loading={query.isFetchingNextPage}
            onMore={() => void query.fetchNextPage()}
          />
        </>
      )}
    </section>
  );
}
