import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FactView } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { vietnamToday } from '../../shared/i18n/formats';
import { useI18n } from '../../shared/i18n/i18n-context';
import { ELEMENTS, INDICATORS, indicatorDef, valueLabelPrefix } from './indicators';
import { createFact, registryKeys } from './registry-api';
import { DayInput } from '../../shared/components/day-input';

type Field = 'indicator' | 'value' | 'observedOn' | 'sourceRef' | 'note';
type Problems = Partial<Record<Field, string[]>>;


/**
 * Records what was seen or said about one indicator. A correction is a new fact that names the one
 * it corrects: the old one stays in the history, marked as corrected, and nothing is overwritten.
 */
export function FactForm({
  residentId,
  householdId,
  corrects,
  onDone,
}: {
  residentId: number;
  householdId?: number;
  corrects?: FactView | null;
  /** Called with the saved fact, or with nothing when the form is cancelled. */
  onDone: (saved?: FactView) => void;
}) {
  const { t, label, date } = useI18n();
  const queryClient = useQueryClient();
  const [indicator, setIndicator] = useState(corrects?.indicator ?? '');
  const [value, setValue] = useState('');
  const [observedOn, setObservedOn] = useState(vietnamToday());
  const [sourceKind, setSourceKind] = useState<'visit' | 'person'>('visit');
  const [sourceRef, setSourceRef] = useState('');
  const [note, setNote] = useState('');
  const { problems, report, onChange, changed, isChanged } = useFieldProblems<Problems>();
  const def = indicatorDef(indicator);
  const formId = `fact-${residentId}`;

  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof createFact>[1]) => createFact(residentId, body),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: registryKeys.facts(residentId) });
      void queryClient.invalidateQueries({ queryKey: registryKeys.resident(residentId) });
      if (householdId) void queryClient.invalidateQueries({ queryKey: registryKeys.household(householdId) });
      onDone(saved);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Problems = {};
    if (!def) found.indicator = [t('fact.chooseIndicator')];
    if (def && !def.values.includes(value)) found.value = [t('fact.chooseValue')];
    if (!observedOn) found.observedOn = [t('fact.dateRequired')];
    else if (observedOn > vietnamToday()) found.observedOn = [t('fact.dateFuture')];
    if (corrects && corrects.indicator === indicator && corrects.value === value && corrects.observedOn === observedOn) {
      found.value = [...(found.value ?? []), t('fact.sameAsCorrected')];
    }
    const body = {
      indicator,
      value,
      observedOn,
      sourceKind,
      sourceRef: sourceRef.trim() || null,
      correctsFactId: corrects?.id ?? null,
      note: note.trim() || null,
    };
    report(found);
    if (Object.keys(found).length > 0) return;
    mutation.mutate(body);
  }

  const serverIssues = (field: Field) => (mutation.error instanceof ApiError && !isChanged(field) ? mutation.error.issuesFor(field) : []);
  const messages = (field: Field) => [...(problems[field] ?? []), ...serverIssues(field)];
  const describedBy = (field: Field) => (messages(field).length > 0 ? `${formId}-${field}-error` : undefined);

  return (
    <form className="fact-form" onSubmit={submit} onChange={onChange} noValidate aria-labelledby={`${formId}-title`}>
      <h3 id={`${formId}-title`} className="form-title">
        {corrects ? t('fact.correctTitle') : t('fact.newTitle')}
      </h3>
      {corrects && (
        <p className="hint">
          {t('fact.correcting', {
            indicator: label('indicator', corrects.indicator),
            value: label(valueLabelPrefix(corrects.indicator), corrects.value),
            date: date(corrects.observedOn),
          })}
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${formId}-indicator`}>{t('fact.indicator')}</label>
          <select
            id={`${formId}-indicator`}
            name="indicator"
            value={indicator}
            disabled={Boolean(corrects)}
            onChange={(e) => {
              setIndicator(e.target.value);
              setValue('');
            }}
            aria-invalid={messages('indicator').length > 0}
            aria-describedby={describedBy('indicator')}
          >
            <option value="">{t('fact.chooseIndicatorOption')}</option>
            {ELEMENTS.map((el) => (
              <optgroup key={el} label={label('element', el)}>
                {INDICATORS.filter((i) => i.element === el).map((i) => (
                  <option key={i.name} value={i.name}>
                    {label('indicator', i.name)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError id={`${formId}-indicator-error`} messages={messages('indicator')} />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-value`}>{t('fact.value')}</label>
          <select
            id={`${formId}-value`}
            name="value"
            value={value}
            disabled={!def}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={messages('value').length > 0}
            aria-describedby={describedBy('value')}
          >
            <option value="">{def ? t('fact.chooseValueOption') : t('fact.chooseIndicatorFirst')}</option>
            {def?.values.map((v) => (
              <option key={v} value={v}>
                {label(valueLabelPrefix(def.name), v)}
              </option>
            ))}
          </select>
          <FieldError id={`${formId}-value-error`} messages={messages('value')} />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-date`}>{t('fact.observedOn')}</label>
          <DayInput
            id={`${formId}-date`}
            name="observedOn"
            value={observedOn}
            max={vietnamToday()}
            onValueChange={(day) => {
              setObservedOn(day);
              // "The same as the fact corrected" stands under the value but is about the date too.
              changed('value', (messages) => messages?.includes(t('fact.sameAsCorrected')) ?? false);
            }}
            aria-invalid={messages('observedOn').length > 0}
            aria-describedby={describedBy('observedOn')}
          />
          <FieldError id={`${formId}-observedOn-error`} messages={messages('observedOn')} />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-kind`}>{t('fact.sourceKind')}</label>
          <select id={`${formId}-kind`} value={sourceKind} onChange={(e) => setSourceKind(e.target.value === 'person' ? 'person' : 'visit')}>
            <option value="visit">{label('source', 'visit')}</option>
            <option value="person">{label('source', 'person')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${formId}-ref`}>
            {t('fact.sourceRef')} <span className="muted small">{t('form.optional')}</span>
          </label>
          <input
            id={`${formId}-ref`}
            name="sourceRef"
            value={sourceRef}
            maxLength={200}
            placeholder={t('fact.sourceRefPlaceholder')}
            onChange={(e) => setSourceRef(e.target.value)}
            aria-invalid={messages('sourceRef').length > 0}
            aria-describedby={describedBy('sourceRef')}
          />
          <FieldError id={`${formId}-sourceRef-error`} messages={messages('sourceRef')} />
        </div>
        <div className="field field-wide">
          <label htmlFor={`${formId}-note`}>
            {t('fact.note')} <span className="muted small">{t('form.optional')}</span>
          </label>
          <textarea
            id={`${formId}-note`}
            name="note"
            value={note}
            rows={2}
            maxLength={500}
            placeholder={corrects ? t('fact.notePlaceholderCorrection') : t('fact.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={messages('note').length > 0}
            aria-describedby={describedBy('note')}
          />
          <FieldError id={`${formId}-note-error`} messages={messages('note')} />
        </div>
      </div>
      {mutation.isError && <FormError error={mutation.error} />}
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? t('state.saving') : corrects ? t('fact.saveCorrection') : t('fact.save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => onDone()}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
