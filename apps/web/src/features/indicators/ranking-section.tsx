import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IndicatorFigure, RankingRow } from '@cds/contract';
import { QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchRanking, indicatorKeys } from './indicators-api';
import { RankingTable } from './ranking-table';
import { UnitTileGrid } from './unit-tile-grid';

type View = 'table' | 'tiles';

/**
 * One indicator across the units of the city (no `unit`) or the neighbourhoods of a unit: a table to
 * sort and filter, and for the city a tile grid to see where the gaps cluster.
 */
export function RankingSection({
  planId,
  indicators,
  indicatorId,
  onIndicator,
  unit,
  asOf,
  linkFor,
  title,
}: {
  planId: string;
  indicators: readonly Pick<IndicatorFigure, 'id' | 'name'>[];
  indicatorId: string;
  /** Without it the indicator is fixed (the indicator's own page). */
  onIndicator?: (id: string) => void;
  unit?: string;
  asOf: string;
  linkFor: (row: RankingRow) => string | null;
  title: string;
}) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('table');
  const ranking = useQuery({
    queryKey: indicatorKeys.ranking(planId, indicatorId, unit ?? '', asOf),
    queryFn: () => fetchRanking(planId, indicatorId, unit ?? '', asOf),
    enabled: indicatorId !== '',
    placeholderData: keepPreviousData,
  });
  const cityLevel = unit === undefined;

  return (
    <section className="card ranking-card" aria-labelledby="ranking-title">
      <div className="card-head">
        <h2 id="ranking-title" className="card-title">
          {title}
        </h2>
        {cityLevel && (
          <div className="segmented no-print" role="group" aria-label={t('ranking.view')}>
            {(['table', 'tiles'] as const).map((v) => (
              <button key={v} type="button" className="segmented-button" aria-pressed={view === v} onClick={() => setView(v)}>
                {t(v === 'table' ? 'ranking.viewTable' : 'ranking.viewTiles')}
              </button>
            ))}
          </div>
        )}
      </div>
      {onIndicator && (
        <div className="toolbar no-print">
          <div className="field field-inline grow">
            <label htmlFor="ranking-indicator">{t('ranking.indicator')}</label>
            <select id="ranking-indicator" value={indicatorId} onChange={(e) => onIndicator(e.target.value)}>
              {indicators.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
          {ranking.isFetching && !ranking.isPending && <span className="muted small">{t('state.updating')}</span>}
        </div>
      )}
      <QueryState query={ranking}>
        {(r) => (cityLevel && view === 'tiles' ? <UnitTileGrid ranking={r} linkFor={linkFor} /> : <RankingTable ranking={r} linkFor={linkFor} />)}
      </QueryState>
    </section>
  );
}
