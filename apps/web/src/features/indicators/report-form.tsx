import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { PlanIndicatorDefinition, ReportedValueView } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { vietnamToday } from '../../shared/i18n/formats';
import { formatFigure } from './figure-format';
import { fetchReportHistory, indicatorKeys, saveReport, submitReport } from './indicators-api';
import { NOTE_MAX, checkReport, periodLabel, recentPeriods, type PeriodKind, type ReportEntry, type ReportProblems } from './report-rules';

export type ReportedIndicator = Extract<PlanIndicatorDefinition, { kind: 'reported' }>;

/** A padlock beside approved figures; drawn, since emoji fonts are missing on many office machines. */
export function LockIcon() {
  return (
    <svg className="lock-icon" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v6a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 14.5v-6A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
    </svg>
  );
}

/**
 * The period a form opens on: the last one already over, since a unit reports a month (quarter,
 * year) after it ends, and the dashboard counts a figure only from its period's last day.
 */
function defaultPeriod(periods: readonly string[]): string {
  return periods[1] ?? periods[0] ?? '';
}

const PERIODS_SHOWN: Record<PeriodKind, number> = { month: 12, quarter: 6, year: 3 };

function entryOf(existing: ReportedValueView | undefined, unit: 'percent' | 'count', lang: 'vi' | 'en'): ReportEntry {
  if (!existing) return { mode: unit === 'percent' ? 'ratio' : 'value', numerator: '', denominator: '', value: '', note: '' };
  const ratio = existing.numerator !== null && existing.denominator !== null;
  return {
    mode: ratio ? 'ratio' : 'value',
    numerator: ratio ? String(existing.numerator) : '',
    denominator: ratio ? String(existing.denominator) : '',
    // A stored share comes back as written in the reader's language: 93,4 in Vietnamese.
    value: ratio ? '' : lang === 'vi' ? String(existing.value).replace('.', ',') : String(existing.value),
    note: existing.note ?? '',
  };
}

/**
 * A unit's figure for one reported indicator and period. Drafts and returned figures can be changed
 * and sent; a submitted figure waits for the city, and an approved one is locked: a correction is a
 * new period's figure, never an edit of what the city accepted.
 */
