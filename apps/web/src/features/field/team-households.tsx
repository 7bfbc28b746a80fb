import { usePagedList } from '../../shared/api/use-paged-list';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { OUTCOME_TONE, StatusChip } from './campaign-ui';
import { assignHouseholds, fetchTeamHouseholds, fieldKeys, type TeamDetail, type TeamHouseholdFilters } from './field-api';

/** Filter value: '' all, 'none' given to nobody, or a member's user id. */
function filtersOf(assign: string, neighbourhood: string): TeamHouseholdFilters {
  return {
    unassigned: assign === 'none' ? true : undefined,
    member: assign && assign !== 'none' ? Number(assign) : undefined,
    neighbourhood: neighbourhood ? Number(neighbourhood) : undefined,
  };
}

/** The team's households, a page at a time; the leader selects several and gives them to a member or takes them back. */
export function TeamHouseholds({ team }: { team: TeamDetail }) {
  const { t, number, date } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayAssign = can(me.role, 'leadTeam') && !team.archived;
  const [assign, setAssign] = useState('');
  const [neighbourhood, setNeighbourhood] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [member, setMember] = useState('');
  const [memberMissing, setMemberMissing] = useState(false);
  const [done, setDone] = useState('');
  const filters = filtersOf(assign, neighbourhood);
  const query = usePagedList(fieldKeys.households(team.id, filters), (cursor) => fetchTeamHouseholds(team.id, filters, cursor), { keepPrevious: true });
  const items = query.items;
  const neighbourhoods = useMemo(
    () => team.areas.flatMap((a) => (a.neighbourhood ? [a.neighbourhood] : [])).sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true })),
    [team.areas],
  );
  const assignment = useMutation({
    mutationFn: (userId: number | null) => assignHouseholds(team.id, { userId, householdIds: [...selected] }),
    onSuccess: (r, userId) => {
      const name = team.memberList.find((m) => m.userId === userId)?.displayName ?? '';
      setDone(userId === null ? t('teamHh.takenBack', { n: number(r.assigned) }) : t('teamHh.assigned', { n: number(r.assigned), name }));
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: ['field', 'team-households', team.id] });
      void queryClient.invalidateQueries({ queryKey: fieldKeys.team(team.id) });
    },
  });
  const allShownSelected = items.length > 0 && items.every((h) => selected.has(h.id));
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const filtered = Boolean(assign || neighbourhood);

  return (
    <section className="card table-card" aria-labelledby="team-hh-title">
      <div className="card-intro">
        <h2 id="team-hh-title" className="card-title">
          {t('teamHh.caption')}
        </h2>
        <div className="filters" style={{ marginTop: 10, marginBottom: 0 }}>
          <div className="field field-inline">
            <label htmlFor="team-hh-assign">{t('teamHh.filterAssign')}</label>
            <select id="team-hh-assign" value={assign} onChange={(e) => {
                  setAssign(e.target.value);
                  setSelected(new Set());
                }}>
              <option value="">{t('teamHh.all')}</option>
              <option value="none">{t('teamHh.unassigned')}</option>
              {team.memberList.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {t('teamHh.byMember', { name: m.displayName })}
                </option>
              ))}
            </select>
          </div>
          {neighbourhoods.length > 0 && (
            <div className="field field-inline">
              <label htmlFor="team-hh-nb">{t('teamHh.filterNeighbourhood')}</label>
              <select id="team-hh-nb" value={neighbourhood} onChange={(e) => {
                  setNeighbourhood(e.target.value);
                  setSelected(new Set());
                }}>
                <option value="">{t('teamHh.allNeighbourhoods')}</option>
                {neighbourhoods.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {done && (
          <p className="form-success" role="status" style={{ marginTop: 10 }}>
            {done}
          </p>
        )}
      </div>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError && items.length === 0 ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{filtered ? t('teamHh.emptyFiltered') : t('teamHh.empty')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('teamHh.caption')}</caption>
              <thead>
                <tr>
                  {mayAssign && (
                    <th scope="col" className="check-col">
                      <input
                        type="checkbox"
                        aria-label={t('teamHh.selectPage')}
                        title={t('teamHh.selectPage')}
                        checked={allShownSelected}
                        onChange={(e) => setSelected(e.target.checked ? new Set(items.map((h) => h.id)) : new Set())}
                      />
                    </th>
                  )}
                  <th scope="col">{t('teamHh.colAddress')}</th>
                  <th scope="col" className="num col-optional">
                    {t('teamHh.colMembers')}
                  </th>
                  <th scope="col">{t('teamHh.colAssigned')}</th>
                  <th scope="col" className="col-optional">
                    {t('teamHh.colLastVisit')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((h) => (
                  <tr key={h.id}>
                    {mayAssign && (
                      <td className="check-col">
                        <input
                          type="checkbox"
                          aria-label={t('teamHh.select', { address: h.address })}
                          checked={selected.has(h.id)}
                          onChange={(e) => toggle(h.id, e.target.checked)}
                        />
                      </td>
                    )}
                    <th scope="row">
                      <Link to={`/households/${h.id}`}>{h.address}</Link>
                      {h.neighbourhoodName && <span className="cell-sub">{h.neighbourhoodName}</span>}
                    </th>
                    <td className="num col-optional">{number(h.members)}</td>
                    <td>{h.assignedTo?.displayName ?? <span className="muted">{t('teamHh.notAssigned')}</span>}</td>
                    <td className="col-optional">
                      {h.lastVisit ? (
                        <>
                          <StatusChip prefix="visitOutcome" value={h.lastVisit.outcome} tone={OUTCOME_TONE[h.lastVisit.outcome]} />
                          <span className="cell-sub">{date(h.lastVisit.at)}</span>
                        </>
                      ) : (
                        <span className="muted">{t('teamHh.neverVisited')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {query.isError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} />}
          <LoadMore shown={items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
        </>
      )}
      {mayAssign && (selected.size > 0 || assignment.error !== null || memberMissing) && <div className="select-bar-spacer" aria-hidden="true" />}
      {mayAssign && (selected.size > 0 || assignment.error !== null || memberMissing) && (
        <div className="select-bar" role="region" aria-label={t('teamHh.selected', { n: selected.size })}>
          {selected.size > 0 && (
            <>
              <strong>{t('teamHh.selected', { n: number(selected.size) })}</strong>
              <label htmlFor="team-hh-member" className="small">
                {t('teamHh.assignTo')}
              </label>
              <select
                id="team-hh-member"
                value={member}
                onChange={(e) => {
                  setMember(e.target.value);
                  setMemberMissing(false);
                }}
                aria-invalid={memberMissing ? true : undefined}
              >
                <option value="">{t('teamHh.chooseMember')}</option>
                {team.memberList.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.displayName}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={assignment.isPending}
                onClick={() => {
                  if (!member) return setMemberMissing(true);
                  setDone('');
                  assignment.mutate(Number(member));
                }}
              >
                {t('teamHh.assign')}
              </button>
              <button type="button" className="btn btn-secondary btn-sm" disabled={assignment.isPending} onClick={() => {
                  setDone('');
                  assignment.mutate(null);
                }}>
                {t('teamHh.takeBack')}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSelected(new Set())}>
                {t('teamHh.clear')}
              </button>
            </>
          )}
          <span className="grow" />
          <FieldError id="team-hh-member-error" messages={memberMissing ? [t('teamHh.memberRequired')] : []} />
          <FormError error={assignment.error} />
        </div>
      )}
    </section>
  );
}
