import { usePagedList } from '../../shared/api/use-paged-list';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { LoadMore } from '../../shared/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { valueLabelPrefix } from '../registry/indicators';
import { fetchHousehold, registryKeys } from '../registry/registry-api';
import { OUTCOME_TONE, StatusChip } from './campaign-ui';
import { decideRefusal, fetchRefusals, fieldKeys, type RefusalViewT } from './field-api';
import { summarisePayload, type ValuePair } from './payload-summary';

export function RefusalList({ unit, status }: { unit: string; status: string }) {
  const { t } = useI18n();
  const query = usePagedList(fieldKeys.refusals(unit, status), (cursor) => fetchRefusals(unit, status, cursor), { keepPrevious: true });
  const items = query.items;
  if (query.isPending) return <LoadingState />;
  if (query.isError && items.length === 0) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <EmptyState>{t('review.refusalsEmpty')}</EmptyState>;
  return (
    <>
      <ul className="review-list">
        {items.map((r) => (
          <li key={r.id}>
            <RefusalCard refusal={r} />
          </li>
        ))}
      </ul>
      <LoadMore shown={items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
    </>
  );
}

function Values({ pairs }: { pairs: ValuePair[] }) {
  const { label } = useI18n();
  return <>{pairs.map((p) => `${label('indicator', p.indicator)}: ${label(valueLabelPrefix(p.indicator), p.value)}`).join('; ')}</>;
}

/** The visit as sent, in words: household, outcome, who was there and what was recorded or done. */
export function PayloadView({ payload, householdId }: { payload: unknown; householdId: number | null }) {
  const { t, label, dateTime } = useI18n();
  const s = summarisePayload(payload);
  const hh = s.householdId ?? householdId;
  // Names and address from the registry (same read as opening the household, and logged as such): the app sends ids only.
  const household = useQuery({ queryKey: registryKeys.household(hh ?? 0), queryFn: () => fetchHousehold(hh ?? 0), enabled: hh !== null && !s.problem, retry: false });
  const nameOf = (id: number | null) => (id === null ? null : (household.data?.residents.find((r) => r.id === id)?.fullName ?? null));
  if (s.problem) return <p className="payload muted">{t('review.unreadable', { problem: s.problem === 'empty' ? '∅' : 'JSON' })}</p>;
  const actions = (list: string[]) => list.map((a) => label('fieldAction', a)).join(', ');
  return (
    <div className="payload">
      <p>
        <span className="payload-label">{t('review.household')}: </span>
        {hh ? <Link to={`/households/${hh}`}>{household.data?.address ?? `#${hh}`}</Link> : s.newHouseholdAddress ? t('review.newHousehold', { address: s.newHouseholdAddress }) : '—'}
        {s.visitedAt && <span className="muted"> · {t('review.visitedAt', { at: dateTime(s.visitedAt) })}</span>}
      </p>
      <p className="btn-row">
        {s.outcome && <StatusChip prefix="visitOutcome" value={s.outcome} tone={OUTCOME_TONE[s.outcome]} />}
        {s.consent !== null && (
          <span className="small">
            {t('review.consent')}: <strong>{s.consent ? t('review.consentYes') : t('review.consentNo')}</strong>
          </span>
        )}
      </p>
      {s.members.length > 0 && (
        <div>
          <span className="payload-label">{t('review.members')}</span>
          <ul>
            {s.members.map((m, i) => (
              <li key={`${m.residentId ?? 'x'}-${i}`}>
                {nameOf(m.residentId) ?? t('review.memberLine', { id: m.residentId ?? '?' })}
                {m.present !== null && <> ({m.present ? t('review.present') : t('review.absent')})</>}
                {m.observed.length > 0 && (
                  <>
                    {' — '}
                    {t('review.observed')}: <Values pairs={m.observed} />
                  </>
                )}
                {m.actions.length > 0 && (
                  <>
                    {' — '}
                    {t('review.done')}: {actions(m.actions)}
                    {m.trainingTopic && ` (${t('review.topic', { topic: m.trainingTopic })})`}
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.newPeople.length > 0 && (
        <div>
          <span className="payload-label">{t('review.newPeople')}</span>
          <ul>
            {s.newPeople.map((p, i) => (
              <li key={i}>
                {t('review.newPerson', { name: p.fullName, year: p.birthYear ?? '?', relation: p.relationToHead ? label('relation', p.relationToHead) : '—' })}
                {p.observed.length > 0 && (
                  <>
                    {' — '}
                    <Values pairs={p.observed} />
                  </>
                )}
                {p.actions.length > 0 && <> — {actions(p.actions)}</>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.needs.length > 0 && (
        <p>
          <span className="payload-label">{t('review.needs')}: </span>
          {s.needs.map((n) => `${label('needKind', n.kind)}${n.detail ? ` (${n.detail})` : ''}${nameOf(n.residentId) ? ` — ${nameOf(n.residentId)}` : ''}`).join('; ')}
        </p>
      )}
      {s.note && (
        <p>
          <span className="payload-label">{t('review.note')}: </span>
          {s.note}
        </p>
      )}
      {s.handover && (
        <p>
          <span className="payload-label">{t('review.handover')}: </span>
          {t('review.handoverLine', { id: s.handover.allocationId ?? '—', imei: s.handover.imeiLast4 ?? '—' })}
          {s.handover.handedOverAt && <span className="muted"> · {dateTime(s.handover.handedOverAt)}</span>}
          <br />
          {s.handover.confirmation === 'code' ? t('review.handoverByCode') : s.handover.confirmation === 'signature' ? t('review.handoverBySignature') : '—'}
          {' · '}
          {s.handover.hasPhoto ? t('review.handoverPhoto') : t('review.handoverNoPhoto', { note: s.handover.photoSkippedNote ?? '—' })}
          {' · '}
          {t('review.handoverConsent', { answer: s.handover.consentToSponsor ? t('review.consentYes') : t('review.consentNo') })}
        </p>
      )}
      {s.omitted > 0 && <p className="muted small">+{s.omitted}</p>}
    </div>
  );
}

function RefusalCard({ refusal: r }: { refusal: RefusalViewT }) {
  const { t, label, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const { problems, report, changed } = useFieldProblems<{ note?: true }>();
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'dismiss') => decideRefusal(r.id, { decision, note: note.trim() }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['field', 'refusals'] }),
  });
  const submit = (decision: 'accept' | 'dismiss') => {
    const bad = note.trim().length < 3;
    report(bad ? { note: true } : {});
    if (!bad) decide.mutate(decision);
  };
  const noteId = `refusal-note-${r.id}`;
  // A handover needs the recipient's own confirmation: the server takes no "accept" for it.
  const isHandover = summarisePayload(r.payload).handover !== null;

  return (
    <article className="card review-card" aria-labelledby={`refusal-${r.id}`}>
      <div className="review-head">
        <span className="badge chip-bad">{label('refusalReason', r.reasonCode)}</span>
        <h3 id={`refusal-${r.id}`} className="card-title">
          {r.reason}
        </h3>
        {r.status !== 'open' && <StatusChip prefix="review.refusalStatus" value={r.status} />}
      </div>
      <div className="review-meta">
        <span>
          {t('review.sentBy')}: <strong>{r.user?.displayName ?? t('review.unknown')}</strong>
        </span>
        <span>
          {t('review.device')}: {r.deviceLabel ?? t('review.unknown')}
        </span>
        <span>
          {t('review.receivedAt')}: {dateTime(r.receivedAt)}
        </span>
      </div>
      <PayloadView payload={r.payload} householdId={r.householdId} />
      {r.status === 'open' ? (
        <div className="form-stack" style={{ gap: 8 }}>
          <div className="field">
            <label htmlFor={noteId}>{t('review.decisionNote')}</label>
            <textarea
              id={noteId}
              rows={2}
              maxLength={500}
              value={note}
              placeholder={t('review.decisionNotePlaceholder')}
              onChange={(e) => {
                setNote(e.target.value);
                // No <form> around these controls hears the change for it.
                changed('note');
              }}
              aria-invalid={problems.note}
              aria-describedby={problems.note ? `${noteId}-error` : `${noteId}-hint`}
            />
            <FieldError id={`${noteId}-error`} messages={problems.note ? [t('review.noteRequired')] : []} />
            <p id={`${noteId}-hint`} className="hint">
              {isHandover ? t('review.handoverOnlyDismiss') : t('review.acceptHint')}
            </p>
          </div>
          <div className="btn-row">
            {!isHandover && (
              <button type="button" className="btn btn-primary btn-sm" disabled={decide.isPending} onClick={() => submit('accept')}>
                {t('review.accept')}
              </button>
            )}
            <button type="button" className="btn btn-secondary btn-sm" disabled={decide.isPending} onClick={() => submit('dismiss')}>
              {t('review.dismiss')}
            </button>
          </div>
          <FormError error={decide.error} />
        </div>
      ) : (
        <p className="small">
          {r.resolutionNote && t('review.decidedNote', { note: r.resolutionNote })}
          {r.visitId && r.householdId && (
            <>
              {' '}
              <Link to={`/households/${r.householdId}`}>{t('review.openVisit')}</Link>
            </>
          )}
        </p>
      )}
    </article>
  );
}