export function ReportForm({
  planId,
  unitCode,
  indicators,
  rows,
  start,
  onSaved,
}: {
  planId: string;
  unitCode: string;
  indicators: readonly ReportedIndicator[];
  /** The unit's figures already entered, to fill the form and know which are locked. */
  rows: readonly ReportedValueView[];
  /** Indicator and period to open the form on (the row the reader chose to edit). */
  start: { indicatorId: string; period: string } | null;
  onSaved: () => void;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const ids = useId();
  const [indicatorId, setIndicatorId] = useState(start?.indicatorId ?? indicators[0]?.id ?? '');
  const indicator = indicators.find((i) => i.id === indicatorId) ?? indicators[0];
  const periods = indicator ? recentPeriods(indicator.period, vietnamToday(), PERIODS_SHOWN[indicator.period]) : [];
  const [period, setPeriod] = useState(start?.period ?? defaultPeriod(periods));
  const existing = rows.find((r) => r.indicatorId === indicator?.id && r.period === period && r.unitCode === unitCode);
  const [entry, setEntry] = useState<ReportEntry>(() => entryOf(existing, indicator?.unit ?? 'percent', i18n.lang));
  const { problems, report, onChange, changed, isChanged } = useFieldProblems<ReportProblems>();
  const [done, setDone] = useState<string | null>(null);

  // Another row chosen for editing, or another indicator or period picked: show what is stored for it.
  useEffect(() => {
    if (start) {
      setIndicatorId(start.indicatorId);
      setPeriod(start.period);
    }
  }, [start]);
  useEffect(() => {
    setEntry(entryOf(existing, indicator?.unit ?? 'percent', i18n.lang));
    report({});
    // The last save's refusal was about the figure shown before.
    save.reset();
    // Only when the figure the form stands for changes, not on every refetch of the list.
  }, [existing?.id, existing?.updatedAt, indicator?.id, period]);

  const save = useMutation({
    mutationFn: async ({ send }: { send: boolean }) => {
      if (!indicator) throw new Error('no indicator');
      const { figures } = checkReport(entry, indicator.unit, period);
      const saved = await saveReport(planId, {
        indicatorId: indicator.id,
        unitCode,
        period,
        ...figures,
        note: entry.note.trim() === '' ? null : entry.note.trim(),
      });
      return send ? submitReport(saved.id) : saved;
    },
    onSuccess: (saved) => {
      setDone(t(saved.status === 'submitted' ? 'report.submittedDone' : 'report.savedDone', { period: periodLabel(t, saved.period) }));
      onSaved();
    },
  });

  if (!indicator) return null;
  const locked = existing?.status === 'approved' || existing?.status === 'submitted';

  function submit(send: boolean) {
    return (e?: FormEvent) => {
      e?.preventDefault();
      setDone(null);
      if (!indicator) return;
      const checked = checkReport(entry, indicator.unit, period);
      report(checked.problems);
      if (Object.keys(checked.problems).length === 0) save.mutate({ send });
    };
  }

  const serverIssues = (field: keyof ReportProblems) => (save.error instanceof ApiError && !isChanged(field) ? save.error.issuesFor(field) : []);
  const messages = (field: keyof ReportProblems) => [...(problems[field] ?? []).map((k) => t(k)), ...serverIssues(field)];
  const set = (patch: Partial<ReportEntry>) => setEntry((prev) => ({ ...prev, ...patch }));
  const preview =
    entry.mode === 'ratio' ? checkReport(entry, indicator.unit, period).figures : { numerator: null, denominator: null, value: null };
  const previewValue = preview.numerator !== null && preview.denominator ? (100 * preview.numerator) / preview.denominator : null;

  const field = (name: 'numerator' | 'denominator' | 'value', label: string, value: string) => {
    const errs = messages(name);
    return (
      <div className="field">
        <label htmlFor={`${ids}-${name}`}>{label}</label>
        <input
          id={`${ids}-${name}`}
          name={name}
          inputMode={name === 'value' && indicator.unit === 'percent' ? 'decimal' : 'numeric'}
          value={value}
          disabled={locked}
          onChange={(e) => {
            set({ [name]: e.target.value });
            // "Above the denominator" stands under the numerator but is about both.
            if (name === 'denominator') changed('numerator', (keys) => keys?.includes('report.err.numeratorAboveDenominator') ?? false);
          }}
          aria-invalid={errs.length > 0}
          aria-describedby={errs.length > 0 ? `${ids}-${name}-error` : undefined}
        />
        <FieldError id={`${ids}-${name}-error`} messages={errs} />
      </div>
    );
  };

  return (
    <form className="card report-form" onSubmit={submit(false)} onChange={onChange} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="card-title">
        {t('report.formTitle')}
      </h2>
      <div className="form-grid">
        <div className="field field-wide">
          <label htmlFor={`${ids}-indicator`}>{t('report.indicator')}</label>
          <select
            id={`${ids}-indicator`}
            value={indicator.id}
            onChange={(e) => {
              const next = indicators.find((i) => i.id === e.target.value);
              setIndicatorId(e.target.value);
              if (next && next.period !== indicator.period) setPeriod(defaultPeriod(recentPeriods(next.period, vietnamToday(), 2)));
            }}
          >
            {indicators.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
          <p className="hint">
            {t('report.indicatorHint', {
              period: t(`report.every.${indicator.period}`),
              target: `${indicator.direction === 'at_most' ? '≤' : '≥'} ${formatFigure(i18n, indicator.target, indicator.unit)}`,
            })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-period`}>{t('report.period')}</label>
          <select id={`${ids}-period`} name="period" value={period} onChange={(e) => setPeriod(e.target.value)}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {periodLabel(t, p)}
              </option>
            ))}
          </select>
          <FieldError id={`${ids}-period-error`} messages={messages('period')} />
        </div>
        {indicator.unit === 'percent' && (
          <fieldset className="field mode-switch">
            <legend>{t('report.mode')}</legend>
            <label>
              <input type="radio" name={`${ids}-mode`} checked={entry.mode === 'ratio'} disabled={locked} onChange={() => set({ mode: 'ratio' })} />{' '}
              {t('report.modeRatio')}
            </label>
            <label>
              <input type="radio" name={`${ids}-mode`} checked={entry.mode === 'value'} disabled={locked} onChange={() => set({ mode: 'value' })} />{' '}
              {t('report.modeValue')}
            </label>
          </fieldset>
        )}
      </div>
      {existing && (
        <div className={`report-existing report-status-${existing.status}`} role="status">
          {existing.status === 'approved' && <LockIcon />}
          {t(`report.existing.${existing.status}`, { at: dateTime(existing.updatedAt), by: existing.updatedBy ?? '—' })}
          {existing.status === 'returned' && <ReturnReason reportId={existing.id} />}
        </div>
      )}
      <div className="form-grid">
        {entry.mode === 'ratio' ? (
          <>
            {field('numerator', t('report.numerator'), entry.numerator)}
            {field('denominator', t('report.denominator'), entry.denominator)}
            <div className="field">
              <span className="field-label">{t('report.computed')}</span>
              <span className="computed-value">{formatFigure(i18n, previewValue, 'percent')}</span>
            </div>
          </>
        ) : (
          field('value', indicator.unit === 'percent' ? t('report.valuePercent') : t('report.valueCount'), entry.value)
        )}
        <div className="field field-wide">
          <label htmlFor={`${ids}-note`}>
            {t('report.note')} <span className="muted small">{t('form.optional')}</span>
          </label>
          <textarea
            id={`${ids}-note`}
            name="note"
            rows={2}
            maxLength={NOTE_MAX + 50}
            value={entry.note}
            disabled={locked}
            placeholder={t('report.notePlaceholder')}
            onChange={(e) => set({ note: e.target.value })}
            aria-invalid={messages('note').length > 0}
          />
          <FieldError id={`${ids}-note-error`} messages={messages('note')} />
        </div>
      </div>
      {!locked && (
        <div className="btn-row">
          <button type="submit" className="btn btn-secondary" disabled={save.isPending}>
            {save.isPending ? t('state.saving') : t('report.saveDraft')}
          </button>
          <button type="button" className="btn btn-primary" disabled={save.isPending} onClick={submit(true)}>
            {t('report.saveAndSubmit')}
          </button>
        </div>
      )}
      {save.isError && <FormError error={save.error} />}
      {done && (
        <p className="form-success" role="status">
          {done}
        </p>
      )}
    </form>
  );
}

/** Why the city returned a figure: the note of its latest return, so the unit need not open the history. */
function ReturnReason({ reportId }: { reportId: number }) {
  const { t } = useI18n();
  const history = useQuery({ queryKey: indicatorKeys.history(reportId), queryFn: () => fetchReportHistory(reportId) });
  const reason = [...(history.data?.events ?? [])].reverse().find((e) => e.action === 'return')?.note;
  if (!reason) return null;
  return <p className="return-reason">{t('report.returnReason', { note: reason })}</p>;
}
