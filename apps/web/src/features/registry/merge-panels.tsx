import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueries } from '@tanstack/react-query';
import type { DistinctPairView, ResidentDetail, ResidentMergeView } from '@cds/contract';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useReturnFocus } from '../../shared/components/use-return-focus';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchResident, markDistinct, mergeResident, registryKeys, undoMerge, unmarkDistinct } from './registry-api';
import { useInvalidateRegistry } from './use-invalidate-registry';

// Suspected duplicates, decided by an official: compare the records of one group, keep one and merge
// the others into it, or say they are different people; and undo a merge from wherever it shows.

/** The records of one suspected group side by side, with the two decisions an official can take. */
export function DuplicateGroupPanel({ residentIds, onDone }: { residentIds: readonly number[]; onDone: (message: string) => void }) {
  const { t, label, date } = useI18n();
  const invalidate = useInvalidateRegistry();
  const records = useQueries({
    queries: residentIds.map((id) => ({ queryKey: registryKeys.resident(id), queryFn: () => fetchResident(id) })),
  });
  const loaded = records.flatMap((q) => (q.data ? [q.data] : []));
  const [keep, setKeep] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { target, returnFocusTo } = useReturnFocus<'merge'>();
  const { problems, report, onChange } = useFieldProblems<{ reason?: string[] }>();
  const reasonProblem = problems.reason ?? [];
  // By default the record with a citizen ID is kept (it is the one other lists match), else the oldest.
  const kept = keep ?? (loaded.find((r) => r.citizenId !== null) ?? loaded[0])?.id ?? null;
  const others = loaded.filter((r) => r.id !== kept);
  const keptRecord = loaded.find((r) => r.id === kept);
  const panelId = `dup-${residentIds.join('-')}`;

  const merge = useMutation({
    mutationFn: async () => {
      if (kept === null) return;
      // One merge per record, in order: if one is refused, the ones before it stand and the message says why.
      for (const other of others) await mergeResident(other.id, kept, reason.trim());
    },
    onSuccess: () => {
      invalidate({ mergedAway: others.map((r) => r.id) });
      onDone(t('merge.done', { n: others.length, name: keptRecord?.fullName ?? '', id: kept ?? 0 }));
    },
    onSettled: (_result, error) => {
      // Refused: back on the merge button, beside the message that says why.
      if (error) returnFocusTo('merge');
      setConfirming(false);
    },
  });
  const distinct = useMutation({
    mutationFn: async () => {
      const ids = loaded.map((r) => r.id);
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) await markDistinct(ids[i]!, ids[j]!);
    },
    onSuccess: () => {
      invalidate();
      onDone(t('merge.distinctDone', { n: loaded.length }));
    },
  });

  function askToMerge(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 3) {
      report({ reason: [t('merge.reasonRequired')] });
      return;
    }
    report({});
    setConfirming(true);
  }

  if (records.some((q) => q.isPending)) return <p className="muted small">{t('state.loading')}</p>;
  const failed = records.find((q) => q.isError);

  return (
    <form className="dup-panel" onSubmit={askToMerge} onChange={onChange} aria-labelledby={`${panelId}-title`} noValidate>
      <h3 id={`${panelId}-title`} className="form-title">
        {t('merge.compareTitle')}
      </h3>
      {failed && <FormError error={failed.error} />}
      <fieldset className="dup-records">
        <legend className="sr-only">{t('merge.keepLegend')}</legend>
        {loaded.map((r) => (
          <RecordChoice key={r.id} group={panelId} record={r} kept={r.id === kept} onKeep={() => setKeep(r.id)} labelOf={{ label, date, t }} />
        ))}
      </fieldset>
      {loaded.length > 1 && (
        <>
          <div className="field field-wide">
            <label htmlFor={`${panelId}-reason`}>{t('merge.reason')}</label>
            <textarea
              id={`${panelId}-reason`}
              name="reason"
              rows={2}
              value={reason}
              maxLength={500}
              placeholder={t('merge.reasonPlaceholder')}
              aria-invalid={reasonProblem.length > 0}
              aria-describedby={reasonProblem.length > 0 ? `${panelId}-reason-error` : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            <FieldError id={`${panelId}-reason-error`} messages={reasonProblem} />
          </div>
          {confirming && keptRecord ? (
            <div className="confirm-box" role="alertdialog" aria-labelledby={`${panelId}-confirm`}>
              <p id={`${panelId}-confirm`}>
                {t('merge.confirm', { n: others.length, name: keptRecord.fullName, id: keptRecord.id })}
              </p>
              <div className="btn-row">
                <button type="button" className="btn btn-primary" onClick={() => merge.mutate()} disabled={merge.isPending} autoFocus>
                  {merge.isPending ? t('state.saving') : t('merge.confirmButton')}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() => {
                    returnFocusTo('merge');
                    setConfirming(false);
                  }}
                  disabled={merge.isPending}
                >
                  {t('action.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <div className="btn-row">
              <button type="submit" ref={target('merge')} className="btn btn-primary" disabled={kept === null || distinct.isPending}>
                {t('merge.mergeButton')}
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => distinct.mutate()} disabled={distinct.isPending || merge.isPending}>
                {distinct.isPending ? t('state.saving') : t('merge.distinctButton')}
              </button>
            </div>
          )}
          <FormError error={merge.error ?? distinct.error} />
        </>
      )}
    </form>
  );
}

type Labels = Pick<ReturnType<typeof useI18n>, 'label' | 'date' | 't'>;

