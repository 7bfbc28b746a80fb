import { useQuery } from '@tanstack/react-query';
import type { FactView } from '@cds/contract';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { valueLabelPrefix } from './indicators';
import { fetchFacts, registryKeys } from './registry-api';

/** Every fact ever recorded for a person, newest first, corrected ones kept and marked. */
export function FactHistory({ residentId, onCorrect }: { residentId: number; onCorrect?: (fact: FactView) => void }) {
  const { t, label, date, dateTime } = useI18n();
  const facts = useQuery({ queryKey: registryKeys.facts(residentId), queryFn: () => fetchFacts(residentId) });

  return (
    <QueryState query={facts}>
      {({ items }) => {
        if (items.length === 0) return <EmptyState>{t('history.empty')}</EmptyState>;
        const correctedBy = new Map<number, FactView>();
        for (const f of items) if (f.correctsFactId !== null) correctedBy.set(f.correctsFactId, f);
        return (
          <ol className="history">
            {items.map((f) => {
              const correction = correctedBy.get(f.id);
              return (
                <li key={f.id} className={`history-item${correction ? ' is-corrected' : ''}`}>
                  <div className="history-main">
                    <span className="history-indicator">{label('indicator', f.indicator)}</span>
                    <span className="history-value">{label(valueLabelPrefix(f.indicator), f.value)}</span>
                    {correction && <span className="badge badge-muted">{t('history.corrected', { id: correction.id })}</span>}
                    {f.correctsFactId !== null && <span className="badge badge-info">{t('history.correction', { id: f.correctsFactId })}</span>}
                    {f.mergedFromResidentId != null && <span className="badge badge-muted">{t('history.fromMerged', { id: f.mergedFromResidentId })}</span>}
                  </div>
                  <div className="history-meta muted small">
                    <span>#{f.id}</span>
                    <span>{t('history.observed', { date: date(f.observedOn) })}</span>
                    <span>
                      {label('source', f.sourceKind)}
                      {f.sourceRef ? ` · ${f.sourceRef}` : ''}
                    </span>
                    <span>{t('history.by', { who: f.statedBy ?? t('fact.unknownPerson') })}</span>
                    <span>{t('history.recorded', { at: dateTime(f.recordedAt) })}</span>
                  </div>
                  {f.note && <p className="history-note">{f.note}</p>}
                  {onCorrect && !correction && (
                    <button type="button" className="btn btn-link btn-sm" onClick={() => onCorrect(f)}>
                      {t('fact.correct')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        );
      }}
    </QueryState>
  );
}
