import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Neighbourhood } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { EmptyState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { foldVietnamese } from '../../shared/text-fold';
import { createNeighbourhood, mergeNeighbourhood, renameNeighbourhood } from './units-api';

type NameProblems = { name?: string[] };

type Editing = { kind: 'rename'; id: number } | { kind: 'merge'; id: number } | null;

const NAME_MAX = 100;

/**
 * Checks a name as the server will (the contract's NeighbourhoodCreateBody: 1 to 100 characters once
 * trimmed; no second live neighbourhood with the same name without diacritics). The rule is mirrored
 * here rather than imported, which keeps zod out of the phone bundle; the server still has the last word.
 */
function useNameCheck(live: readonly Neighbourhood[]) {
  const { t } = useI18n();
  return (name: string, exceptId?: number): string[] => {
    const trimmed = name.trim();
    if (trimmed.length === 0) return [t('nb.nameEmpty')];
    if (trimmed.length > NAME_MAX) return [t('nb.nameTooLong', { n: NAME_MAX })];
    const folded = foldVietnamese(trimmed);
    if (live.some((n) => n.id !== exceptId && foldVietnamese(n.name) === folded)) return [t('nb.duplicate')];
    return [];
  };
}

export function NeighbourhoodsPanel({
  unitCode,
  neighbourhoods,
  canEdit,
}: {
  unitCode: string;
  neighbourhoods: readonly Neighbourhood[];
  canEdit: boolean;
}) {
  const { t, number } = useI18n();
  const [editing, setEditing] = useState<Editing>(null);
  // "Khu phố 2" before "Khu phố 10", as people number them.
  const live = neighbourhoods
    .filter((n) => n.mergedInto === null)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));
  const merged = neighbourhoods.filter((n) => n.mergedInto !== null);
  const nameOf = (id: number | null) => neighbourhoods.find((n) => n.id === id)?.name ?? `#${id}`;

  return (
    <section className="card" aria-labelledby="nb-heading">
      <div className="card-head">
        <h2 id="nb-heading" className="card-title">
          {t('nb.title')} <span className="count">{number(live.length)}</span>
        </h2>
      </div>
      {canEdit && <AddNeighbourhoodForm unitCode={unitCode} live={live} />}
      {live.length === 0 ? (
        <EmptyState>{canEdit ? t('nb.emptyEditable') : t('nb.empty')}</EmptyState>
      ) : (
        <ul className="nb-list">
          {live.map((n) => (
            <li key={n.id} className="nb-item">
              {editing?.id === n.id && editing.kind === 'rename' ? (
                <RenameForm neighbourhood={n} live={live} onDone={() => setEditing(null)} />
              ) : editing?.id === n.id && editing.kind === 'merge' ? (
                <MergeForm neighbourhood={n} live={live} onDone={() => setEditing(null)} />
              ) : (
                <div className="nb-row">
                  <span className="nb-name">{n.name}</span>
                  <span className="muted small">{t('nb.households', { n: number(n.households) })}</span>
                  {canEdit && (
                    <span className="nb-actions">
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ kind: 'rename', id: n.id })}>
                        {t('nb.rename')}
                        <span className="sr-only"> {n.name}</span>
                      </button>
                      {live.length > 1 && (
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ kind: 'merge', id: n.id })}>
                          {t('nb.merge')}
                          <span className="sr-only"> {n.name}</span>
                        </button>
                      )}
                    </span>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {merged.length > 0 && (
        <details className="merged-list">
          <summary>{t('nb.mergedTitle', { n: number(merged.length) })}</summary>
          <ul>
            {merged.map((n) => (
              <li key={n.id}>
                <span className="strike">{n.name}</span> → {nameOf(n.mergedInto)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** After a neighbourhood changes, the unit's counts, its neighbourhoods and its households' labels are stale. */
function useRefreshUnit() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['units'] });
    void queryClient.invalidateQueries({ queryKey: ['households'] });
  };
}

function AddNeighbourhoodForm({ unitCode, live }: { unitCode: string; live: readonly Neighbourhood[] }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const { problems, report, onChange, isChanged } = useFieldProblems<NameProblems>();
  const [added, setAdded] = useState<string | null>(null);
  const check = useNameCheck(live);
  const refresh = useRefreshUnit();
  const mutation = useMutation({
    mutationFn: (value: string) => createNeighbourhood(unitCode, value),
    onSuccess: (created) => {
      setName('');
      setAdded(created.name);
      refresh();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setAdded(null);
    const found = check(name);
    report(found.length > 0 ? { name: found } : {});
    if (found.length === 0) mutation.mutate(name.trim());
  }

  const serverIssues = mutation.error instanceof ApiError ? mutation.error.issuesFor('name') : [];
  const fieldProblems = [...(problems.name ?? []), ...(isChanged('name') ? [] : serverIssues)];
  return (
    <form className="inline-form" onSubmit={submit} onChange={onChange} noValidate>
      <div className="field grow">
        <label htmlFor="nb-new">{t('nb.addLabel')}</label>
        <input
          id="nb-new"
          name="name"
          value={name}
          maxLength={120}
          placeholder={t('nb.addPlaceholder')}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={fieldProblems.length > 0}
          aria-describedby={fieldProblems.length > 0 ? 'nb-new-error' : undefined}
        />
        <FieldError id="nb-new-error" messages={fieldProblems} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
        {mutation.isPending ? t('state.saving') : t('nb.add')}
      </button>
      {mutation.isError && serverIssues.length === 0 && <FormError error={mutation.error} />}
      {added && (
        <p className="form-success" role="status">
          {t('nb.added', { name: added })}
        </p>
      )}
    </form>
  );
}

function RenameForm({
  neighbourhood,
  live,
  onDone,
}: {
  neighbourhood: Neighbourhood;
  live: readonly Neighbourhood[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(neighbourhood.name);
  const { problems, report, onChange, isChanged } = useFieldProblems<NameProblems>();
  const check = useNameCheck(live);
  const refresh = useRefreshUnit();
  const mutation = useMutation({
    mutationFn: (value: string) => renameNeighbourhood(neighbourhood.id, value),
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  const inputId = `nb-rename-${neighbourhood.id}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim() === neighbourhood.name) return onDone();
    const found = check(name, neighbourhood.id);
    report(found.length > 0 ? { name: found } : {});
    if (found.length === 0) mutation.mutate(name.trim());
  }

  const serverIssues = mutation.error instanceof ApiError ? mutation.error.issuesFor('name') : [];
  const fieldProblems = [...(problems.name ?? []), ...(isChanged('name') ? [] : serverIssues)];
  return (
    <form className="inline-form" onSubmit={submit} onChange={onChange} noValidate>
      <div className="field grow">
        <label htmlFor={inputId}>{t('nb.renameLabel', { name: neighbourhood.name })}</label>
        <input
          id={inputId}
          name="name"
          value={name}
          autoFocus
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={fieldProblems.length > 0}
          aria-describedby={fieldProblems.length > 0 ? `${inputId}-error` : undefined}
        />
        <FieldError id={`${inputId}-error`} messages={fieldProblems} />
      </div>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? t('state.saving') : t('action.save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          {t('action.cancel')}
        </button>
      </div>
      {mutation.isError && serverIssues.length === 0 && <FormError error={mutation.error} />}
    </form>
  );
}

function MergeForm({
  neighbourhood,
  live,
  onDone,
}: {
  neighbourhood: Neighbourhood;
  live: readonly Neighbourhood[];
  onDone: () => void;
}) {
  const { t, number } = useI18n();
  const targets = live.filter((n) => n.id !== neighbourhood.id);
  const [intoId, setIntoId] = useState<string>('');
  const { problems, report, onChange } = useFieldProblems<{ into?: string }>();
  const refresh = useRefreshUnit();
  const mutation = useMutation({
    mutationFn: (target: number) => mergeNeighbourhood(neighbourhood.id, target),
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  const selectId = `nb-merge-${neighbourhood.id}`;
  const target = targets.find((n) => String(n.id) === intoId);

  function submit(e: FormEvent) {
    e.preventDefault();
    report(target ? {} : { into: t('nb.mergeChoose') });
    if (target) mutation.mutate(target.id);
  }

  return (
    <form className="inline-form" onSubmit={submit} onChange={onChange} noValidate>
      <div className="field grow">
        <label htmlFor={selectId}>{t('nb.mergeLabel', { name: neighbourhood.name })}</label>
        <select
          id={selectId}
          name="into"
          value={intoId}
          onChange={(e) => setIntoId(e.target.value)}
          aria-invalid={Boolean(problems.into)}
          aria-describedby={problems.into ? `${selectId}-error` : `${selectId}-hint`}
        >
          <option value="">{t('nb.mergeChooseOption')}</option>
          {targets.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
        <FieldError id={`${selectId}-error`} messages={problems.into ? [problems.into] : []} />
        {target && (
          <p className="hint" id={`${selectId}-hint`}>
            {t('nb.mergeHint', { from: neighbourhood.name, into: target.name, n: number(neighbourhood.households) })}
          </p>
        )}
      </div>
      <div className="btn-row">
        <button type="submit" className="btn btn-danger" disabled={mutation.isPending}>
          {mutation.isPending ? t('state.saving') : t('nb.mergeConfirm')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          {t('action.cancel')}
        </button>
      </div>
      {mutation.isError && <FormError error={mutation.error} />}
    </form>
  );
}
