import { lazy, Suspense, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FieldProgress, ProgressRow } from '@cds/contract';
import { SortHeader, type SortState } from '../../shared/components/sort-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { fetchPlans, indicatorKeys } from '../indicators/indicators-api';
import { PercentBar } from './campaign-ui';
import { fetchProgress, fieldKeys, type ProgressScope } from './field-api';
import { leaderboard, lowestCoverage, sortProgress, type ProgressCol } from './progress-rows';
import { QuotaTable } from './team-quotas';

const DayChart = lazy(() => import('./progress-charts').then((m) => ({ default: m.DayChart })));
const CoverageChart = lazy(() => import('./progress-charts').then((m) => ({ default: m.CoverageChart })));

type Level = 'byMember' | 'byTeam' | 'byNeighbourhood' | 'byUnit';
const LEVELS: readonly Level[] = ['byMember', 'byTeam', 'byNeighbourhood', 'byUnit'];
const TOP = 10;
const TABLE_ROWS = 100;
const COVERAGE_ROWS = 15;

/** Progress of a scope (the reader's area, a unit, or one team): totals, leaderboard, charts, tables, quotas. */
export function ProgressView({ scope, compact = false, teamNames }: { scope: ProgressScope; compact?: boolean; teamNames?: ReadonlyMap<number, string> }) {
  const { t } = useI18n();
  const progress = useQuery({ queryKey: fieldKeys.progress(scope), queryFn: () => fetchProgress(scope), placeholderData: keepPreviousData });
  const plans = useQuery({ queryKey: indicatorKeys.plans(), queryFn: fetchPlans, staleTime: 10 * 60_000 });
  if (progress.isPending) return <LoadingState />;
  if (progress.isError && !progress.data) return <ErrorState error={progress.error} onRetry={() => void progress.refetch()} />;
  const p = progress.data;
  if (!p) return null;
  return (
    <div className="campaign-page">
      <Totals p={p} />
      <div className="two-col">
        <Leaders title={t('progress.topMembers')} rows={p.byMember} />
        {compact ? <DayCard p={p} /> : <Leaders title={t('progress.topTeams')} rows={p.byTeam} />}
      </div>
      {compact ? (
        <CoverageCard p={p} />
      ) : (
        <div className="two-col">
          <DayCard p={p} />
          <CoverageCard p={p} />
        </div>
      )}
      <ProgressTables p={p} compact={compact} />
      {p.quotas.length > 0 && (
        <section className="card table-card" aria-labelledby="progress-quotas">
          <h2 id="progress-quotas" className="card-title card-intro">
            {t('progress.quotas')}
          </h2>
          <QuotaTable quotas={p.quotas} plans={plans.data?.items} teamNames={compact ? undefined : teamNames} />
        </section>
      )}
    </div>
  );
}

