import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../shared/components/page-header';
import { SortHeader, type SortState } from '../../shared/components/sort-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { foldVietnamese } from '../../shared/text-fold';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { UnitSelect } from '../registry/unit-select';
import { CampaignTabs, PercentBar } from './campaign-ui';
import { fetchTeams, fieldKeys, type TeamSummary } from './field-api';
import { coverage } from './progress-rows';
import { TeamCreateForm } from './team-create-form';

type Col = 'name' | 'members' | 'householdsAssigned' | 'householdsVisited' | 'coverage';
const PAGE = 50;

function sortTeams(rows: TeamSummary[], sort: SortState<Col>): TeamSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: TeamSummary, b: TeamSummary) => a.name.localeCompare(b.name, 'vi', { numeric: true });
  return [...rows].sort((a, b) => {
    if (sort.col === 'name') return sign * byName(a, b);
    if (sort.col === 'coverage') {
      const ca = coverage(a.householdsVisited, a.householdsAssigned) ?? -1;
      const cb = coverage(b.householdsVisited, b.householdsAssigned) ?? -1;
      return sign * (ca - cb) || byName(a, b);
    }
    return sign * (a[sort.col] - b[sort.col]) || byName(a, b);
  });
}

export function TeamsPage() {
  const { t, label, number } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const archived = params.get('archived') === '1';
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<SortState<Col>>({ col: 'name', dir: 'asc' });
  const [shown, setShown] = useState(PAGE);
  const [creating, setCreating] = useState(false);
  const mayCreate = can(me.role, 'manageTeams');
  const teams = useQuery({
    queryKey: fieldKeys.teams(unit, archived),
    queryFn: () => fetchTeams(unit, archived),
    placeholderData: keepPreviousData,
  });

  const rows = useMemo(() => {
    const folded = foldVietnamese(q);
    const all = teams.data ?? [];
    return sortTeams(folded ? all.filter((tm) => foldVietnamese(`${tm.name} ${tm.unitName}`).includes(folded)) : all, sort);
  }, [teams.data, q, sort]);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setShown(PAGE);
  };

  return (
    <div className="campaign-page">
      <PageHeader
        title={t('teams.title')}
        subtitle={mayCreate ? t('teams.subtitle') : t('teams.subtitleLeader')}
        actions={
          mayCreate && !creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('teams.new')}
            </button>
          ) : undefined
        }
      />
      <CampaignTabs />
      {creating && <TeamCreateForm defaultUnit={unit} onClose={() => setCreating(false)} />}
      <div className="toolbar">
        {mayCreate && <UnitSelect id="teams-unit" value={unit} onChange={(code) => setParam('unit', code)} />}
        <div className="field field-inline">
          <label htmlFor="teams-q">{t('teams.filterName')}</label>
          <input id="teams-q" value={q} placeholder={t('teams.filterNamePlaceholder')} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="segmented" role="group" aria-label={t('teams.showArchived')}>
          <button type="button" className="segmented-button" aria-pressed={!archived} onClick={() => setParam('archived', '')}>
            {t('teams.active')}
          </button>
          <button type="button" className="segmented-button" aria-pressed={archived} onClick={() => setParam('archived', '1')}>
            {t('teams.showArchived')}
          </button>
        </div>
      </div>
      <section className="card table-card" aria-label={t('teams.caption')}>
        {teams.isPending ? (
          <LoadingState />
        ) : teams.isError && !teams.data ? (
          <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>
            {q ? t('teams.emptyFiltered', { q }) : archived ? t('teams.emptyArchived') : mayCreate ? t('teams.empty') : t('teams.emptyLeader')}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">{t('teams.caption')}</caption>
                <thead>
                  <tr>
                    <SortHeader col="name" label={t('teams.colName')} sort={sort} onSort={setSort} firstDirection={firstDirection} />
                    <th scope="col" className="col-optional">
                      {t('teams.colLeader')}
                    </th>
                    <SortHeader col="members" label={t('teams.colMembers')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num" />
                    <SortHeader col="householdsAssigned" label={t('teams.colAssigned')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num col-optional" />
                    <SortHeader col="householdsVisited" label={t('teams.colVisited')} sort={sort} onSort={setSort} firstDirection={firstDirection} className="num" />
                    <SortHeader col="coverage" label={t('teams.colCoverage')} sort={sort} onSort={setSort} firstDirection={firstDirection} />
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, shown).map((tm) => (
                    <tr key={tm.id}>
                      <th scope="row">
                        <Link to={`/teams/${tm.id}`}>{tm.name}</Link>
                        {tm.archived && <span className="badge badge-muted"> {t('teams.archivedBadge')}</span>}
                        <span className="cell-sub">
                          {label('teamKind', tm.kind)} · {tm.unitName}
                        </span>
                      </th>
                      <td className="col-optional">{tm.leader?.displayName ?? <span className="muted">{t('teams.noLeader')}</span>}</td>
                      <td className="num">{number(tm.members)}</td>
                      <td className="num col-optional">{number(tm.householdsAssigned)}</td>
                      <td className="num">{number(tm.householdsVisited)}</td>
                      <td>
                        <PercentBar visited={tm.householdsVisited} assigned={tm.householdsAssigned} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="load-more">
              <span className="muted">{t('teams.shown', { shown: number(Math.min(shown, rows.length)), total: number(rows.length) })}</span>
              {rows.length > shown && (
                <button type="button" className="btn btn-secondary" onClick={() => setShown((n) => n + PAGE)}>
                  {t('paging.more')}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
}

const firstDirection = (col: Col): 'asc' | 'desc' => (col === 'name' ? 'asc' : 'desc');
