import { usePagedList } from '../../shared/api/use-paged-list';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FieldError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchResidents, registryKeys } from './registry-api';
import { UnitSelect } from './unit-select';

const MIN_QUERY = 2;

/**
 * Finds people by name (typed with or without diacritics) or the last digits of a citizen ID.
 * A search runs only on submit: every search is written to the access log, so none is sent per keystroke.
 */
export function ResidentSearchPage() {
  const { t, label } = useI18n();
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit') ?? '';
  const q = (params.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  const { problems, report, onChange } = useFieldProblems<{ q?: string }>();
  useEffect(() => setText(q), [q]);

  const enabled = q.length >= MIN_QUERY;
  const results = usePagedList(registryKeys.residents(unit, q), (cursor) => fetchResidents(unit, q, cursor), { enabled });
  const items = results.items;

  function submit(e: FormEvent) {
    e.preventDefault();
    const value = text.trim();
    if (value.length < MIN_QUERY) {
      report({ q: t('search.tooShort', { n: MIN_QUERY }) });
      return;
    }
    report({});
    const next = new URLSearchParams();
    if (unit) next.set('unit', unit);
    next.set('q', value);
    setParams(next);
  }

  function changeUnit(code: string) {
    const next = new URLSearchParams();
    if (code) next.set('unit', code);
    if (q) next.set('q', q);
    setParams(next);
  }

  return (
    <>
      <PageHeader title={t('search.title')} subtitle={t('search.subtitle')} />
      <form className="card search-form" onSubmit={submit} onChange={onChange} noValidate role="search">
        <UnitSelect id="search-unit" value={unit} onChange={changeUnit} />
        <div className="field field-inline grow">
          <label htmlFor="search-q">{t('search.label')}</label>
          <input
            id="search-q"
            name="q"
            type="search"
            value={text}
            placeholder={t('search.placeholder')}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={problems.q !== undefined}
            aria-describedby={problems.q ? 'search-q-error' : 'search-q-hint'}
          />
          <FieldError id="search-q-error" messages={problems.q ? [problems.q] : []} />
          {!problems.q && (
            <p className="hint" id="search-q-hint">
              {t('search.hint')}
            </p>
          )}
        </div>
        <button type="submit" className="btn btn-primary search-submit">
          {t('search.submit')}
        </button>
      </form>

      {problems.q ? null : !enabled ? (
        // A query too short to send answers nothing; the last search's results would read as its answer.
        <EmptyState>{t('search.start')}</EmptyState>
      ) : results.isPending ? (
        <LoadingState />
      ) : results.isError && items.length === 0 ? (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{t('search.empty', { q })}</EmptyState>
      ) : (
        <section className="card table-card" aria-label={t('search.results')}>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('search.results')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('search.colName')}</th>
                  <th scope="col">{t('search.colBirthYear')}</th>
                  <th scope="col" className="col-optional">
                    {t('search.colRelation')}
                  </th>
                  <th scope="col">{t('resident.citizenId')}</th>
                  <th scope="col" className="col-optional">
                    {t('search.colAddress')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/households/${r.householdId}`}>{r.fullName}</Link>
                      {r.status !== 'living' && <span className="cell-sub">{label('residentStatus', r.status)}</span>}
                    </th>
                    <td>{r.birthYear}</td>
                    <td className="col-optional">{label('relation', r.relationToHead)}</td>
                    <td className="mono">{r.citizenId ?? '—'}</td>
                    <td className="col-optional">
                      {r.address}
                      <span className="cell-sub">{r.unitName}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {results.isError && <ErrorState error={results.error} onRetry={() => void results.fetchNextPage()} />}
          <LoadMore
            shown={items.length}
            hasMore={results.hasNextPage}
            loading={results.isFetchingNextPage}
            onMore={() => void results.fetchNextPage()}
          />
        </section>
      )}
    </>
  );
}
