import { Fragment, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReportedValueView } from '@cds/contract';
import { FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { UnitSelect } from '../registry/unit-select';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { formatFigure } from './figure-format';
import { approveReport, fetchPlan, fetchReportHistory, fetchReports, indicatorKeys, returnReport } from './indicators-api';
import { PlanPicker, WithDefaultPlan } from './plan-toolbar';
import { LockIcon, ReportForm, type ReportedIndicator } from './report-form';
import { periodLabel } from './report-rules';

type StatusFilter = '' | ReportedValueView['status'];
const REPORT_STATUSES: readonly ReportedValueView['status'][] = ['draft', 'submitted', 'returned', 'approved'];

/**
 * Figures the registry cannot count (dossiers filed online, cashless bills, app use): unit officials
 * enter and send their unit's, city admins approve or return them. Approved figures count in the
 * dashboard and are locked.
 */
export function ReportedFiguresPage() {
  const [params] = useSearchParams();
  const named = params.get('plan');
  if (named !== null) return <ReportedFigures planId={named} />;
  return <WithDefaultPlan>{(planId) => <ReportedFigures planId={planId} />}</WithDefaultPlan>;
}

function ReportedFigures({ planId }: { planId: string }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const approver = can(me.role, 'approveFigures');
  const [params, setParams] = useSearchParams();
  const ownUnits = me.units;
  // An official works in their own units; the city sees every unit, or one it picks.
  const unit = approver ? (params.get('unit') ?? '') : (ownUnits.find((u) => u.code === params.get('unit'))?.code ?? ownUnits[0]?.code ?? '');
  const status = (params.get('status') ?? (approver ? 'submitted' : '')) as StatusFilter;
  const [editing, setEditing] = useState<{ indicatorId: string; period: string } | null>(null);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const plan = useQuery({ queryKey: indicatorKeys.plan(planId), queryFn: () => fetchPlan(planId), staleTime: 10 * 60_000 });
  const reports = useQuery({
    queryKey: indicatorKeys.reports(planId, unit, status),
    queryFn: () => fetchReports(planId, unit, status),
    enabled: approver || unit !== '',
  });
  // The form needs every status of the unit's figures (to find a locked one), whatever the list shows.
  const unitReports = useQuery({
    queryKey: indicatorKeys.reports(planId, unit, ''),
    queryFn: () => fetchReports(planId, unit, ''),
    enabled: !approver && unit !== '',
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['plans', 'reports'] });
    void queryClient.invalidateQueries({ queryKey: ['plans', 'report-history'] });
    void queryClient.invalidateQueries({ queryKey: ['plans', 'figures'] });
    void queryClient.invalidateQueries({ queryKey: ['plans', 'ranking'] });
  };

  const reported = (plan.data?.indicators ?? []).filter((i): i is ReportedIndicator => i.kind === 'reported');
  const nameOf = (id: string) => plan.data?.indicators.find((i) => i.id === id)?.name ?? id;
  const unitOf = (id: string) => reported.find((i) => i.id === id)?.unit ?? 'percent';

  return (
    <>
      <PageHeader title={t('report.title')} subtitle={t(approver ? 'report.subtitleAdmin' : 'report.subtitleOfficial')} />
      <div className="toolbar">
        <PlanPicker planId={planId} onChange={(id) => setParam('plan', id)} />
        {approver ? (
          <UnitSelect id="report-unit" value={unit} onChange={(code) => setParam('unit', code)} />
        ) : (
          ownUnits.length > 1 && (
            <div className="field field-inline">
              <label htmlFor="report-unit">{t('filter.unit')}</label>
              <select id="report-unit" value={unit} onChange={(e) => setParam('unit', e.target.value)}>
                {ownUnits.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          )
        )}
        <div className="field field-inline">
          <label htmlFor="report-status">{t('report.status')}</label>
          <select id="report-status" value={status} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">{t('filter.all')}</option>
            {REPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`report.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={plan}>
        {() =>
          reported.length === 0 ? (
            <EmptyState>{t('report.noReportedIndicators')}</EmptyState>
          ) : (
            <>
              {!approver &&
                (unit === '' ? (
                  <EmptyState>{t('report.noUnit')}</EmptyState>
                ) : (
                  <ReportForm
                    key={`${planId}-${unit}`}
                    planId={planId}
                    unitCode={unit}
                    indicators={reported}
                    rows={unitReports.data?.items ?? []}
                    start={editing}
                    onSaved={refresh}
                  />
                ))}
              <section className="card table-card report-list-card" aria-labelledby="report-list-title">
                <div className="card-head">
                  <h2 id="report-list-title" className="card-title">
                    {t(approver && status === 'submitted' ? 'report.queueTitle' : 'report.listTitle')}
                  </h2>
                </div>
                {(approver || unit !== '') && (
                  <QueryState query={reports}>
                    {({ items }) =>
                      items.length === 0 ? (
                        <EmptyState>{t(approver && status === 'submitted' ? 'report.queueEmpty' : 'report.listEmpty')}</EmptyState>
                      ) : (
                        <ReportTable
                          items={items}
                          nameOf={nameOf}
                          unitOf={unitOf}
                          approver={approver}
                          onEdit={(row) => {
                            setEditing({ indicatorId: row.indicatorId, period: row.period });
                            window.scrollTo({ top: 0, behavior: 'smooth' });
                          }}
                          onChanged={refresh}
                        />
                      )
                    }
                  </QueryState>
                )}
              </section>
            </>
          )
        }
      </QueryState>
    </>
  );
}

function ReportTable({
  items,
  nameOf,
  unitOf,
  approver,
  onEdit,
  onChanged,
}: {
  items: readonly ReportedValueView[];
  nameOf: (id: string) => string;
  unitOf: (id: string) => 'percent' | 'count';
  approver: boolean;
  onEdit: (row: ReportedValueView) => void;
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const { t, number, dateTime } = i18n;
  const [open, setOpen] = useState<{ id: number; what: 'history' | 'decide' } | null>(null);
  const toggle = (id: number, what: 'history' | 'decide') => setOpen((o) => (o?.id === id && o.what === what ? null : { id, what }));
  return (
    <div className="table-wrap">
      <table className="table report-table">
        <caption className="sr-only">{t('report.listTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.indicator')}</th>
            {approver && <th scope="col">{t('filter.unit')}</th>}
            <th scope="col">{t('report.period')}</th>
            <th scope="col" className="num">
              {t('ranking.colValue')}
            </th>
            <th scope="col">{t('report.status')}</th>
            <th scope="col" className="col-optional">
              {t('report.updated')}
            </th>
            <th scope="col">
              <span className="sr-only">{t('report.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <Fragment key={row.id}>
              <tr className={row.status === 'approved' ? 'is-locked' : undefined}>
                <th scope="row">
                  {nameOf(row.indicatorId)}
                  {row.note && <span className="cell-sub">{row.note}</span>}
                </th>
                {approver && <td>{row.unitName}</td>}
                <td className="nowrap">{periodLabel(t, row.period)}</td>
                <td className="num nowrap">
                  <strong>{formatFigure(i18n, row.value, unitOf(row.indicatorId))}</strong>
                  {row.numerator !== null && row.denominator !== null && (
                    <span className="cell-sub">
                      {number(row.numerator)} / {number(row.denominator)}
                    </span>
                  )}
                </td>
                <td>
                  <span className={`badge report-badge report-status-${row.status}`}>
                    {row.status === 'approved' && <LockIcon />}
                    {t(`report.status.${row.status}`)}
                  </span>
                </td>
                <td className="col-optional small">
                  {dateTime(row.updatedAt)}
                  <span className="cell-sub">{row.updatedBy ?? '—'}</span>
                </td>
                <td className="actions-cell">
                  {!approver && (row.status === 'draft' || row.status === 'returned') && (
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => onEdit(row)}>
                      {t('report.edit')}
                    </button>
                  )}
                  {approver && row.status === 'submitted' && (
                    <button type="button" className="btn btn-primary btn-sm" aria-expanded={open?.id === row.id && open.what === 'decide'} onClick={() => toggle(row.id, 'decide')}>
                      {t('report.decide')}
                    </button>
                  )}
                  <button type="button" className="btn btn-ghost btn-sm" aria-expanded={open?.id === row.id && open.what === 'history'} onClick={() => toggle(row.id, 'history')}>
                    {t('report.history')}
                  </button>
                </td>
              </tr>
              {open?.id === row.id && (
                <tr className="report-detail-row">
                  <td colSpan={approver ? 7 : 6}>
                    {open.what === 'history' ? (
                      <ReportHistory id={row.id} unit={unitOf(row.indicatorId)} />
                    ) : (
                      <DecisionForm
                        row={row}
                        onDone={() => {
                          setOpen(null);
                          onChanged();
                        }}
                      />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The city's decision on a submitted figure: approve it (it then counts, locked) or return it with a reason. */
function DecisionForm({ row, onDone }: { row: ReportedValueView; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ note?: string }>();
  const decide = useMutation({
    mutationFn: (what: 'approve' | 'return') => (what === 'approve' ? approveReport : returnReport)(row.id, { note: note.trim() === '' ? null : note.trim() }),
    onSuccess: onDone,
  });
  const act = (what: 'approve' | 'return') => (e?: FormEvent) => {
    e?.preventDefault();
    // A returned figure goes back to the unit: it needs to know what to fix.
    if (what === 'return' && note.trim().length < 3) {
      report({ note: t('report.err.returnNote') });
      return;
    }
    if (note.trim().length > 1000) {
      report({ note: t('report.err.noteTooLong') });
      return;
    }
    report({});
    decide.mutate(what);
  };
  const noteId = `decide-note-${row.id}`;
  return (
    <form className="decision-form" onSubmit={act('approve')} onChange={onChange} noValidate>
      <div className="field">
        <label htmlFor={noteId}>
          {t('report.decisionNote')} <span className="muted small">{t('report.decisionNoteHint')}</span>
        </label>
        <textarea
          id={noteId}
          name="note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={problems.note !== undefined}
          aria-describedby={problems.note ? `${noteId}-error` : undefined}
        />
        {problems.note && (
          <p className="field-error" id={`${noteId}-error`}>
            {problems.note}
          </p>
        )}
      </div>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary btn-sm" disabled={decide.isPending}>
          {t('report.approve')}
        </button>
        <button type="button" className="btn btn-danger btn-sm" disabled={decide.isPending} onClick={act('return')}>
          {t('report.return')}
        </button>
      </div>
      {decide.isError && <FormError error={decide.error} />}
    </form>
  );
}

function ReportHistory({ id, unit }: { id: number; unit: 'percent' | 'count' }) {
  const i18n = useI18n();
  const { t, number, dateTime } = i18n;
  const history = useQuery({ queryKey: indicatorKeys.history(id), queryFn: () => fetchReportHistory(id) });
  return (
    <QueryState query={history}>
      {(h) =>
        h.events.length === 0 ? (
          <p className="muted small">{t('report.historyEmpty')}</p>
        ) : (
          <ol className="history report-history">
            {h.events.map((e, i) => (
              <li key={`${e.at}-${i}`} className="history-item">
                <div className="history-main">
                  <span className="history-indicator">{t(`report.action.${e.action}`)}</span>
                  <span className="history-value">
                    {formatFigure(i18n, e.value, unit)}
                    {e.numerator !== null && e.denominator !== null && ` (${number(e.numerator)} / ${number(e.denominator)})`}
                  </span>
                </div>
                <div className="history-meta">
                  {e.by ?? '—'} · {dateTime(e.at)}
                </div>
                {e.note && <p className="history-note">{e.note}</p>}
              </li>
            ))}
          </ol>
        )
      }
    </QueryState>
  );
}