function RecordChoice({ group, record, kept, onKeep, labelOf }: { group: string; record: ResidentDetail; kept: boolean; onKeep: () => void; labelOf: Labels }) {
  const { label, date, t } = labelOf;
  return (
    <label className={`dup-record${kept ? ' is-kept' : ''}`}>
      <input type="radio" name={`${group}-keep`} checked={kept} onChange={onKeep} />
      <span className="dup-record-main">
        <span>
          <strong>{record.fullName}</strong> <span className="muted small">#{record.id}</span>
        </span>
        <span className="dup-record-meta muted small">
          <span>{record.birthDate ? date(record.birthDate) : record.birthYear}</span>
          {record.sex && <span>{label('sex', record.sex)}</span>}
          <span>{record.citizenId ? t('merge.citizenId', { id: record.citizenId }) : t('merge.noCitizenId')}</span>
          <span>{label('relation', record.relationToHead)}</span>
          <Link to={`/households/${record.householdId}`}>{t('merge.household', { id: record.householdId })}</Link>
        </span>
      </span>
      <span className={`badge ${kept ? 'badge-info' : 'badge-muted'}`}>{kept ? t('merge.keep') : t('merge.willMerge')}</span>
    </label>
  );
}

/** Merges with who, when and why, and an undo for officials. */
export function MergeList({ merges, canUndo, direction }: { merges: readonly ResidentMergeView[]; canUndo: boolean; direction: 'into' | 'away' | 'both' }) {
  const { t, dateTime } = useI18n();
  const invalidate = useInvalidateRegistry();
  const [confirming, setConfirming] = useState<number | null>(null);
  const { target, returnFocusTo } = useReturnFocus<number>();
  const undo = useMutation({
    mutationFn: (id: number) => undoMerge(id),
    onSuccess: () => invalidate(),
    onSettled: (_result, error, id) => {
      if (error) returnFocusTo(id);
      setConfirming(null);
    },
  });
  if (merges.length === 0) return null;
  return (
    <>
      <ul className="merge-list">
        {merges.map((m) => (
          <li key={m.id} className="merge-item">
            <p className="merge-what">
              {direction === 'into' ? (
                <>
                  {t('merge.intoThis', { name: m.mergedName, id: m.mergedResidentId })}{' '}
                  <Link to={`/households/${m.mergedHouseholdId}`}>{t('merge.household', { id: m.mergedHouseholdId })}</Link>
                </>
              ) : (
                <>
                  {t('merge.awayTo', { name: m.mergedName, id: m.mergedResidentId, kept: m.keptName, keptId: m.keptResidentId })}{' '}
                  <Link to={`/households/${m.keptHouseholdId}`}>{t('merge.household', { id: m.keptHouseholdId })}</Link>
                </>
              )}
              {m.undoneAt && <span className="badge badge-muted">{t('merge.undone')}</span>}
            </p>
            <p className="muted small">
              {t('merge.meta', { who: m.mergedBy ?? '—', at: dateTime(m.mergedAt) })} · {t('merge.reasonShown', { reason: m.reason })}
              {m.movedIdentifiers.length > 0 && ` · ${t('merge.movedId')}`}
            </p>
            {canUndo && !m.undoneAt && (
              confirming === m.id ? (
                <div className="btn-row" role="group" aria-label={t('merge.undoConfirm', { name: m.mergedName })}>
                  <span className="small">{t('merge.undoConfirm', { name: m.mergedName })}</span>
                  <button type="button" className="btn btn-primary btn-sm" onClick={() => undo.mutate(m.id)} disabled={undo.isPending} autoFocus>
                    {undo.isPending ? t('state.saving') : t('merge.undoConfirmButton')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    onClick={() => {
                      returnFocusTo(m.id);
                      setConfirming(null);
                    }}
                    disabled={undo.isPending}
                  >
                    {t('action.cancel')}
                  </button>
                </div>
              ) : (
                <button type="button" ref={target(m.id)} className="btn btn-secondary btn-sm" onClick={() => setConfirming(m.id)}>
                  {t('merge.undoButton')}
                </button>
              )
            )}
          </li>
        ))}
      </ul>
      <FormError error={undo.error} />
    </>
  );
}

/** Pairs marked as two different people, each with a way to withdraw the mark. */
export function DistinctPairList({ pairs }: { pairs: readonly DistinctPairView[] }) {
  const { t, dateTime } = useI18n();
  const invalidate = useInvalidateRegistry();
  const unmark = useMutation({
    mutationFn: (pair: DistinctPairView) => unmarkDistinct(pair.residentIds[0], pair.residentIds[1]),
    onSuccess: () => invalidate(),
  });
  if (pairs.length === 0) return null;
  return (
    <>
      <ul className="merge-list">
        {pairs.map((p) => (
          <li key={p.id} className="merge-item">
            <p className="merge-what">
              {p.residentIds.map((id, i) => (
                <span key={id}>
                  {i > 0 && ' · '}#{id} {p.fullNames[i]} <Link to={`/households/${p.householdIds[i]}`}>{t('merge.household', { id: p.householdIds[i] ?? 0 })}</Link>
                </span>
              ))}
            </p>
            <p className="muted small">{t('merge.distinctMeta', { who: p.markedBy ?? '—', at: dateTime(p.markedAt) })}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => unmark.mutate(p)} disabled={unmark.isPending}>
              {t('merge.unmarkButton')}
            </button>
          </li>
        ))}
      </ul>
      <FormError error={unmark.error} />
    </>
  );
}
