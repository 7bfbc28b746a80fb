import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { IndicatorFigure } from '@cds/contract';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { UnitSelect } from '../registry/unit-select';
import { formatFigure } from './figure-format';
import { setUnitTarget, splitTargets, type TargetSplit } from './indicators-api';

/**
 * The city's target of one indicator as every unit's quota: proposed from today's figures (equal
 * effort for a share, by population for a count), looked at, then applied; or one unit's own
 * target set by hand. City admins only; the ranking below shows each unit against its quota.
 */
export function UnitQuotas({ planId, figure }: { planId: string; figure: IndicatorFigure }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['plans'] });
  const [message, setMessage] = useState('');
  const propose = useMutation({ mutationFn: () => splitTargets(planId, { indicatorId: figure.id, apply: false }) });
  const apply = useMutation({
    mutationFn: () => splitTargets(planId, { indicatorId: figure.id, apply: true }),
    onSuccess: (split) => {
      setMessage(t('unitQuotas.applied', { n: split.units.length }));
      propose.reset();
      refresh();
    },
  });
  const derived = figure.kind === 'derived';

  return (
    <section className="card form-stack" aria-labelledby="quotas-title">
      <div className="card-intro">
        <h2 id="quotas-title" className="card-title">
          {t('unitQuotas.title')}
        </h2>
        <p className="muted small">{t(figure.unit === 'percent' ? 'unitQuotas.introShare' : 'unitQuotas.introCount')}</p>
      </div>
      {message && (
        <p className="form-success" role="status">
          {message}
        </p>
      )}
      {derived ? (
        <p className="muted">{t('unitQuotas.derived')}</p>
      ) : propose.data ? (
        <Proposal split={propose.data} figure={figure} onApply={() => apply.mutate()} applying={apply.isPending} onClose={() => propose.reset()} error={apply.error} />
      ) : (
        <div className="btn-row">
          <button type="button" className="btn btn-primary" disabled={propose.isPending} onClick={() => { setMessage(''); propose.mutate(); }}>
            {propose.isPending ? t('unitQuotas.working') : t('unitQuotas.propose')}
          </button>
        </div>
      )}
      <FormError error={propose.error} />
      <OneUnitTarget planId={planId} figure={figure} onSaved={(text) => { setMessage(text); refresh(); }} />
    </section>
  );
}

function Proposal({ split, figure, onApply, applying, onClose, error }: { split: TargetSplit; figure: IndicatorFigure; onApply: () => void; applying: boolean; onClose: () => void; error: unknown }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const rows = [...split.units].sort((a, b) => b.target - a.target || a.unitName.localeCompare(b.unitName, 'vi'));
  return (
    <div className="form-stack">
      <p>
        {split.method === 'equal_effort' && split.effort !== null
          ? t('unitQuotas.effort', { pct: number(Math.round(split.effort * 1000) / 10), now: formatFigure(i18n, split.cityNow, figure.unit), target: formatFigure(i18n, split.cityTarget, figure.unit) })
          : t(split.method === 'by_current' ? 'unitQuotas.byCurrent' : split.method === 'equal' ? 'unitQuotas.equal' : 'unitQuotas.byPopulation', { target: formatFigure(i18n, split.cityTarget, figure.unit) })}
      </p>
      <div className="table-wrap quota-table">
        <table className="table table-compact">
          <caption className="sr-only">{t('unitQuotas.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('unitQuotas.colUnit')}</th>
              <th scope="col" className="num">
                {t('unitQuotas.colNow')}
              </th>
              <th scope="col" className="num">
                {t('unitQuotas.colQuota')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.unitCode}>
                <th scope="row">{u.unitName}</th>
                <td className="num">{formatFigure(i18n, u.value, figure.unit)}</td>
                <td className="num">{formatFigure(i18n, u.target, figure.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={error} />
      <div className="btn-row">
        <button type="button" className="btn btn-primary" disabled={applying} onClick={onApply}>
          {t('unitQuotas.apply', { n: split.units.length })}
        </button>
        <button type="button" className="btn btn-secondary" disabled={applying} onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
      <p className="hint">{t('unitQuotas.applyNote')}</p>
    </div>
  );
}

function OneUnitTarget({ planId, figure, onSaved }: { planId: string; figure: IndicatorFigure; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const [unit, setUnit] = useState('');
  const [value, setValue] = useState('');
  const { problems: problem, report, onChange } = useFieldProblems<{ unit?: string; value?: string }>();
  const save = useMutation({
    mutationFn: (target: number | null) => setUnitTarget(planId, { indicatorId: figure.id, unitCode: unit, target }),
    onSuccess: (_list, target) => {
      onSaved(t(target === null ? 'unitQuotas.cleared' : 'unitQuotas.saved'));
      setValue('');
    },
  });
  function submit(e: FormEvent, clear: boolean) {
    e.preventDefault();
    const parsed = Number(value.replace(',', '.'));
    const next: typeof problem = {};
    if (!unit) next.unit = t('unitQuotas.unitRequired');
    if (!clear && (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)) next.value = t('unitQuotas.valueInvalid');
    else if (!clear && figure.unit === 'percent' && parsed > 100) next.value = t('unitQuotas.valueOver100');
    report(next);
    if (!next.unit && !next.value) save.mutate(clear ? null : parsed);
  }
  return (
    <form className="form-stack" onSubmit={(e) => submit(e, false)} onChange={onChange} noValidate aria-labelledby="one-quota-title">
      <h3 id="one-quota-title" className="form-title">
        {t('unitQuotas.oneTitle')}
      </h3>
      <div className="form-grid wide-form-grid">
        <div className="field">
          <UnitSelect id="quota-unit" name="unit" value={unit} onChange={setUnit} emptyLabel={t('unitQuotas.chooseUnit')} errorId={problem.unit ? 'quota-unit-error' : undefined} />
          <FieldError id="quota-unit-error" messages={problem.unit ? [problem.unit] : []} />
        </div>
        <div className="field">
          <label htmlFor="quota-value">{t(figure.unit === 'percent' ? 'unitQuotas.valuePercent' : 'unitQuotas.valueCount')}</label>
          <input
            id="quota-value"
            name="value"
            inputMode="decimal"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={problem.value ? true : undefined}
            aria-describedby={problem.value ? 'quota-value-error' : undefined}
          />
          <FieldError id="quota-value-error" messages={problem.value ? [problem.value] : []} />
        </div>
      </div>
      <FormError error={save.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('unitQuotas.save')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={(e) => submit(e, true)}>
          {t('unitQuotas.clear')}
        </button>
      </div>
    </form>
  );
}
