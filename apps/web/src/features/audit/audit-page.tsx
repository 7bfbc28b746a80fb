import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEntry } from '@cds/contract';
import { FieldError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES, auditFieldLabel, auditKey, fetchAudit, type AuditFilters } from './audit-api';
import { DayInput } from '../../shared/components/day-input';

const FILTER_KEYS: readonly (keyof AuditFilters)[] = ['actor', 'action', 'recordType', 'recordId', 'from', 'to'];

function filtersFrom(params: URLSearchParams): AuditFilters {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    recordType: params.get('recordType') ?? '',
    recordId: params.get('recordId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** Who saw or changed which personal record, and when: filters in the address bar, pages by cursor. */
export function AuditPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const applied = filtersFrom(params);
  const [draft, setDraft] = useState<AuditFilters>(applied);
  const [resets, setResets] = useState(0);
  const { problems, report, onChange, changed } = useFieldProblems<Partial<Record<keyof AuditFilters, string>>>();
  // The cursors of the pages before this one, so "previous" needs no backwards paging on the server.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const log = useQuery({
    queryKey: auditKey(applied, cursor),
    queryFn: () => fetchAudit(applied, cursor),
    placeholderData: keepPreviousData,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Partial<Record<keyof AuditFilters, string>> = {};
    if (draft.recordId && !/^\d+$/.test(draft.recordId.trim())) found.recordId = t('audit.recordIdInvalid');
    if (draft.from && draft.to && draft.from > draft.to) found.to = t('audit.rangeInvalid');
    report(found);
    if (Object.keys(found).length > 0) return;
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = draft[key].trim();
      if (value) next.set(key, value);
    }
    setCursors([undefined]);
    setParams(next);
  }

  function reset() {
    const empty = filtersFrom(new URLSearchParams());
    setDraft(empty);
    // The day fields are made anew: text that named no day left their value empty already,
    // so setting it empty again would not clear it.
    setResets((n) => n + 1);
    report({});
    setCursors([undefined]);
    setParams(new URLSearchParams());
  }

  const setValue = (key: keyof AuditFilters) => (value: string) => {
    setDraft({ ...draft, [key]: value });
    // The range's message stands under "to" but is about both dates.
    if (key === 'from') changed('to', (message) => message === t('audit.rangeInvalid'));
  };
  const set = (key: keyof AuditFilters) => (e: { target: { value: string } }) => setValue(key)(e.target.value);

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <form className="card filter-form" onSubmit={submit} onChange={onChange} noValidate aria-label={t('audit.filters')}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="audit-actor">{t('audit.actor')}</label>
            <input id="audit-actor" value={draft.actor} onChange={set('actor')} autoCapitalize="none" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="audit-action">{t('audit.action')}</label>
            <AuditSelect id="audit-action" value={draft.action} onChange={set('action')} options={AUDIT_ACTIONS} prefix="auditAction" />
          </div>
          <div className="field">
            <label htmlFor="audit-type">{t('audit.recordType')}</label>
            <AuditSelect id="audit-type" value={draft.recordType} onChange={set('recordType')} options={AUDIT_RECORD_TYPES} prefix="recordType" />
          </div>
          <div className="field">
            <label htmlFor="audit-record">{t('audit.recordId')}</label>
            <input
              id="audit-record"
              name="recordId"
              inputMode="numeric"
              value={draft.recordId}
              onChange={set('recordId')}
              aria-invalid={Boolean(problems.recordId)}
              aria-describedby={problems.recordId ? 'audit-record-error' : undefined}
            />
            <FieldError id="audit-record-error" messages={problems.recordId ? [problems.recordId] : []} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t('audit.from')}</label>
            <DayInput key={`from-${resets}`} id="audit-from" value={draft.from} onValueChange={setValue('from')} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t('audit.to')}</label>
            <DayInput
              key={`to-${resets}`}
              id="audit-to"
              name="to"
              value={draft.to}
              onValueChange={setValue('to')}
              aria-invalid={Boolean(problems.to)}
              aria-describedby={problems.to ? 'audit-to-error' : undefined}
            />
            <FieldError id="audit-to-error" messages={problems.to ? [problems.to] : []} />
          </div>
        </div>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary">
            {t('action.filter')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={reset}>
            {t('action.clearFilters')}
          </button>
        </div>
      </form>
      <QueryState query={log}>
        {({ items, next }) => (
          <section className="card table-card" aria-label={t('audit.results')}>
            {items.length === 0 ? (
              <EmptyState>{t('audit.empty')}</EmptyState>
            ) : (
              <div className="table-wrap">
                <AuditTable items={items} />
              </div>
            )}
            <div className="pager">
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={cursors.length <= 1 || log.isFetching}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                ← {t('paging.previous')}
              </button>
              <span className="muted small">{t('paging.page', { n: cursors.length })}</span>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={!next || log.isFetching}
                onClick={() => next && setCursors([...cursors, next])}
              >
                {t('paging.next')} →
              </button>
            </div>
          </section>
        )}
      </QueryState>
    </>
  );
}

function AuditSelect({
  id,
  value,
  onChange,
  options,
  prefix,
}: {
  id: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  options: readonly string[];
  prefix: string;
}) {
  const { t, label } = useI18n();
  return (
    <select id={id} value={value} onChange={onChange}>
      <option value="">{t('filter.all')}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {label(prefix, o)}
        </option>
      ))}
    </select>
  );
}

function AuditTable({ items }: { items: readonly AuditEntry[] }) {
  const { t, label, dateTime } = useI18n();
  const fieldLabel = (f: string) => auditFieldLabel(f, label, t);
  return (
    <table className="table table-compact audit-table">
      <caption className="sr-only">{t('audit.results')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.at')}</th>
          <th scope="col">{t('audit.actor')}</th>
          <th scope="col">{t('audit.action')}</th>
          <th scope="col">{t('audit.records')}</th>
          <th scope="col" className="col-optional">
            {t('audit.fields')}
          </th>
          <th scope="col" className="col-optional">
            {t('audit.units')}
          </th>
          <th scope="col" className="col-optional">
            IP
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td className="nowrap">{dateTime(e.at)}</td>
            <td>
              {e.actorUsername ?? <span className="muted">{t('audit.anonymous')}</span>}
              {e.actorRole && <span className="cell-sub">{label('role', e.actorRole)}</span>}
            </td>
            <td>
              <span className={`badge badge-action-${e.action}`}>{label('auditAction', e.action)}</span>
            </td>
            <td>
              {e.recordType && <span>{label('recordType', e.recordType)}</span>}
              {e.recordIds.length > 0 && (
                <span className="cell-sub" title={e.recordIds.join(', ')}>
                  <span className="mono">{e.recordIds.slice(0, 4).map((id) => `#${id}`).join(' ')}</span>
                  {/* Outside the monospace font: it has no precomposed Vietnamese letters. */}
                  {e.recordIds.length > 4 ? ` ${t('audit.more', { n: e.recordIds.length - 4 })}` : ''}
                </span>
              )}
            </td>
            <td className="col-optional">{e.fields.length > 0 ? e.fields.map((f) => fieldLabel(f)).join(', ') : '—'}</td>
            <td className="col-optional mono">{e.unitCodes.length > 0 ? e.unitCodes.slice(0, 3).join(', ') + (e.unitCodes.length > 3 ? '…' : '') : '—'}</td>
            <td className="col-optional mono small">{e.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
