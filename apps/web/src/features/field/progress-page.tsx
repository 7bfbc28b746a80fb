import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../shared/components/page-header';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { vietnamToday } from '../../shared/i18n/formats';
import { UnitSelect } from '../registry/unit-select';
import { CampaignTabs } from './campaign-ui';
import { fetchTeams, fieldKeys } from './field-api';
import { ProgressView } from './progress-view';
import { DayInput } from '../../shared/components/day-input';

export function ProgressPage() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const team = Number(params.get('team')) > 0 ? Number(params.get('team')) : undefined;
  const since = /^\d{4}-\d{2}-\d{2}$/.test(params.get('since') ?? '') ? (params.get('since') as string) : '';
  const teams = useQuery({ queryKey: fieldKeys.teams(unit, false), queryFn: () => fetchTeams(unit, false) });
  const today = vietnamToday();
  // Text in the day field that names no day filters nothing, but is still something to clear;
  // clearing makes the field anew, as its value is already empty.
  const [sinceUnreadable, setSinceUnreadable] = useState(false);
  const [clears, setClears] = useState(0);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  return (
    <div className="campaign-page">
      <PageHeader title={t('progress.title')} subtitle={t('progress.subtitle')} />
      <CampaignTabs />
      <div className="toolbar">
        {can(me.role, 'manageTeams') && <UnitSelect id="progress-unit" value={unit} onChange={(code) => set({ unit: code, team: '' })} />}
        <div className="field field-inline">
          <label htmlFor="progress-team">{t('progress.team')}</label>
          <select id="progress-team" value={team ?? ''} onChange={(e) => set({ team: e.target.value })} disabled={teams.isPending}>
            <option value="">{teams.isPending ? t('state.loading') : t('progress.allTeams')}</option>
            {[...(teams.data ?? [])]
              .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }))
              .map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="progress-since">{t('progress.since')}</label>
          <DayInput
            key={clears}
            id="progress-since"
            max={today}
            value={since}
            onValueChange={(day, unreadable) => {
              setSinceUnreadable(unreadable);
              set({ since: day && day <= today ? day : '' });
            }}
          />
        </div>
        {(unit || team || since || sinceUnreadable) && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => {
              set({ unit: '', team: '', since: '' });
              setSinceUnreadable(false);
              setClears((n) => n + 1);
            }}
          >
            {t('action.clearFilters')}
          </button>
        )}
      </div>
      <ProgressView
        scope={{ unit: unit || undefined, team, since: since || undefined }}
        teamNames={new Map((teams.data ?? []).map((tm) => [tm.id, tm.name]))}
      />
    </div>
  );
}
