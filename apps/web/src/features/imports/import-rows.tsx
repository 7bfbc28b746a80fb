import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { unitsIn } from './import-fields';
import { importKeys, resolveRow, retryRow, type ImportRowView, type ResolveInput } from './imports-api';

function Reasons({ reasons }: { reasons: readonly string[] }) {
  const { t } = useI18n();
  if (reasons.length === 0) return null;
  return (
    <div className="row-reasons">
      <h4 className="sr-only">{t('rows.reasons')}</h4>
      <ul>
        {reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

/** The row's cells, each under its header from the file. */
function Cells({ row }: { row: ImportRowView }) {
  const { t } = useI18n();
  if (!row.cells) return <p className="hint">{t('rows.noCells')}</p>;
  return (
    <dl className="row-cells" aria-label={t('rows.cells')}>
      {row.headers.map((h, i) => (
        <div key={i} className="row-cell">
          <dt>{h.trim() || t('mapping.noHeader', { n: i + 1 })}</dt>
          <dd>{row.cells?.[i]?.trim() ? row.cells[i] : <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

function RowHead({ row, outcome }: { row: ImportRowView; outcome: ImportRowView | null }) {
  const { t, label } = useI18n();
  return (
    <div className="row-card-head">
      <h3 className="row-title">{t('rows.record', { n: row.record })}</h3>
      {outcome ? (
        <span className={`badge row-status-${outcome.status}`} role="status">
          {t('rows.outcome', { status: label('rowStatus', outcome.status) })}
        </span>
      ) : (
        row.resolved && (
          <span className="badge badge-muted">
            {t(row.status === 'rejected' ? 'rows.retried' : row.status === 'review' ? 'rows.followUp' : 'rows.resolved')}
          </span>
        )
      )}
    </div>
  );
}

/** After a decision or a retry the counts change; the row itself stays where it is, showing its outcome. */
function useRowAction<V>(batchId: number, run: (v: V) => Promise<ImportRowView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: importKeys.batch(batchId) });
      void queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

/** A row held for a person: maybe someone already in the register, or an address naming two units. */
export function ReviewRow({ row }: { row: ImportRowView }) {
  const { t, label } = useI18n();
  const me = useMe();
  const [outcome, setOutcome] = useState<ImportRowView | null>(null);
  // A decision may leave the row for review again (a unit chosen, now a possible duplicate there).
  const current = outcome ?? row;
  const units = unitsIn(current.status === 'review' ? current.reasons : []);
  const [unit, setUnit] = useState('');
  const chosenUnit = units.some((u) => u.code === unit) ? unit : (units[0]?.code ?? '');
  const action = useRowAction(row.batchId, (body: ResolveInput) => resolveRow(row.batchId, row.record, body));
  const decide = (body: ResolveInput) => action.mutate(body, { onSuccess: setOutcome });
  const done = current.status !== 'review';
  const unitName = (code: string, named: string | null) => named ?? me.units.find((u) => u.code === code)?.name;

  return (
    <li className={`card row-card row-card-review${done ? ` is-done is-${current.status}` : ''}`}>
      <RowHead row={row} outcome={outcome} />
      <Reasons reasons={current.reasons} />
      <Cells row={current.cells ? current : row} />
      {!done && current.candidates.length > 0 && (
        <div className="candidates">
          <h4 className="form-title">{t('rows.candidates')}</h4>
          <ul>
            {current.candidates.map((c) => (
              <li key={c.id} className="candidate">
                <div className="candidate-text">
                  <strong>{c.fullName}</strong>
                  <span className="cell-sub">
                    {c.birthYear !== null && <>{t('rows.candidateBorn', { year: c.birthYear })} · </>}
                    {t('rows.candidateUnit', { code: c.unitCode })}
                    {c.citizenId && (
                      <>
                        {' · '}
                        <span className="mono">{c.citizenId}</span>
                      </>
                    )}
                    {' · '}
                    {t('rows.resident', { id: c.id })}
                  </span>
                </div>
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  disabled={action.isPending}
                  onClick={() => decide({ decision: 'same_person', residentId: c.id })}
                >
                  {t('rows.samePerson')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!done && (
        <div className="row-decisions" role="group" aria-label={t('rows.decisions')}>
          {units.length > 0 && (
            <div className="unit-choice">
              <div className="field field-inline">
                <label htmlFor={`unit-${row.record}`}>{t('rows.unitChoose')}</label>
                <select id={`unit-${row.record}`} value={chosenUnit} onChange={(e) => setUnit(e.target.value)}>
                  {units.map(({ code, name }) => (
                    <option key={code} value={code}>
                      {unitName(code, name) ? `${unitName(code, name)} (${code})` : code}
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={action.isPending || !chosenUnit}
                onClick={() => decide({ decision: 'unit', unitCode: chosenUnit })}
              >
                {t('rows.unitApply')}
              </button>
            </div>
          )}
          <div className="btn-row">
            {current.candidates.length > 0 && (
              <button type="button" className="btn btn-secondary btn-sm" disabled={action.isPending} onClick={() => decide({ decision: 'new_person' })}>
                {t('rows.newPerson')}
              </button>
            )}
            <button type="button" className="btn btn-ghost btn-sm btn-discard" disabled={action.isPending} onClick={() => decide({ decision: 'discard' })}>
              {t('rows.discard')}
            </button>
            {action.isPending && <span className="hint">{t('rows.working')}</span>}
          </div>
        </div>
      )}
      {done && (
        <p className="small muted">
          {label('rowStatus', current.status)}
          {current.residentId !== null && ` · ${t('rows.resident', { id: current.residentId })}`}
          {current.unitCode && ` · ${t('rows.unit', { code: current.unitCode })}`}
        </p>
      )}
      <FormError error={action.error} />
    </li>
  );
}

/** A rejected row, editable in place: the corrected cells are evaluated again as if read from the file. */
export function RejectedRow({ row }: { row: ImportRowView }) {
  const { t, label } = useI18n();
  const [cells, setCells] = useState<string[]>(() => row.headers.map((_, i) => row.cells?.[i] ?? ''));
  const [outcome, setOutcome] = useState<ImportRowView | null>(null);
  const action = useRowAction(row.batchId, (values: string[]) => retryRow(row.batchId, row.record, values));
  const applied = outcome !== null && outcome.status !== 'rejected';
  const reasons = outcome ? outcome.reasons : row.reasons;

  function submit(e: FormEvent) {
    e.preventDefault();
    action.mutate(cells, { onSuccess: setOutcome });
  }

  return (
    <li className={`card row-card row-card-rejected${applied ? ' is-fixed' : ''}`}>
      <RowHead row={row} outcome={outcome} />
      <Reasons reasons={reasons} />
      {applied ? (
        <p className="form-success">
          {label('rowStatus', outcome.status)}
          {outcome.residentId !== null && ` · ${t('rows.resident', { id: outcome.residentId })}`}
          {outcome.unitCode && ` · ${t('rows.unit', { code: outcome.unitCode })}`}
        </p>
      ) : row.cells === null ? (
        <p className="hint">{t('rows.noCells')}</p>
      ) : (
        <form className="retry-form" onSubmit={submit} noValidate>
          <div className="cell-inputs">
            {row.headers.map((h, i) => {
              const id = `cell-${row.record}-${i}`;
              return (
                <div key={i} className="field">
                  <label htmlFor={id}>{h.trim() || t('mapping.noHeader', { n: i + 1 })}</label>
                  <input
                    id={id}
                    value={cells[i] ?? ''}
                    maxLength={500}
                    onChange={(e) => {
                      const next = [...cells];
                      next[i] = e.target.value;
                      setCells(next);
                    }}
                  />
                </div>
              );
            })}
          </div>
          <div className="btn-row">
            <button type="submit" className="btn btn-primary btn-sm" disabled={action.isPending}>
              {action.isPending ? t('rows.retrying') : t('rows.retry')}
            </button>
          </div>
        </form>
      )}
      <FormError error={action.error} />
    </li>
  );
}

/** Applied and skipped rows: read only. */
export function AppliedRows({ rows }: { rows: readonly ImportRowView[] }) {
  const { t, number } = useI18n();
  return (
    <div className="card table-card">
      <div className="table-wrap">
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">{t('rows.colRecord')}</th>
              <th scope="col">{t('rows.colResult')}</th>
              <th scope="col">{t('rows.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.record}>
                <td className="nowrap">{number(r.record)}</td>
                <td>
                  {r.residentId !== null ? t('rows.resident', { id: r.residentId }) : '—'}
                  {r.unitCode && <span className="cell-sub">{t('rows.unit', { code: r.unitCode })}</span>}
                </td>
                <td>{r.reasons.length > 0 ? r.reasons.join('; ') : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
