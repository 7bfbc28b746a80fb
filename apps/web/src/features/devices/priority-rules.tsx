import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FieldError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { deviceKeys, fetchPriorityRules, updatePriorityRule, type PriorityRule } from './devices-api';
import {
  ELDERLY_ALONE_AGE,
  highestScore,
  inRuleOrder,
  ruleBody,
  RULE_LABEL_MAX,
  RULE_POINTS_MAX,
  validateRule,
  type Problems,
  type RuleField,
  type RuleForm,
} from './device-rules';
import { useReasonName } from './device-ui';

/**
 * The priority rules behind every score on the needs page: which are in force and for how many
 * points, how a score is made up, and (for the city's administrators) a form to change a rule.
 * Folded to one line of the rules in force until opened; ?rules=1 keeps it open.
 */
export function PriorityRulesSection() {
  const { t, number, label, dateTime } = useI18n();
  const me = useMe();
  const canEdit = me.role === 'city_admin';
  const name = useReasonName();
  const [params, setParams] = useSearchParams();
  const open = params.get('rules') === '1';
  const [editing, setEditing] = useState<PriorityRule['code'] | null>(null);
  const [done, setDone] = useState('');
  const query = useQuery({ queryKey: deviceKeys.rules(), queryFn: fetchPriorityRules, staleTime: 60_000 });
  const rules = inRuleOrder(query.data ?? []);
  const inForce = rules.filter((r) => r.active && r.points > 0);

  const toggle = () => {
    const next = new URLSearchParams(params);
    if (open) next.delete('rules');
    else next.set('rules', '1');
    setParams(next, { replace: true });
    setEditing(null);
    setDone('');
  };

  return (
    <section className="card table-card rules-card" aria-labelledby="rules-title">
      <div className="card-intro rules-head">
        <div>
          <h2 id="rules-title" className="card-title">
            {t('dsRules.title')}
          </h2>
          {query.isSuccess &&
            (inForce.length === 0 ? (
              <p className="muted small">{t('dsRules.summaryNone')}</p>
            ) : (
              <ul className="reason-list" aria-label={t('dsRules.summaryLabel')}>
                {inForce.map((r) => (
                  <li key={r.code}>
                    {name(r)} +{number(r.points)}
                  </li>
                ))}
              </ul>
            ))}
        </div>
        <button type="button" className="btn btn-secondary btn-sm" aria-expanded={open} aria-controls="rules-body" onClick={toggle}>
          {open ? t('dsRules.hide') : canEdit ? t('dsRules.showEdit') : t('dsRules.show')}
        </button>
      </div>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        open && (
          <div id="rules-body" className="rules-body">
            <div className="card-intro rules-explain">
              <p>{t('dsRules.intro')}</p>
              <ul>
                <li>{t('dsRules.howPoverty')}</li>
                <li>{t('dsRules.howElderly', { age: ELDERLY_ALONE_AGE })}</li>
                <li>{t('dsRules.howStated')}</li>
                <li>{t('dsRules.howOff')}</li>
              </ul>
              <p>
                <strong>{t('dsRules.highest', { n: number(highestScore(rules)) })}</strong>
              </p>
              {!canEdit && <p className="hint">{t('dsRules.readOnly')}</p>}
              {done && (
                <p className="form-success" role="status">
                  {done}
                </p>
              )}
            </div>
            {rules.length === 0 ? (
              <EmptyState>{t('dsRules.empty')}</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table table-compact rules-table">
                  <caption className="sr-only">{t('dsRules.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dsRules.colRule')}</th>
                      <th scope="col">{t('dsRules.colSource')}</th>
                      <th scope="col" className="num">
                        {t('dsRules.colPoints')}
                      </th>
                      <th scope="col">{t('dsRules.colState')}</th>
                      <th scope="col" className="col-optional">
                        {t('dsRules.colUpdated')}
                      </th>
                      {canEdit && (
                        <th scope="col">
                          <span className="sr-only">{t('dsRules.colAction')}</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {rules.map((r) => (
                      <RuleRow
                        key={r.code}
                        rule={r}
                        canEdit={canEdit}
                        editing={editing === r.code}
                        onEdit={() => {
                          setEditing(editing === r.code ? null : r.code);
                          setDone('');
                        }}
                        onSaved={(saved) => {
                          setEditing(null);
                          setDone(t('dsRules.saved', { label: name(saved) }));
                        }}
                        sourceName={label('ruleSource', r.source)}
                        updated={dateTime(r.updatedAt)}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )
      )}
    </section>
  );
}

function RuleRow({
  rule,
  canEdit,
  editing,
  onEdit,
  onSaved,
  sourceName,
  updated,
}: {
  rule: PriorityRule;
  canEdit: boolean;
  editing: boolean;
  onEdit: () => void;
  onSaved: (rule: PriorityRule) => void;
  sourceName: string;
  updated: string;
}) {
  const { t, number } = useI18n();
  const name = useReasonName();
  return (
    <>
      <tr className={rule.active ? undefined : 'rule-off'}>
        <th scope="row">
          {name(rule)}
          <span className="cell-sub">{rule.code}</span>
        </th>
        <td>{sourceName}</td>
        <td className="num">
          <span className="score">{number(rule.points)}</span>
        </td>
        <td>
          <span className={`badge ${rule.active ? 'chip-good' : 'badge-muted'}`}>{rule.active ? t('dsRules.active') : t('dsRules.inactive')}</span>
        </td>
        <td className="col-optional small muted">{updated}</td>
        {canEdit && (
          <td className="nowrap">
            {!editing && (
              <button type="button" className="btn btn-sm btn-secondary" onClick={onEdit}>
                {t('dsRules.edit')}
              </button>
            )}
          </td>
        )}
      </tr>
      {editing && (
        <tr className="rule-edit-row">
          <td colSpan={6}>
            <RuleEditForm rule={rule} onSaved={onSaved} onClose={onEdit} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Points 0–100, in force or not, and the name shown with a score: checked here as the contract does, then by the server. */
function RuleEditForm({ rule, onSaved, onClose }: { rule: PriorityRule; onSaved: (rule: PriorityRule) => void; onClose: () => void }) {
  const { t, errorMessage } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<RuleForm>({ points: String(rule.points), active: rule.active, label: rule.label });
  const { problems, report, onChange } = useFieldProblems<Problems<RuleField>>();
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof ruleBody>) => updatePriorityRule(rule.code, body),
    // The table shows the new values at once; they go back if the server refuses.
    onMutate: async (body) => {
      await queryClient.cancelQueries({ queryKey: deviceKeys.rules() });
      const before = queryClient.getQueryData<PriorityRule[]>(deviceKeys.rules());
      queryClient.setQueryData<PriorityRule[]>(deviceKeys.rules(), (rows) =>
        rows?.map((r) => (r.code === rule.code ? { ...r, points: body.points, active: body.active, label: body.label ?? r.label } : r)),
      );
      return { before };
    },
    onError: (_error, _body, context) => {
      if (context?.before) queryClient.setQueryData(deviceKeys.rules(), context.before);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<PriorityRule[]>(deviceKeys.rules(), (rows) => rows?.map((r) => (r.code === saved.code ? saved : r)));
      onSaved(saved);
    },
    // Every score on the needs page follows the rules: read them again.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: deviceKeys.all }),
  });
  const busy = save.isPending;
  const serverError = save.error;
  const serverIssues = (field: RuleField) => (serverError instanceof ApiError ? serverError.issuesFor(field) : []);
  const otherIssues =
    serverError instanceof ApiError ? serverError.issues.filter((i) => !/(^|\.)(points|label)$/.test(i.path)).map((i) => i.message) : [];
  const messages = (field: RuleField) => {
    const p = problems[field];
    return p ? [t(p.key, p.params)] : serverIssues(field);
  };
  const id = (field: string) => `rule-${rule.code}-${field}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateRule(form);
    report(found);
    if (Object.keys(found).length === 0) save.mutate(ruleBody(form, rule.label));
  }
  const change = (patch: Partial<RuleForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (save.isError) save.reset();
  };

  return (
    <form className="form-stack rule-form" onSubmit={submit} onChange={onChange} noValidate aria-label={t('dsRules.editTitle', { label: rule.label })}>
      <fieldset className="rule-fieldset" disabled={busy}>
        <div className="rule-form-grid">
          <div className="field rule-label-field">
            <label htmlFor={id('label')}>{t('dsRules.label')}</label>
            <input
              id={id('label')}
              name="label"
              value={form.label}
              maxLength={RULE_LABEL_MAX + 20}
              onChange={(e) => change({ label: e.target.value })}
              aria-invalid={messages('label').length > 0 || undefined}
              aria-describedby={`${id('label')}-hint ${id('label')}-error`}
            />
            <p className="hint" id={`${id('label')}-hint`}>
              {t('dsRules.labelHint')}
            </p>
            <FieldError id={`${id('label')}-error`} messages={messages('label')} />
          </div>
          <div className="field rule-points-field">
            <label htmlFor={id('points')}>{t('dsRules.points', { max: RULE_POINTS_MAX })}</label>
            <input
              id={id('points')}
              name="points"
              className="rule-points"
              inputMode="numeric"
              value={form.points}
              onChange={(e) => change({ points: e.target.value })}
              aria-invalid={messages('points').length > 0 || undefined}
              aria-describedby={`${id('points')}-error`}
            />
            <FieldError id={`${id('points')}-error`} messages={messages('points')} />
          </div>
          <div className="field rule-active-field">
            <label className="check-line">
              <input type="checkbox" checked={form.active} onChange={(e) => change({ active: e.target.checked })} />
              <span>{t('dsRules.activeToggle')}</span>
            </label>
          </div>
        </div>
      </fieldset>
      {serverError && (
        <div className="form-error" role="alert">
          <p>{errorMessage(serverError)}</p>
          {otherIssues.length > 0 && (
            <ul>
              {otherIssues.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('state.saving') : t('dsRules.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
