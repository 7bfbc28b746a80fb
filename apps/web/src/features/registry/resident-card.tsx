import { useState } from 'react';
import type { FactView, ResidentDetail } from '@cds/contract';
import { useI18n } from '../../shared/i18n/i18n-context';
import { ElementBadges } from './element-badges';
import { FactForm } from './fact-form';
import { FactHistory } from './fact-history';
import { valueLabelPrefix } from './indicators';
import { MaskedValue } from './masked-value';
import { MergeList } from './merge-panels';
import { RecordAccountPanel } from './record-account';

type Panel = { kind: 'none' } | { kind: 'form'; corrects: FactView | null } | { kind: 'history' };

/** One member of a household: who they are (masked), their four elements, and the tools to record what was found. */
export function ResidentCard({ resident, canRecord, canMerge = false }: { resident: ResidentDetail; canRecord: boolean; canMerge?: boolean }) {
  const { t, label, date } = useI18n();
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [saved, setSaved] = useState<FactView | null>(null);
  const headingId = `resident-${resident.id}`;
  const correct = canRecord ? (fact: FactView) => setPanel({ kind: 'form', corrects: fact }) : undefined;

  return (
    <article className="card resident-card" aria-labelledby={headingId}>
      <header className="resident-head">
        <div>
          <h3 id={headingId} className="resident-name">
            {resident.fullName}
          </h3>
          <p className="resident-sub">
            <span className="badge badge-muted">{label('relation', resident.relationToHead)}</span>
            <span>
              {resident.birthDate ? date(resident.birthDate) : resident.birthYear} · {t('resident.age', { n: resident.age })}
            </span>
            {resident.sex && <span>{label('sex', resident.sex)}</span>}
            <span>{label('residence', resident.residenceType)}</span>
            {resident.status !== 'living' && <span className="badge badge-warn">{label('residentStatus', resident.status)}</span>}
          </p>
        </div>
        {!resident.eligible && (
          <span className="badge badge-muted" title={t('resident.notEligibleHint')}>
            {t('resident.notEligible')}
          </span>
        )}
      </header>
      <dl className="kv">
        <div>
          <dt>{t('resident.citizenId')}</dt>
          <dd>
            <MaskedValue residentId={resident.id} field="citizenId" value={resident.citizenId} canReveal={resident.canReveal.citizenId} />
          </dd>
        </div>
        <div>
          <dt>{t('resident.phone')}</dt>
          <dd>
            <MaskedValue residentId={resident.id} field="phone" value={resident.phone} canReveal={resident.canReveal.phone} />
            {resident.phoneCarrier && <span className="muted small"> · {label('carrier', resident.phoneCarrier)}</span>}
          </dd>
        </div>
      </dl>
      <ElementBadges elements={resident.elements} onCorrect={correct} />
      {resident.mergedFrom && resident.mergedFrom.length > 0 && (
        <details className="merged-from">
          <summary className="small">{t('resident.mergedFrom', { n: resident.mergedFrom.length })}</summary>
          <MergeList merges={resident.mergedFrom} canUndo={canMerge} direction="into" />
        </details>
      )}
      {resident.account !== undefined && <RecordAccountPanel residentId={resident.id} householdId={resident.householdId} account={resident.account} />}
      <div className="btn-row resident-actions">
        {canRecord && (
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            aria-expanded={panel.kind === 'form'}
            onClick={() => setPanel(panel.kind === 'form' ? { kind: 'none' } : { kind: 'form', corrects: null })}
          >
            {t('fact.record')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-expanded={panel.kind === 'history'}
          onClick={() => setPanel(panel.kind === 'history' ? { kind: 'none' } : { kind: 'history' })}
        >
          {t('history.toggle')}
        </button>
      </div>
      {saved && panel.kind === 'none' && (
        <p className="form-success" role="status">
          {t('fact.saved', { indicator: label('indicator', saved.indicator), value: label(valueLabelPrefix(saved.indicator), saved.value) })}
        </p>
      )}
      {panel.kind === 'form' && (
        <FactForm
          key={panel.corrects?.id ?? 'new'}
          residentId={resident.id}
          householdId={resident.householdId}
          corrects={panel.corrects}
          onDone={(fact) => {
            setSaved(fact ?? null);
            setPanel({ kind: 'none' });
          }}
        />
      )}
      {panel.kind === 'history' && (
        <section className="history-panel" aria-label={t('history.title')}>
          <h4 className="form-title">{t('history.title')}</h4>
          <FactHistory residentId={resident.id} onCorrect={correct} />
        </section>
      )}
    </article>
  );
}