function Totals({ p }: { p: FieldProgress }) {
  const { t, number } = useI18n();
  const s = p.totals;
  const figures: Array<[MessageKey, number]> = [
    ['progress.visits', s.visits],
    ['progress.helped', s.peopleHelped],
    ['progress.actions', s.actionsDone],
    ['progress.found', s.peopleFound],
    ['progress.allMet', s.membersAllElementsMet],
  ];
  return (
    <dl className="stat-grid">
      <div className="stat" style={{ gridColumn: 'span 2' }}>
        <dt className="stat-label">
          {t('progress.visited')} · {t('campaign.ofAssigned', { visited: number(s.householdsVisited), assigned: number(s.householdsAssigned) })}
        </dt>
        <dd className="stat-value stat-text">
          <PercentBar visited={s.householdsVisited} assigned={s.householdsAssigned} />
        </dd>
      </div>
      {figures.map(([key, n]) => (
        <div className="stat" key={key}>
          <dt className="stat-label">{t(key)}</dt>
          <dd className="stat-value">{number(n)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Leaders({ title, rows }: { title: string; rows: readonly ProgressRow[] }) {
  const { t, number } = useI18n();
  const board = leaderboard(rows, TOP);
  return (
    <section className="card" aria-label={title}>
      <h2 className="card-title card-intro">{title}</h2>
      {board.length === 0 ? (
        <p className="muted small">{t('progress.leaderEmpty')}</p>
      ) : (
        <ol className="leaderboard">
          {board.map((r) => (
            <li key={r.key}>
              <span className={`place place-${r.place}`}>{r.place}</span>
              <span className="who" title={r.label}>
                {r.label}
              </span>
              <span className="small">
                <strong>{t('progress.householdsShort', { n: number(r.householdsVisited) })}</strong>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function DayCard({ p }: { p: FieldProgress }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="progress-by-day">
      <h2 id="progress-by-day" className="card-title card-intro">
        {t('progress.byDay')}
      </h2>
      {p.byDay.length === 0 ? (
        <p className="muted small">{t('progress.byDayEmpty')}</p>
      ) : (
        <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
          <DayChart days={p.byDay} label={t('progress.byDay')} />
        </Suspense>
      )}
    </section>
  );
}

function CoverageCard({ p }: { p: FieldProgress }) {
  const { t } = useI18n();
  const shown = lowestCoverage(p.byNeighbourhood, COVERAGE_ROWS).length;
  const any = shown > 0;
  return (
    <section className="card" aria-labelledby="progress-coverage">
      <h2 id="progress-coverage" className="card-title">
        {t('progress.coverage')}
      </h2>
      {any ? (
        <>
          <p className="muted small card-intro" style={{ marginTop: 4 }}>
            {t('progress.coverageShown', { n: shown })}
          </p>
          <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
            <CoverageChart rows={p.byNeighbourhood} limit={COVERAGE_ROWS} label={t('progress.coverage')} />
          </Suspense>
        </>
      ) : (
        <p className="muted small">{t('progress.coverageEmpty')}</p>
      )}
    </section>
  );
}

const firstDirection = (col: ProgressCol): 'asc' | 'desc' => (col === 'label' ? 'asc' : 'desc');

function ProgressTables({ p, compact }: { p: FieldProgress; compact: boolean }) {
  const { t, number } = useI18n();
  const levels = LEVELS.filter((l) => (compact ? l === 'byMember' || l === 'byNeighbourhood' : p[l].length > 0 || l === 'byMember'));
  const [level, setLevel] = useState<Level>('byMember');
  const [sort, setSort] = useState<SortState<ProgressCol>>({ col: 'householdsVisited', dir: 'desc' });
  const [shown, setShown] = useState(TABLE_ROWS);
  const current = levels.includes(level) ? level : 'byMember';
  const rows = sortProgress(p[current], sort.col, sort.dir);
  const head = (col: ProgressCol, key: MessageKey, cls?: string) => (
    <SortHeader col={col} label={t(key)} sort={sort} onSort={setSort} firstDirection={firstDirection} className={cls} />
  );

  return (
    <section className="card table-card" aria-labelledby="progress-table-title">
      <div className="card-intro">
        <div className="toolbar" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
          <h2 id="progress-table-title" className="card-title">
            {t('progress.tableTitle')}
          </h2>
          <div className="segmented" role="group" aria-label={t('progress.view')}>
            {levels.map((l) => (
              <button key={l} type="button" className="segmented-button" aria-pressed={current === l} onClick={() => {
                  setLevel(l);
                  setShown(TABLE_ROWS);
                }}>
                {t(`progress.${l}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      </div>
      {rows.length === 0 ? (
        <EmptyState>{t('progress.tableEmpty')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact progress-table">
              <caption className="sr-only">{`${t('progress.tableTitle')}: ${t(`progress.${current}` as MessageKey)}`}</caption>
              <thead>
                <tr>
                  {head('label', 'progress.colName')}
                  {head('householdsAssigned', 'progress.colAssigned', 'num col-optional')}
                  {head('householdsVisited', 'progress.colVisited', 'num')}
                  {head('coverage', 'progress.colCoverage')}
                  {head('visits', 'progress.colVisits', 'num col-optional')}
                  {head('peopleHelped', 'progress.colHelped', 'num col-optional')}
                  {head('actionsDone', 'progress.colActions', 'num col-optional')}
                  {head('peopleFound', 'progress.colFound', 'num col-optional')}
                  {head('membersAllElementsMet', 'progress.colAllMet', 'num col-optional')}
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, shown).map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.label}</th>
                    <td className="num col-optional">{number(r.householdsAssigned)}</td>
                    <td className="num">{number(r.householdsVisited)}</td>
                    <td>
                      <PercentBar visited={r.householdsVisited} assigned={r.householdsAssigned} />
                    </td>
                    <td className="num col-optional">{number(r.visits)}</td>
                    <td className="num col-optional">{number(r.peopleHelped)}</td>
                    <td className="num col-optional">{number(r.actionsDone)}</td>
                    <td className="num col-optional">{number(r.peopleFound)}</td>
                    <td className="num col-optional">{number(r.membersAllElementsMet)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="load-more">
            <span className="muted">{t(rows.length > shown ? 'paging.shownMore' : 'paging.shownAll', { n: number(Math.min(shown, rows.length)) })}</span>
            {rows.length > shown && (
              <button type="button" className="btn btn-secondary" onClick={() => setShown((n) => n + TABLE_ROWS)}>
                {t('paging.more')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
