import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useDebounced } from '../../shared/components/use-debounced';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { ConfirmAction } from './campaign-ui';
import { addMember, fetchCandidates, fieldKeys, removeMember, type Candidate, type TeamDetail } from './field-api';

const CANDIDATES_SHOWN = 20;

export function TeamMembers({ team }: { team: TeamDetail }) {
  const { t, label, number, date } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayChange = can(me.role, 'leadTeam') && !team.archived;
  const [done, setDone] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: fieldKeys.team(team.id) });
    void queryClient.invalidateQueries({ queryKey: ['field', 'candidates', team.id] });
    void queryClient.invalidateQueries({ queryKey: ['field', 'team-households', team.id] });
    void queryClient.invalidateQueries({ queryKey: ['field', 'teams'] });
  };
  const remove = useMutation({
    mutationFn: (m: { userId: number; displayName: string }) => removeMember(team.id, m.userId),
    onSuccess: (_r, m) => {
      setDone(t('members.removed', { name: m.displayName }));
      refresh();
    },
  });

  return (
    <div className="campaign-page">
      <section className="card table-card" aria-labelledby="members-title">
        <h2 id="members-title" className="sr-only">
          {t('members.caption')}
        </h2>
        {team.memberList.length === 0 ? (
          <EmptyState>{t('members.empty')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('members.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('members.colName')}</th>
                  <th scope="col" className="col-optional">
                    {t('members.colRole')}
                  </th>
                  <th scope="col" className="col-optional">
                    {t('members.colJoined')}
                  </th>
                  <th scope="col" className="num">
                    {t('members.colHouseholds')}
                  </th>
                  <th scope="col" className="num col-optional">
                    {t('members.colDevices')}
                  </th>
                  {mayChange && <th scope="col">
                    <span className="sr-only">{t('members.remove')}</span>
                  </th>}
                </tr>
              </thead>
              <tbody>
                {team.memberList.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">
                      {m.displayName}
                      <span className="cell-sub mono">{m.username}</span>
                    </th>
                    <td className="col-optional">{label('role', m.role)}</td>
                    <td className="col-optional">{date(m.joinedAt)}</td>
                    <td className="num">{number(m.householdsAssigned)}</td>
                    <td className="num col-optional">{number(m.devices)}</td>
                    {mayChange && (
                      <td>
                        <ConfirmAction
                          label={t('members.remove')}
                          question={t('members.removeConfirm', { name: m.displayName })}
                          pending={remove.isPending}
                          onConfirm={() => remove.mutate(m)}
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="card-intro">
          {done && <p className="form-success">{done}</p>}
          <FormError error={remove.error} />
        </div>
      </section>
      {mayChange && <AddMember team={team} onAdded={(name) => {
            setDone(t('members.added', { name }));
            refresh();
          }} />}
    </div>
  );
}

function AddMember({ team, onAdded }: { team: TeamDetail; onAdded: (name: string) => void }) {
  const { t, label } = useI18n();
  const [q, setQ] = useState('');
  const settled = useDebounced(q.trim());
  const candidates = useQuery({
    queryKey: fieldKeys.candidates(team.id, settled),
    queryFn: () => fetchCandidates(team.id, settled),
  });
  const add = useMutation({
    mutationFn: (c: Candidate) => addMember(team.id, c.userId),
    onSuccess: (_r, c) => onAdded(c.displayName),
  });
  const list = candidates.data ?? [];

  return (
    <section className="card" aria-labelledby="add-member-title">
      <h2 id="add-member-title" className="card-title">
        {t('members.addTitle')}
      </h2>
      <p className="muted small" style={{ margin: '4px 0 12px' }}>
        {t('members.candidatesHint')}
      </p>
      <div className="field field-inline" style={{ maxWidth: 420 }}>
        <label htmlFor="member-q">{t('members.search')}</label>
        <input id="member-q" type="search" value={q} placeholder={t('members.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
      </div>
      {candidates.isPending ? (
        <LoadingState />
      ) : candidates.isError ? (
        <ErrorState error={candidates.error} onRetry={() => void candidates.refetch()} />
      ) : list.length === 0 ? (
        <p className="muted small" style={{ marginTop: 10 }}>
          {t('members.noCandidates')}
        </p>
      ) : (
        <>
          <ul className="candidate-list">
            {list.slice(0, CANDIDATES_SHOWN).map((c) => (
              <li key={c.userId}>
                <span>
                  <strong>{c.displayName}</strong>{' '}
                  <span className="muted small">
                    {c.username} · {label('role', c.role)}
                  </span>
                </span>
                <button type="button" className="btn btn-secondary btn-sm" disabled={add.isPending} onClick={() => add.mutate(c)}>
                  {t('members.add')}
                </button>
              </li>
            ))}
          </ul>
          {list.length > CANDIDATES_SHOWN && <p className="hint">{t('members.moreCandidates', { n: CANDIDATES_SHOWN })}</p>}
        </>
      )}
      <FormError error={add.error} />
    </section>
  );
}
