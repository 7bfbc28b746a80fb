import { useId, useState } from 'react';
import type { ElementStatus, FactView } from '@cds/contract';
import { useI18n } from '../../shared/i18n/i18n-context';
import { valueLabelPrefix } from './indicators';

/** The four elements as coloured badges; each opens to show its indicators and the fact behind each value. */
export function ElementBadges({
  elements,
  onCorrect,
}: {
  elements: readonly ElementStatus[];
  /** Offered next to each fact when the reader may record facts. */
  onCorrect?: (fact: FactView) => void;
}) {
  const { t, label } = useI18n();
  const baseId = useId();
  const [open, setOpen] = useState<string | null>(null);
  const current = elements.find((e) => e.element === open);

  return (
    <div className="elements">
      <ul className="element-badges" aria-label={t('elements.label')}>
        {elements.map((e) => {
          const expanded = open === e.element;
          return (
            <li key={e.element}>
              <button
                type="button"
                className={`element-badge state-${e.state}${expanded ? ' expanded' : ''}`}
                aria-expanded={expanded}
                aria-controls={`${baseId}-panel`}
                onClick={() => setOpen(expanded ? null : e.element)}
              >
                <span className="state-dot" aria-hidden="true" />
                <span className="element-name">{label('element', e.element)}</span>
                <span className="element-state">{label('state', e.state)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {current && (
        <div id={`${baseId}-panel`} className="indicator-panel" role="region" aria-label={label('element', current.element)}>
          <IndicatorTable element={current} onCorrect={onCorrect} />
        </div>
      )}
    </div>
  );
}

export function IndicatorTable({ element, onCorrect }: { element: ElementStatus; onCorrect?: (fact: FactView) => void }) {
  const { t, label } = useI18n();
  return (
    <table className="table table-compact indicator-table">
      <caption className="sr-only">{label('element', element.element)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('fact.indicator')}</th>
          <th scope="col">{t('fact.value')}</th>
          <th scope="col">{t('fact.source')}</th>
          {onCorrect && (
            <th scope="col">
              <span className="sr-only">{t('fact.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {element.indicators.map((ind) => (
          <tr key={ind.indicator}>
            <th scope="row">{label('indicator', ind.indicator)}</th>
            <td>
              {ind.value === null ? (
                <span className="muted">{t('fact.noValue')}</span>
              ) : (
                <span className={`value value-${ind.indicator}-${ind.value}`}>{label(valueLabelPrefix(ind.indicator), ind.value)}</span>
              )}
            </td>
            <td className={ind.fact ? undefined : 'no-source'}>{ind.fact ? <FactSource fact={ind.fact} /> : <span className="muted">—</span>}</td>
            {onCorrect && (
              <td className="actions-cell">
                {ind.fact && (
                  <button type="button" className="btn btn-link btn-sm" onClick={() => ind.fact && onCorrect(ind.fact)}>
                    {t('fact.correct')}
                    <span className="sr-only"> {label('indicator', ind.indicator)}</span>
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a value came from: the kind of source, its reference, the day it was observed and who recorded it. */
/** `withWho`: officials read who recorded it ("không rõ" when nobody is named); a citizen is not told (the server leaves it out). */
export function FactSource({ fact, withWho = true }: { fact: FactView; withWho?: boolean }) {
  const { t, label, date } = useI18n();
  return (
    <span className="fact-source">
      <span>
        {label('source', fact.sourceKind)}
        {fact.sourceRef ? ` · ${fact.sourceRef}` : ''}
      </span>
      <span className="muted small">
        {withWho
          ? t('fact.observedOnBy', { date: date(fact.observedOn), who: fact.statedBy ?? t('fact.unknownPerson') })
          : t('fact.observedOnDay', { date: date(fact.observedOn) })}
      </span>
      {fact.mergedFromResidentId != null && <span className="badge badge-muted">{t('history.fromMerged', { id: fact.mergedFromResidentId })}</span>}
    </span>
  );
}
