import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FormError } from '../../shared/components/form-error';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { OUTCOME_TONE, StatusChip } from './campaign-ui';
import { closeNeed, fetchNeeds, fetchVisits, fieldKeys, type NeedViewT } from './field-api';
import './campaign.css';

const VISITS_SHOWN = 10;

/** A role the server does not let read visits gets no panel rather than an error box. */
const forbidden = (error: unknown) => error instanceof ApiError && (error.status === 403 || error.status === 404);

/** Visits and needs of one household, below its members on the household page. */
export function HouseholdFieldPanels({ householdId, residents }: { householdId: number; residents: ReadonlyArray<{ id: number; fullName: string }> }) {
  return (
    <div className="two-col" style={{ marginTop: 20 }}>
      <VisitsPanel householdId={householdId} />
      <NeedsPanel householdId={householdId} residents={residents} />
    </div>
  );
}

function VisitsPanel({ householdId }: { householdId: number }) {
  const { t, number, dateTime } = useI18n();
  const visits = useQuery({ queryKey: fieldKeys.visits(householdId), queryFn: () => fetchVisits(householdId) });
  const [shown, setShown] = useState(VISITS_SHOWN);
  if (visits.isError && forbidden(visits.error)) return null;
  const rows = [...(visits.data ?? [])].sort((a, b) => b.visitedAt.localeCompare(a.visitedAt));
  return (
    <section className="card table-card" aria-labelledby="visits-heading">
      <h2 id="visits-heading" className="card-title card-intro">
        {t('visits.title')} {visits.data && <span className="count">{number(rows.length)}</span>}
      </h2>
      {visits.isPending ? (
        <LoadingState />
      ) : visits.isError ? (
        <ErrorState error={visits.error} onRetry={() => void visits.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('visits.empty')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact">
              <caption className="sr-only">{t('visits.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('visits.colDate')}</th>
                  <th scope="col">{t('visits.colOutcome')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, shown).map((v) => (
                  <tr key={v.id}>
                    <td className="nowrap">
                      {dateTime(v.visitedAt)}
                      <span className="cell-sub">{v.by ?? '—'}</span>
                      {v.teamName && <span className="cell-sub">{v.teamName}</span>}
                    </td>
                    <td>
                      <StatusChip prefix="visitOutcome" value={v.outcome} tone={OUTCOME_TONE[v.outcome]} />
                      <span className="cell-sub">
                        {t('visits.counts', {
                          present: number(v.membersPresent),
                          helped: number(v.peopleHelped),
                          actions: number(v.actionsDone),
                          found: number(v.peopleFound),
                        })}
                      </span>
                      {!v.consent && <span className="cell-sub">{t('visits.noConsent')}</span>}
                      {v.note && <span className="cell-sub">{v.note}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length > shown && (
            <div className="load-more">
              <span className="muted">{t('paging.shownMore', { n: number(shown) })}</span>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => setShown((n) => n + VISITS_SHOWN * 3)}>
                {t('paging.more')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function NeedsPanel({ householdId, residents }: { householdId: number; residents: ReadonlyArray<{ id: number; fullName: string }> }) {
  const { t, label, number, date } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayClose = can(me.role, 'recordFacts');
  const needs = useQuery({ queryKey: fieldKeys.needs(householdId), queryFn: () => fetchNeeds(householdId) });
  const [showClosed, setShowClosed] = useState(false);
  const [done, setDone] = useState(false);
  const close = useMutation({
    mutationFn: ({ id, status }: { id: number; status: 'met' | 'cancelled' }) => closeNeed(id, status),
    onSuccess: (next) => {
      setDone(true);
      queryClient.setQueryData<NeedViewT[]>(fieldKeys.needs(householdId), (old) => old?.map((n) => (n.id === next.id ? next : n)));
    },
  });
  if (needs.isError && forbidden(needs.error)) return null;
  const all = [...(needs.data ?? [])].sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open') || b.raisedAt.localeCompare(a.raisedAt));
  const closedCount = all.filter((n) => n.status !== 'open').length;
  const rows = (showClosed ? all : all.filter((n) => n.status === 'open')).slice(0, 50);
  const who = (id: number | null) => (id === null ? t('needs.wholeHousehold') : (residents.find((r) => r.id === id)?.fullName ?? `#${id}`));

  return (
    <section className="card table-card" aria-labelledby="needs-heading">
      <h2 id="needs-heading" className="card-title card-intro">
        {t('needs.title')} {needs.data && <span className="count">{number(all.length - closedCount)}</span>}
      </h2>
      {needs.isPending ? (
        <LoadingState />
      ) : needs.isError ? (
        <ErrorState error={needs.error} onRetry={() => void needs.refetch()} />
      ) : all.length === 0 ? (
        <EmptyState>{t('needs.empty')}</EmptyState>
      ) : (
        <>
          {rows.length > 0 && (
            <div className="table-wrap">
              <table className="table table-compact">
                <caption className="sr-only">{t('needs.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('needs.colKind')}</th>
                    <th scope="col">{t('needs.colStatus')}</th>
                    {mayClose && <th scope="col">
                    <span className="sr-only">{t('needs.met')}</span>
                  </th>}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((n) => (
                    <tr key={n.id}>
                      <td>
                        <strong>{label('needKind', n.kind)}</strong>
                        {n.detail && <span className="cell-sub">{n.detail}</span>}
                        <span className="cell-sub">
                          {who(n.residentId)} · {date(n.raisedAt)}
                        </span>
                      </td>
                      <td>
                        <StatusChip prefix="needStatus" value={n.status} />
                      </td>
                      {mayClose && (
                        <td>
                          {n.status === 'open' && (
                            <span className="btn-row">
                              <button type="button" className="btn btn-secondary btn-sm" disabled={close.isPending} onClick={() => close.mutate({ id: n.id, status: 'met' })}>
                                {t('needs.met')}
                              </button>
                              <button type="button" className="btn btn-ghost btn-sm" disabled={close.isPending} onClick={() => close.mutate({ id: n.id, status: 'cancelled' })}>
                                {t('needs.cancel')}
                              </button>
                            </span>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="card-intro">
            {closedCount > 0 && (
              <label className="check small">
                <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> {t('needs.showClosed', { n: number(closedCount) })}
              </label>
            )}
            {done && <p className="form-success">{t('needs.closed')}</p>}
            <FormError error={close.error} />
          </div>
        </>
      )}
    </section>
  );
}
