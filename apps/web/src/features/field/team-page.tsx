import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FormError } from '../../shared/components/form-error';
import { PageHeader } from '../../shared/components/page-header';
import { QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { ConfirmAction, PercentBar } from './campaign-ui';
import { fetchTeam, fieldKeys, updateTeam, type TeamDetail } from './field-api';
import { ProgressView } from './progress-view';
import { TeamAreas } from './team-areas';
import { TeamDevices } from './team-devices';
import { TeamHouseholds } from './team-households';
import { TeamInvites } from './team-invites';
import { TeamMembers } from './team-members';
import { TeamQuotas } from './team-quotas';

const TABS = ['members', 'areas', 'households', 'invites', 'devices', 'quotas', 'progress'] as const;
type TabName = (typeof TABS)[number];

export function TeamPage() {
  const { id: idParam = '' } = useParams();
  const id = Number(idParam);
  const valid = Number.isInteger(id) && id > 0;
  const { t, label } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const team = useQuery({ queryKey: fieldKeys.team(id), queryFn: () => fetchTeam(id), enabled: valid });

  if (!valid || (team.error instanceof ApiError && team.error.status === 404)) return <NotFoundPage />;

  const manage = can(me.role, 'manageTeams');
  // Leaders see every part of their team; what they may change is decided inside each part.
  const visible: readonly TabName[] = TABS;
  const asked = params.get('tab') as TabName | null;
  const tab: TabName = asked && visible.includes(asked) ? asked : 'members';

  return (
    <div className="campaign-page">
      <PageHeader
        crumbs={[{ label: t('campaign.teams'), to: '/teams' }, { label: team.data?.name ?? `#${id}` }]}
        title={team.data?.name ?? t('team.titleLoading')}
        subtitle={team.data ? t('team.subtitle', { kind: label('teamKind', team.data.kind), unit: team.data.unitName }) : undefined}
        actions={team.data && manage ? <ArchiveButton team={team.data} /> : undefined}
      />
      <QueryState query={team}>
        {(tm) => (
          <>
            {tm.archived && <p className="notice notice-warn">{t('team.archivedNotice')}</p>}
            <dl className="stat-grid team-stats">
              <div className="stat">
                <dt className="stat-label">{t('team.leader')}</dt>
                <dd className="stat-value stat-text">{tm.leader?.displayName ?? t('teams.noLeader')}</dd>
              </div>
              <div className="stat">
                <dt className="stat-label">{t('team.members')}</dt>
                <dd className="stat-value">{tm.members}</dd>
              </div>
              <div className="stat">
                <dt className="stat-label">{t('team.assigned')}</dt>
                <dd className="stat-value">{tm.householdsAssigned}</dd>
              </div>
              <div className="stat">
                <dt className="stat-label">{t('team.visited')}</dt>
                <dd className="stat-value">{tm.householdsVisited}</dd>
              </div>
              <div className="stat">
                <dt className="stat-label">{t('team.coverage')}</dt>
                <dd className="stat-value stat-text">
                  <PercentBar visited={tm.householdsVisited} assigned={tm.householdsAssigned} />
                </dd>
              </div>
            </dl>
            {manage && !tm.archived && <LeaderPicker team={tm} />}
            <div className="status-tabs" role="tablist" aria-label={t('team.sections')}>
              {visible.map((name) => (
                <button
                  key={name}
                  type="button"
                  role="tab"
                  aria-selected={tab === name}
                  className={`status-tab${tab === name ? ' active' : ''}`}
                  onClick={() => {
                    const next = new URLSearchParams(params);
                    next.set('tab', name);
                    setParams(next, { replace: true });
                  }}
                >
                  {t(`team.tab.${name}` as MessageKey)}
                </button>
              ))}
            </div>
            <div role="tabpanel">
              {tab === 'members' && <TeamMembers team={tm} />}
              {tab === 'areas' && <TeamAreas team={tm} />}
              {tab === 'households' && <TeamHouseholds team={tm} />}
              {tab === 'invites' && <TeamInvites team={tm} />}
              {tab === 'devices' && <TeamDevices team={tm} />}
              {tab === 'quotas' && <TeamQuotas team={tm} />}
              {tab === 'progress' && <ProgressView scope={{ team: tm.id }} compact />}
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}

function ArchiveButton({ team }: { team: TeamDetail }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (archived: boolean) => updateTeam(team.id, { archived }),
    onSuccess: (next) => {
      queryClient.setQueryData(fieldKeys.team(team.id), next);
      void queryClient.invalidateQueries({ queryKey: ['field', 'teams'] });
    },
  });
  if (team.archived) {
    return (
      <button type="button" className="btn btn-secondary" disabled={update.isPending} onClick={() => update.mutate(false)}>
        {t('team.unarchive')}
      </button>
    );
  }
  return (
    <>
      <ConfirmAction label={t('team.archive')} question={t('team.archiveConfirm', { name: team.name })} pending={update.isPending} onConfirm={() => update.mutate(true)} />
      <FormError error={update.error} />
    </>
  );
}

/** The leader is one of the team's members; "no leader" is a choice too, while the team is forming. */
function LeaderPicker({ team }: { team: TeamDetail }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(team.leader ? String(team.leader.userId) : '');
  const [saved, setSaved] = useState(false);
  const update = useMutation({
    mutationFn: (leaderUserId: number | null) => updateTeam(team.id, { leaderUserId }),
    onSuccess: (next) => {
      queryClient.setQueryData(fieldKeys.team(team.id), next);
      void queryClient.invalidateQueries({ queryKey: ['field', 'teams'] });
      setSaved(true);
    },
  });
  const current = team.leader ? String(team.leader.userId) : '';
  const options = team.memberList.map((m) => ({ id: String(m.userId), name: m.displayName }));
  if (team.leader && !options.some((o) => o.id === current)) options.unshift({ id: current, name: team.leader.displayName });
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        update.mutate(value ? Number(value) : null);
      }}
    >
      <div className="field field-inline">
        <label htmlFor="team-leader">{t('team.changeLeader')}</label>
        <select id="team-leader" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">{t('team.noLeaderOption')}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn-secondary" disabled={update.isPending || value === current}>
        {update.isPending ? t('state.saving') : t('action.save')}
      </button>
      {saved && <p className="form-success">{t('team.leaderSaved')}</p>}
      <FormError error={update.error} />
    </form>
  );
}
