import { useState } from 'react';
import { Link } from 'react-router';
import type { UnitSummary } from '@cds/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { PageHeader } from '../../shared/components/page-header';
import { useDebounced } from '../../shared/components/use-debounced';
import { SortHeader, type SortState } from '../../shared/components/sort-header';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { ResidentsBarChart } from './residents-bar-chart';
import { fetchUnits, unitKeys } from './units-api';

type SortColumn = 'name' | 'code' | 'households' | 'residents' | 'neighbourhoods' | 'population';
type Sort = SortState<SortColumn>;

function sortUnits(items: readonly UnitSummary[], sort: Sort): UnitSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    if (sort.col === 'name') return sign * a.name.localeCompare(b.name, 'vi');
    if (sort.col === 'code') return sign * a.code.localeCompare(b.code);
    const av = a[sort.col] ?? -1;
    const bv = b[sort.col] ?? -1;
    return sign * (av - bv) || a.name.localeCompare(b.name, 'vi');
  });
}

/** Names sort A→Z on the first press, counts largest first. */
const firstDirection = (col: SortColumn): 'asc' | 'desc' => (col === 'name' || col === 'code' ? 'asc' : 'desc');

export function UnitsPage() {
  const { t, label, number } = useI18n();
  const me = useMe();
  const [filter, setFilter] = useState('');
  const q = useDebounced(filter.trim());
  const units = useQuery({ queryKey: unitKeys.list(q), queryFn: () => fetchUnits(q), placeholderData: keepPreviousData });
  const linkUnits = can(me.role, 'unitDetail');
  const [sort, setSort] = useState<Sort>({ col: 'name', dir: 'asc' });

  return (
    <>
      <PageHeader title={t('units.title')} subtitle={t('units.subtitle')} />
      <div className="toolbar">
        <div className="field field-inline grow">
          <label htmlFor="unit-filter">{t('units.filter')}</label>
          <input
            id="unit-filter"
            type="search"
            value={filter}
            placeholder={t('units.filterPlaceholder')}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        {units.isFetching && !units.isPending && <span className="muted small">{t('state.updating')}</span>}
      </div>
      <QueryState query={units}>
        {({ items }) => {
          if (items.length === 0) {
            return <EmptyState>{q ? t('units.emptyFiltered', { q }) : t('units.empty')}</EmptyState>;
          }
          const totals = items.reduce(
            (acc, u) => ({ households: acc.households + u.households, residents: acc.residents + u.residents }),
            { households: 0, residents: 0 },
          );
          return (
            <>
              <div className="stat-grid">
                <div className="stat">
                  <span className="stat-value">{number(items.length)}</span>
                  <span className="stat-label">{t('units.statUnits')}</span>
                </div>
                <div className="stat">
                  <span className="stat-value">{number(totals.households)}</span>
                  <span className="stat-label">{t('units.statHouseholds')}</span>
                </div>
                <div className="stat">
                  <span className="stat-value">{number(totals.residents)}</span>
                  <span className="stat-label">{t('units.statResidents')}</span>
                </div>
              </div>
              <ResidentsBarChart units={items} />
              <div className="card table-card">
                <div className="table-wrap">
                  <table className="table">
                    <caption className="sr-only">{t('units.tableCaption')}</caption>
                    <thead>
                      <tr>
                        <SortHeader col="name" label={t('units.colName')} sort={sort} onSort={setSort} firstDirection={firstDirection} />
                        <SortHeader col="code" label={t('units.colCode')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="col-optional" />
                        <SortHeader col="households" label={t('units.colHouseholds')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num" />
                        <SortHeader col="residents" label={t('units.colResidents')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num" />
                        <SortHeader
                          col="neighbourhoods"
                          label={t('units.colNeighbourhoods')}
                          firstDirection={firstDirection}
                          sort={sort}
                          onSort={setSort}
                          className="num col-optional"
                        />
                        <SortHeader col="population" label={t('units.colPopulation')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num col-optional" />
                      </tr>
                    </thead>
                    <tbody>
                      {sortUnits(items, sort).map((u) => (
                        <tr key={u.code}>
                          <th scope="row">
                            {linkUnits ? <Link to={`/units/${u.code}`}>{u.name}</Link> : <span>{u.name}</span>}
                            <span className="cell-sub">{label('unitType', u.type)}</span>
                          </th>
                          <td className="col-optional mono">{u.code}</td>
                          <td className="num">{number(u.households)}</td>
                          <td className="num">{number(u.residents)}</td>
                          <td className="num col-optional">{number(u.neighbourhoods)}</td>
                          <td className="num col-optional">{number(u.population)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </>
          );
        }}
      </QueryState>
    </>
  );
}
