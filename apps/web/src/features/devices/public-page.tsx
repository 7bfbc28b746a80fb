import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { SortHeader, type SortState } from '../../shared/components/sort-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { chartRows, share, type ChartRow } from './chart-data';
import { deviceKeys, fetchPublicFigures, type DeviceSupportPublic } from './devices-api';
import { PublicShell } from './public-shell';

const RowsBarChart = lazy(() => import('./device-charts').then((m) => ({ default: m.RowsBarChart })));
const CHART_ROWS = 12;
const TABLE_ROWS = 25;

type Counts = DeviceSupportPublic['totals'];
type Row = Counts & { key: string; label: string; sub?: string };
type Col = 'label' | 'pledged' | 'received' | 'allocated' | 'handedOver';
const firstDirection = (col: Col): 'asc' | 'desc' => (col === 'label' ? 'asc' : 'desc');

export function sortCounts(rows: readonly Row[], sort: SortState<Col>): Row[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: Row, b: Row) => a.label.localeCompare(b.label, 'vi', { numeric: true });
  return [...rows].sort((a, b) => (sort.col === 'label' ? sign * byName(a, b) : sign * (a[sort.col] - b[sort.col]) || byName(a, b)));
}

/**
 * The programme in public: devices pledged, received by units and handed over, by unit and by
 * sponsor. Counts only, no personal data; readable without signing in.
 */
export function PublicDeviceSupportPage() {
  const { t, number, dateTime } = useI18n();
  const figures = useQuery({ queryKey: deviceKeys.publicFigures(), queryFn: fetchPublicFigures, staleTime: 60_000 });

  return (
    <PublicShell>
      <header className="page-header">
        <h1>{t('dsPublic.title')}</h1>
        <p className="page-subtitle">{t('dsPublic.subtitle')}</p>
      </header>
      {figures.isPending ? (
        <LoadingState />
      ) : figures.isError ? (
        <ErrorState error={figures.error} onRetry={() => void figures.refetch()} />
      ) : (
        <PublicFigures data={figures.data} />
      )}
      {figures.data && <p className="muted small">{t('dsPublic.asOf', { date: dateTime(figures.data.asOf) })}</p>}
      <p className="muted small">{t('dsPublic.noPersonalData', { n: number(figures.data?.bySponsor.length ?? 0) })}</p>
      <section className="card register-invite" aria-labelledby="register-invite-title">
        <h2 id="register-invite-title" className="card-title">
          {t('dsRegister.inviteTitle')}
        </h2>
        <p>{t('dsRegister.inviteText')}</p>
        <Link className="btn btn-primary" to="/cong-khai/tai-tro">
          {t('dsRegister.inviteAction')}
        </Link>
      </section>
    </PublicShell>
  );
}

function PublicFigures({ data }: { data: DeviceSupportPublic }) {
  const { t, number, label, percent } = useI18n();
  const handedPct = share(data.totals.handedOver, data.totals.received);
  const stats: Array<[MessageKey, number]> = [
    ['dsPublic.pledged', data.totals.pledged],
    ['dsPublic.received', data.totals.received],
    ['dsPublic.allocated', data.totals.allocated],
    ['dsPublic.handedOver', data.totals.handedOver],
  ];
  const units: Row[] = useMemo(() => data.byUnit.map((u) => ({ ...u, key: u.unitCode, label: u.unitName })), [data]);
  const sponsors: Row[] = useMemo(() => data.bySponsor.map((s) => ({ ...s, key: String(s.sponsorId), label: s.name, sub: label('sponsorKind', s.kind) })), [data, label]);
  const unitChart = useMemo(() => chartRows(units.map((u): ChartRow => ({ key: u.key, label: u.label, values: [u.received, u.handedOver] })), CHART_ROWS, t('dsPublic.others')), [units, t]);
  const sponsorChart = useMemo(() => chartRows(sponsors.map((s): ChartRow => ({ key: s.key, label: s.label, values: [s.pledged, s.handedOver] })), CHART_ROWS, t('dsPublic.otherSponsors')), [sponsors, t]);
  return (
    <>
      <dl className="stat-grid">
        {stats.map(([key, n]) => (
          <div className="stat" key={key}>
            <dt className="stat-label">{t(key)}</dt>
            <dd className="stat-value">{number(n)}</dd>
          </div>
        ))}
        <div className="stat">
          <dt className="stat-label">{t('dsPublic.handedShare')}</dt>
          <dd className="stat-value">{percent(handedPct)}</dd>
        </div>
      </dl>
      <div className="two-col">
        <section className="card" aria-labelledby="public-unit-chart">
          <h2 id="public-unit-chart" className="card-title card-intro">
            {t('dsPublic.byUnitChart')}
          </h2>
          {unitChart.length === 0 ? (
            <p className="muted small">{t('dsPublic.empty')}</p>
          ) : (
            <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
              <RowsBarChart rows={unitChart} series={[t('dsPublic.received'), t('dsPublic.handedOver')]} label={t('dsPublic.byUnitChart')} />
            </Suspense>
          )}
        </section>
        <section className="card" aria-labelledby="public-sponsor-chart">
          <h2 id="public-sponsor-chart" className="card-title card-intro">
            {t('dsPublic.bySponsorChart')}
          </h2>
          {sponsorChart.length === 0 ? (
            <p className="muted small">{t('dsPublic.empty')}</p>
          ) : (
            <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
              <RowsBarChart rows={sponsorChart} series={[t('dsPublic.pledged'), t('dsPublic.handedOver')]} label={t('dsPublic.bySponsorChart')} />
            </Suspense>
          )}
        </section>
      </div>
      <CountsTable title={t('dsPublic.byUnit')} nameCol={t('dsPublic.colUnit')} rows={units} />
      <CountsTable title={t('dsPublic.bySponsor')} nameCol={t('dsPublic.colSponsor')} rows={sponsors} />
    </>
  );
}

function CountsTable({ title, nameCol, rows }: { title: string; nameCol: string; rows: readonly Row[] }) {
  const { t, number } = useI18n();
  const [sort, setSort] = useState<SortState<Col>>({ col: 'handedOver', dir: 'desc' });
  const [shown, setShown] = useState(TABLE_ROWS);
  const sorted = useMemo(() => sortCounts(rows, sort), [rows, sort]);
  const head = (col: Col, key: string, cls?: string) => <SortHeader col={col} label={key} sort={sort} onSort={setSort} firstDirection={firstDirection} className={cls} />;
  return (
    <section className="card table-card" aria-label={title}>
      <h2 className="card-title card-intro">{title}</h2>
      {rows.length === 0 ? (
        <EmptyState>{t('dsPublic.empty')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  {head('label', nameCol)}
                  {head('pledged', t('dsPublic.pledged'), 'num col-optional')}
                  {head('received', t('dsPortal.colReceived'), 'num')}
                  {head('allocated', t('dsPublic.allocated'), 'num col-optional')}
                  {head('handedOver', t('dsPublic.handedOver'), 'num')}
                </tr>
              </thead>
              <tbody>
                {sorted.slice(0, shown).map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      {r.label}
                      {r.sub && <span className="cell-sub">{r.sub}</span>}
                    </th>
                    <td className="num col-optional">{number(r.pledged)}</td>
                    <td className="num">{number(r.received)}</td>
                    <td className="num col-optional">{number(r.allocated)}</td>
                    <td className="num">{number(r.handedOver)}</td>
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
