import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { fetchResidents } from '../registry/registry-api';
import { fetchNeighbourhoods, unitKeys } from '../units/units-api';
import { ConfirmAction } from './campaign-ui';
import { addAreas, fieldKeys, removeArea, type TeamAreasBody, type TeamDetail } from './field-api';

export function TeamAreas({ team }: { team: TeamDetail }) {
  const { t, number, date } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayChange = can(me.role, 'manageTeams') && !team.archived;
  const [done, setDone] = useState('');
  const refresh = (message: string) => {
    setDone(message);
    void queryClient.invalidateQueries({ queryKey: fieldKeys.team(team.id) });
    void queryClient.invalidateQueries({ queryKey: ['field', 'team-households', team.id] });
    void queryClient.invalidateQueries({ queryKey: ['field', 'teams'] });
  };
  const remove = useMutation({ mutationFn: (areaId: number) => removeArea(team.id, areaId), onSuccess: () => refresh('') });
  const add = useMutation({
    mutationFn: (body: TeamAreasBody) => addAreas(team.id, body),
    onSuccess: (next) => {
      queryClient.setQueryData(fieldKeys.team(team.id), next);
      refresh(t('areas.given'));
    },
  });

  return (
    <div className="campaign-page">
      <section className="card table-card" aria-labelledby="areas-title">
        <div className="card-intro">
          <h2 id="areas-title" className="card-title">
            {t('areas.caption')}
          </h2>
          <p className="muted small">{t('areas.intro')}</p>
        </div>
        {team.areas.length === 0 ? (
          <EmptyState>{t('areas.empty')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('areas.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('areas.colArea')}</th>
                  <th scope="col" className="num">
                    {t('areas.colHouseholds')}
                  </th>
                  <th scope="col" className="col-optional">
                    {t('areas.colSince')}
                  </th>
                  {mayChange && <th scope="col">
                    <span className="sr-only">{t('areas.remove')}</span>
                  </th>}
                </tr>
              </thead>
              <tbody>
                {team.areas.map((a) => {
                  const name = a.neighbourhood?.name ?? a.household?.address ?? `#${a.id}`;
                  return (
                    <tr key={a.id}>
                      <th scope="row">
                        {a.household ? <Link to={`/households/${a.household.id}`}>{name}</Link> : name}
                        <span className="cell-sub">{a.neighbourhood ? t('areas.neighbourhood') : t('areas.household')}</span>
                      </th>
                      <td className="num">{number(a.households)}</td>
                      <td className="col-optional">{date(a.assignedAt)}</td>
                      {mayChange && (
                        <td>
                          <ConfirmAction
                            label={t('areas.remove')}
                            question={t('areas.removeConfirm', { name })}
                            pending={remove.isPending}
                            onConfirm={() => remove.mutate(a.id)}
                          />
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <div className="card-intro">
          {done && <p className="form-success">{done}</p>}
          <FormError error={remove.error} />
        </div>
      </section>
      {mayChange && (
        <div className="two-col">
          <GiveNeighbourhoods team={team} pending={add.isPending} onGive={(ids) => add.mutate({ neighbourhoodIds: ids, householdIds: [] })} />
          <GiveHouseholds team={team} pending={add.isPending} onGive={(ids) => add.mutate({ neighbourhoodIds: [], householdIds: ids })} />
        </div>
      )}
      <FormError error={add.error} />
    </div>
  );
}

function GiveNeighbourhoods({ team, pending, onGive }: { team: TeamDetail; pending: boolean; onGive: (ids: number[]) => void }) {
  const { t, number } = useI18n();
  const list = useQuery({ queryKey: unitKeys.neighbourhoods(team.unitCode), queryFn: () => fetchNeighbourhoods(team.unitCode) });
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [error, setError] = useState(false);
  const given = useMemo(() => new Set(team.areas.flatMap((a) => (a.neighbourhood ? [a.neighbourhood.id] : []))), [team.areas]);
  const open = (list.data?.items ?? [])
    .filter((n) => n.mergedInto === null && !given.has(n.id))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (chosen.size === 0) return setError(true);
    setError(false);
    onGive([...chosen]);
    setChosen(new Set());
  }

  return (
    <form className="card form-stack" onSubmit={submit} aria-labelledby="give-nb-title">
      <h3 id="give-nb-title" className="form-title">
        {t('areas.addNeighbourhoods')}
      </h3>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : open.length === 0 ? (
        <p className="muted small">{(list.data?.items.length ?? 0) === 0 ? t('areas.noNeighbourhoods') : t('areas.allGiven')}</p>
      ) : (
        <>
          <ul className="pick-list">
            {open.map((n) => (
              <li key={n.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(n.id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(n.id);
                      else next.delete(n.id);
                      setChosen(next);
                    }}
                  />
                  <span>
                    {n.name} <span className="muted small">({t('nb.households', { n: number(n.households) })})</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <FieldError id="give-nb-error" messages={error ? [t('areas.chooseOne')] : []} />
          <div>
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('areas.giveSelected', { n: chosen.size })}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

/** Single households, found by a member's name (the registry's resident search, which is audited). */
function GiveHouseholds({ team, pending, onGive }: { team: TeamDetail; pending: boolean; onGive: (ids: number[]) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [chosen, setChosen] = useState<Map<number, string>>(new Map());
  // A search too short to send, or nothing chosen to give: each said by its own action, and each
  // action's answer replaces the other's (a new search shows other households to choose from).
  const { problems, report, onChange } = useFieldProblems<{ q?: true; chosen?: true }>();
  const find = () => {
    report(q.trim().length < 2 ? { q: true } : {});
    setAsked(q.trim());
  };
  const search = useQuery({
    queryKey: ['residents', 'list', team.unitCode, asked],
    queryFn: () => fetchResidents(team.unitCode, asked, undefined),
    enabled: asked.length >= 2,
  });
  const given = new Set(team.areas.flatMap((a) => (a.household ? [a.household.id] : [])));
  const households = new Map<number, { address: string; names: string[] }>();
  for (const r of search.data?.items ?? []) {
    const h = households.get(r.householdId) ?? { address: r.address, names: [] };
    h.names.push(r.fullName);
    households.set(r.householdId, h);
  }

  return (
    <form
      className="card form-stack"
      aria-labelledby="give-hh-title"
      onChange={onChange}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen.size === 0) return report({ chosen: true });
        report({});
        onGive([...chosen.keys()]);
        setChosen(new Map());
      }}
    >
      <h3 id="give-hh-title" className="form-title">
        {t('areas.addHouseholds')}
      </h3>
      <div className="search-form">
        <div className="field field-inline">
          <label htmlFor="give-hh-q">{t('areas.householdSearch')}</label>
          <input
            id="give-hh-q"
            name="q"
            type="search"
            value={q}
            placeholder={t('areas.householdSearchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                find();
              }
            }}
            aria-invalid={problems.q}
            aria-describedby="give-hh-hint"
          />
          <p id="give-hh-hint" className="hint">
            {problems.q ? <span className="field-error">{t('search.tooShort', { n: 2 })}</span> : t('areas.householdSearchHint')}
          </p>
        </div>
        <button
          type="button"
          className="btn btn-secondary search-submit"
          onClick={find}
        >
          {t('search.submit')}
        </button>
      </div>
      {asked.length >= 2 &&
        (search.isPending ? (
          <LoadingState />
        ) : search.isError ? (
          <ErrorState error={search.error} onRetry={() => void search.refetch()} />
        ) : households.size === 0 ? (
          <EmptyState>{t('areas.noHouseholdFound', { q: asked })}</EmptyState>
        ) : (
          <ul className="pick-list" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
            {[...households.entries()].map(([id, h]) => (
              <li key={id}>
                <label>
                  <input
                    type="checkbox"
                    name="chosen"
                    disabled={given.has(id)}
                    checked={given.has(id) || chosen.has(id)}
                    onChange={(e) => {
                      const next = new Map(chosen);
                      if (e.target.checked) next.set(id, h.address);
                      else next.delete(id);
                      setChosen(next);
                    }}
                  />
                  <span>
                    {h.address}
                    <span className="cell-sub">
                      {h.names.slice(0, 3).join(', ')}
                      {given.has(id) && ` · ${t('areas.alreadyGiven')}`}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ))}
      <FieldError id="give-hh-error" messages={problems.chosen ? [t('areas.chooseHousehold')] : []} />
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('areas.giveHouseholds', { n: chosen.size })}
        </button>
      </div>
    </form>
  );
}
