import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Ranking, RankingRow, TargetStatusName } from '@cds/contract';
import { SortHeader } from '../../shared/components/sort-header';
import { EmptyState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { STATUSES, STATUS_LABEL, formatFigure } from './figure-format';
import { StatusBadge } from './indicator-cards';
import { filterRows, firstDirection, rankRows, sortRows, type RankingSort } from './ranking-rows';

/**
 * Every unit of the city (or neighbourhood of a unit) on one indicator: sortable by each column,
 * filtered by name without diacritics and by status. The filters apply on the page: a city has at
 * most a few hundred units, all in one answer.
 */
export function RankingTable({ ranking, linkFor }: { ranking: Ranking; linkFor: (row: RankingRow) => string | null }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const ids = useId();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<TargetStatusName | ''>('');
  const [sort, setSort] = useState<RankingSort>({ col: 'rank', dir: 'asc' });
  const unit = ranking.indicator.unit;
  const ranked = useMemo(() => rankRows(ranking.rows, ranking.indicator.direction), [ranking]);
  const shown = sortRows(filterRows(ranked, text, status), sort);
  const neighbourhoods = ranking.level === 'neighbourhoods';
  const header = { sort, onSort: setSort, firstDirection };

  return (
    <div className="ranking">
      <div className="toolbar ranking-filters no-print">
        <div className="field field-inline grow">
          <label htmlFor={`${ids}-name`}>{t(neighbourhoods ? 'ranking.filterNeighbourhood' : 'ranking.filterUnit')}</label>
          <input id={`${ids}-name`} type="search" value={text} placeholder={t(neighbourhoods ? 'ranking.filterNeighbourhoodPlaceholder' : 'units.filterPlaceholder')} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field field-inline">
          <label htmlFor={`${ids}-status`}>{t('ranking.status')}</label>
          <select id={`${ids}-status`} value={status} onChange={(e) => setStatus(e.target.value as TargetStatusName | '')}>
            <option value="">{t('filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
        <span className="muted small">{t('ranking.shown', { n: number(shown.length), total: number(ranked.length) })}</span>
      </div>
      {ranked.length === 0 ? (
        <EmptyState>{t(neighbourhoods ? 'ranking.emptyNeighbourhoods' : 'ranking.empty')}</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState>{t('ranking.emptyFiltered')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table ranking-table">
            <caption className="sr-only">{t('ranking.caption', { name: ranking.indicator.name })}</caption>
            <thead>
              <tr>
                <SortHeader col="rank" label={t('ranking.colRank')} className="num col-rank" {...header} />
                <SortHeader col="name" label={t(neighbourhoods ? 'ranking.colNeighbourhood' : 'units.colName')} {...header} />
                <SortHeader col="value" label={t('ranking.colValue')} className="num" {...header} />
                <SortHeader col="numerator" label={t('ranking.colNumerator')} className="num col-optional" {...header} />
                <SortHeader col="denominator" label={t('ranking.colDenominator')} className="num col-optional" {...header} />
                <SortHeader col="target" label={t('ranking.colTarget')} className="num col-optional" {...header} />
                <SortHeader col="status" label={t('ranking.status')} {...header} />
                <SortHeader col="projected" label={t('ranking.colProjected')} className="num col-optional" {...header} />
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const to = linkFor(r);
                return (
                  <tr key={r.code}>
                    <td className="num col-rank">{r.rank === null ? '—' : number(r.rank)}</td>
                    <th scope="row">{to ? <Link to={to}>{r.name}</Link> : r.name}</th>
                    <td className="num strong">{formatFigure(i18n, r.value, unit)}</td>
                    <td className="num col-optional">{number(r.numerator)}</td>
                    <td className="num col-optional">{number(r.denominator)}</td>
                    <td className="num col-optional">{formatFigure(i18n, r.target, unit)}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="num col-optional">{formatFigure(i18n, r.projected, unit)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
