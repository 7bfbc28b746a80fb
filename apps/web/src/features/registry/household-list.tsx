import { usePagedList } from '../../shared/api/use-paged-list';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Neighbourhood } from '@cds/contract';
import { FieldError } from '../../shared/components/form-error';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { HOUSEHOLD_QUERY_MAX, HOUSEHOLD_QUERY_MIN } from './household-filters';
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
  const [text, setText] = useState(filters.q ?? '');
  const { problems, report, onChange } = useFieldProblems<{ q?: string }>();
  useEffect(() => setText(filters.q ?? ''), [filters.q]);

  // Sent on submit only: every search is written to the access log, so none goes per keystroke.
  function search(e: FormEvent) {
    e.preventDefault();
    const value = text.trim();
    if (value.length > 0 && value.length < HOUSEHOLD_QUERY_MIN) {
      report({ q: t('search.tooShort', { n: HOUSEHOLD_QUERY_MIN }) });
      return;
    }
    report({});
    onFiltersChange({ ...filters, q: value || undefined });
  }

  return (
    <section className="card" aria-labelledby="households-heading">
      <div className="card-head">
        <h2 id="households-heading" className="card-title">
          {t('households.title')}
        </h2>
      </div>
      <div className="filters">
        <form className="field field-inline grow household-search" role="search" onSubmit={search} onChange={onChange} noValidate>
          <label htmlFor="hh-q">{t('households.searchLabel')}</label>
          <div className="input-with-button">
            <input
              id="hh-q"
              name="q"
              type="search"
              value={text}
              maxLength={HOUSEHOLD_QUERY_MAX}
              placeholder={t('households.searchPlaceholder')}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={problems.q !== undefined}
              aria-describedby={problems.q ? 'hh-q-error' : undefined}
            />
            <button type="submit" className="btn btn-secondary">
              {t('search.submit')}
            </button>
          </div>
          <FieldError id="hh-q-error" messages={problems.q ? [problems.q] : []} />
        </form>
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
        <EmptyState>
          {filters.q ? t('households.emptySearch', { q: filters.q }) : filtered ? t('households.emptyFiltered') : t('households.empty')}
        </EmptyState>
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
