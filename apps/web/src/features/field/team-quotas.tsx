import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlanSummary } from '@cds/contract';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { fetchPlans, indicatorKeys } from '../indicators/indicators-api';
import { defaultPlan } from '../indicators/plan-toolbar';
import { PercentBar, StatusChip } from './campaign-ui';
import { fetchQuotas, fieldKeys, setQuota, type QuotaView, type TeamDetail } from './field-api';
import { validateQuota, type FieldProblems } from './field-forms';
import { DayInput } from '../../shared/components/day-input';

type Errors = FieldProblems<'phase' | 'target' | 'deadline'>;

export function phaseName(plans: readonly PlanSummary[] | undefined, planId: string, phaseId: string): string {
  const plan = plans?.find((p) => p.id === planId);
  return plan?.phases.find((ph) => ph.id === phaseId)?.name ?? phaseId;
}

/** A quota table: who, which phase, how far. Shared by the team page and the progress page. */
export function QuotaTable({
  quotas,
  plans,
  teamNames,
}: {
  quotas: readonly QuotaView[];
  plans: readonly PlanSummary[] | undefined;
  /** On a page of several teams, each quota says whose team it is. */
  teamNames?: ReadonlyMap<number, string>;
}) {
  const { t, number, date } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">{t('quotas.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('quotas.colWho')}</th>
            <th scope="col" className="col-optional">
              {t('quotas.colPhase')}
            </th>
            <th scope="col" className="num">
              {t('quotas.colVisited')}
            </th>
            <th scope="col">{t('progress.colCoverage')}</th>
            <th scope="col" className="col-optional">
              {t('quotas.colDeadline')}
            </th>
            <th scope="col">{t('quotas.colStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {quotas.map((q) => (
            <tr key={q.id}>
              <th scope="row">
                {q.userId === null ? t('quotas.wholeTeam') : (q.displayName ?? `#${q.userId}`)}
                {teamNames?.get(q.teamId) && <span className="cell-sub">{teamNames.get(q.teamId)}</span>}
              </th>
              <td className="col-optional">{phaseName(plans, q.planId, q.phaseId)}</td>
              <td className="num">
                {number(q.householdsVisited)}/{number(q.householdsTarget)}
              </td>
              <td>
                <PercentBar visited={q.householdsVisited} assigned={q.householdsTarget} />
              </td>
              <td className="col-optional">{date(q.deadline)}</td>
              <td>
                <StatusChip prefix="quotaStatus" value={q.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TeamQuotas({ team }: { team: TeamDetail }) {
  const { t } = useI18n();
  const me = useMe();
  // Leaders set their members' quotas; the team's own quota is the unit's decision.
  const mayChange = can(me.role, 'leadTeam') && !team.archived && (can(me.role, 'manageTeams') || team.memberList.length > 0);
  const quotas = useQuery({ queryKey: fieldKeys.quotas(team.id), queryFn: () => fetchQuotas(team.id) });
  const plans = useQuery({ queryKey: indicatorKeys.plans(), queryFn: fetchPlans, staleTime: 10 * 60_000 });
  const sorted = [...(quotas.data ?? [])].sort(
    (a, b) => a.deadline.localeCompare(b.deadline) || Number(a.userId !== null) - Number(b.userId !== null) || (a.displayName ?? '').localeCompare(b.displayName ?? '', 'vi'),
  );

  return (
    <div className="campaign-page">
      <section className="card table-card" aria-labelledby="quotas-title">
        <div className="card-intro">
          <h2 id="quotas-title" className="card-title">
            {t('quotas.caption')}
          </h2>
          <p className="muted small">{t('quotas.intro')}</p>
        </div>
        {quotas.isPending ? (
          <LoadingState />
        ) : quotas.isError ? (
          <ErrorState error={quotas.error} onRetry={() => void quotas.refetch()} />
        ) : sorted.length === 0 ? (
          <EmptyState>{t('quotas.empty')}</EmptyState>
        ) : (
          <QuotaTable quotas={sorted} plans={plans.data?.items} />
        )}
      </section>
      {mayChange && <QuotaForm team={team} plans={plans.data?.items} wholeTeam={can(me.role, 'manageTeams')} />}
    </div>
  );
}

function QuotaForm({ team, plans, wholeTeam }: { team: TeamDetail; plans: readonly PlanSummary[] | undefined; wholeTeam: boolean }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [who, setWho] = useState(wholeTeam ? '' : String(team.memberList[0]?.userId ?? ''));
  const [planId, setPlanId] = useState('');
  const [phaseId, setPhaseId] = useState('');
  const [target, setTarget] = useState('');
  const [deadline, setDeadline] = useState('');
  // Text in the deadline field that names no day: refused, not taken for "use the phase's".
  const [deadlineUnreadable, setDeadlineUnreadable] = useState(false);
  const { problems: errors, report, onChange, changed } = useFieldProblems<Errors>();
  const [saved, setSaved] = useState(false);
  const plan = plans?.find((p) => p.id === planId) ?? defaultPlan(plans);
  const phase = plan?.phases.find((p) => p.id === phaseId);
  const save = useMutation({
    mutationFn: () =>
      setQuota(team.id, {
        userId: who ? Number(who) : null,
        planId: plan?.id ?? planId,
        phaseId,
        householdsTarget: Number(target),
        deadline: deadline || undefined,
      }),
    onSuccess: () => {
      setSaved(true);
      setTarget('');
      void queryClient.invalidateQueries({ queryKey: fieldKeys.quotas(team.id) });
      void queryClient.invalidateQueries({ queryKey: ['field', 'progress'] });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const found = validateQuota(phase?.deadline, target, deadline, deadlineUnreadable);
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  const err = (k: keyof Errors) => {
    const e = errors[k];
    return e ? [t(e.key, e.params)] : [];
  };

  return (
    <form className="card form-stack" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="quota-form-title">
      <h2 id="quota-form-title" className="form-title">
        {t('quotas.formTitle')}
      </h2>
      <div className="form-grid wide-form-grid">
        <div className="field">
          <label htmlFor="quota-who">{t('quotas.who')}</label>
          <select id="quota-who" value={who} onChange={(e) => setWho(e.target.value)}>
            {wholeTeam && <option value="">{t('quotas.wholeTeam')}</option>}
            {team.memberList.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="quota-plan">{t('quotas.plan')}</label>
          <select
            id="quota-plan"
            value={plan?.id ?? planId}
            onChange={(e) => {
              setPlanId(e.target.value);
              setPhaseId('');
              changed('deadline', (p) => p?.key === 'quotas.deadlineAfterPhase');
            }}
            disabled={!plans}
          >
            {!plans && <option value={planId}>{t('state.loading')}</option>}
            {plans?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name.length > 60 ? `${p.name.slice(0, 58)}…` : p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="quota-phase">{t('quotas.phase')}</label>
          <select
            id="quota-phase"
            name="phase"
            value={phaseId}
            onChange={(e) => {
              setPhaseId(e.target.value);
              // "After the phase's deadline" stands under the date but is about the phase too.
              changed('deadline', (p) => p?.key === 'quotas.deadlineAfterPhase');
            }}
            aria-invalid={errors.phase ? true : undefined}
            aria-describedby={errors.phase ? 'quota-phase-error' : undefined}
          >
            <option value="">{t('quotas.choosePhase')}</option>
            {plan?.phases.map((p) => (
              <option key={p.id} value={p.id}>
                {t('quotas.phaseOption', { name: p.name, date: date(p.deadline) })}
              </option>
            ))}
          </select>
          <FieldError id="quota-phase-error" messages={err('phase')} />
        </div>
        <div className="field">
          <label htmlFor="quota-target">{t('quotas.target')}</label>
          <input
            id="quota-target"
            name="target"
            inputMode="numeric"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-invalid={errors.target ? true : undefined}
            aria-describedby={errors.target ? 'quota-target-error' : undefined}
          />
          <FieldError id="quota-target-error" messages={err('target')} />
        </div>
        <div className="field">
          <label htmlFor="quota-deadline">
            {t('quotas.deadline')} <span className="muted">{t('form.optional')}</span>
          </label>
          <DayInput
            id="quota-deadline"
            name="deadline"
            value={deadline}
            max={phase?.deadline}
            onValueChange={(day, unreadable) => {
              setDeadline(day);
              setDeadlineUnreadable(unreadable);
            }}
            aria-invalid={errors.deadline ? true : undefined}
            aria-describedby={errors.deadline ? 'quota-deadline-error quota-deadline-hint' : 'quota-deadline-hint'}
          />
          <FieldError id="quota-deadline-error" messages={err('deadline')} />
          <p id="quota-deadline-hint" className="hint">
            {t('quotas.deadlineHint')}
          </p>
        </div>
      </div>
      <p className="hint">{t('quotas.sameReplaces')}</p>
      <FormError error={save.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.saving') : t('quotas.save')}
        </button>
        {saved && <span className="form-success">{t('quotas.saved')}</span>}
      </div>
    </form>
  );
}
