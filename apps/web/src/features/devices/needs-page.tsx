import { usePagedList } from '../../shared/api/use-paged-list';
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { SortHeader, type SortState } from '../../shared/components/sort-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { PovertyBadge } from '../registry/poverty-badge';
import { useMe } from '../access/session-context';
import { UnitSelect } from '../registry/unit-select';
import { fetchNeighbourhoods, unitKeys } from '../units/units-api';
import { allocate, deviceKeys, fetchNeeds, fetchStock, type DeviceNeed, type NeedFilters } from './devices-api';
import { AllocationChip, DeviceTabs, lotName, ScoreReasons, ReportLink } from './device-ui';
import { PriorityRulesSection } from './priority-rules';

type Col = 'address' | 'score';
const firstDirection = (col: Col): 'asc' | 'desc' => (col === 'address' ? 'asc' : 'desc');

function sortNeeds(rows: readonly DeviceNeed[], sort: SortState<Col>): DeviceNeed[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) =>
    sort.col === 'score'
      ? sign * (a.score - b.score) || a.address.localeCompare(b.address, 'vi', { numeric: true })
      : sign * a.address.localeCompare(b.address, 'vi', { numeric: true }),
  );
}

/** Who needs a device: households of the reader's area by priority, with the reasons, and allocation. */
export function DeviceNeedsPage() {
  const { t, number } = useI18n();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const neighbourhood = Number(params.get('nb')) > 0 ? Number(params.get('nb')) : undefined;
  const filters: NeedFilters = {
    unit: unit || undefined,
    neighbourhood: unit ? neighbourhood : undefined,
    unallocated: params.get('all') !== '1',
    poorOnly: params.get('poor') === '1',
  };
  const [sort, setSort] = useState<SortState<Col>>({ col: 'score', dir: 'desc' });
  const [open, setOpen] = useState<number | null>(null);
  const [done, setDone] = useState('');
  const neighbourhoods = useQuery({
    queryKey: unitKeys.neighbourhoods(unit),
    queryFn: () => fetchNeighbourhoods(unit),
    enabled: unit !== '',
    staleTime: 5 * 60_000,
  });
  // City-wide readers choose a unit first: the city's whole list is not one page (the server
  // refuses it), and an error box is no way to say "choose a unit".
  const me = useMe();
  const mustChooseUnit = unit === '' && me.units.length === 0;
  const query = usePagedList(deviceKeys.needs(filters), (cursor) => fetchNeeds(filters, cursor), { keepPrevious: true, enabled: !mustChooseUnit });
  const items = useMemo(() => sortNeeds(query.items, sort), [query.items, sort]);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
    setOpen(null);
  };

  return (
    <div className="device-page">
      <PageHeader
        title={t('dsNeeds.title')}
        subtitle={t('dsNeeds.subtitle')}
        actions={
          <ReportLink unit={unit} />
        }
      />
      <DeviceTabs />
      <PriorityRulesSection />
      <div className="toolbar">
        <UnitSelect id="needs-unit" value={unit} onChange={(code) => set({ unit: code, nb: '' })} />
        {unit && (
          <div className="field field-inline">
            <label htmlFor="needs-nb">{t('households.filterNeighbourhood')}</label>
            <select id="needs-nb" value={neighbourhood ?? ''} onChange={(e) => set({ nb: e.target.value })} disabled={neighbourhoods.isPending}>
              <option value="">{t('households.allNeighbourhoods')}</option>
              {neighbourhoods.data?.items.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="segmented" role="group" aria-label={t('dsNeeds.show')}>
          <button type="button" className="segmented-button" aria-pressed={filters.unallocated} onClick={() => set({ all: '' })}>
            {t('dsNeeds.unallocated')}
          </button>
          <button type="button" className="segmented-button" aria-pressed={!filters.unallocated} onClick={() => set({ all: '1' })}>
            {t('dsNeeds.all')}
          </button>
        </div>
        <label className="check-line">
          <input type="checkbox" checked={filters.poorOnly} onChange={(e) => set({ poor: e.target.checked ? '1' : '' })} />
          <span>{t('dsNeeds.poorOnly')}</span>
        </label>
      </div>
      {done && (
        <p className="form-success" role="status">
          {done}
        </p>
      )}
      <section className="card table-card" aria-labelledby="needs-title">
        <div className="card-intro">
          <h2 id="needs-title" className="card-title">
            {t('dsNeeds.listTitle')}
          </h2>
          <p className="muted small">{t('dsNeeds.listIntro')}</p>
        </div>
        {mustChooseUnit ? (
          <EmptyState>{t('dsNeeds.chooseUnit')}</EmptyState>
        ) : query.isPending ? (
          <LoadingState />
        ) : query.isError && items.length === 0 ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t('dsNeeds.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table stack-table">
                <caption className="sr-only">{t('dsNeeds.listTitle')}</caption>
                <thead>
                  <tr>
                    <SortHeader col="address" label={t('dsNeeds.colHousehold')} sort={sort} onSort={setSort} firstDirection={firstDirection} />
                    <SortHeader col="score" label={t('dsNeeds.colScore')} sort={sort} onSort={setSort} firstDirection={firstDirection} />
                    <th scope="col" className="col-optional">
                      {t('dsNeeds.colBasis')}
                    </th>
                    <th scope="col" className="col-optional">
                      {t('dsNeeds.colMembers')}
                    </th>
                    <th scope="col">{t('dsNeeds.colAllocation')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((h) => (
                    <Fragment key={h.householdId}>
                      <tr>
                        <th scope="row">
                          <Link to={`/households/${h.householdId}`}>{h.address}</Link>
                          <span className="cell-sub">
                            {h.neighbourhood ? `${h.neighbourhood.name} · ` : ''}
                            {h.unitName}
                          </span>
                          {(h.poverty !== 'none' || h.openRequests > 0) && (
                            <span className="cell-sub">
                              {h.poverty !== 'none' && <PovertyBadge status={h.poverty} />}
                              {h.poverty !== 'none' && h.openRequests > 0 && ' · '}
                              {h.openRequests > 0 && t('dsNeeds.requests', { n: number(h.openRequests) })}
                            </span>
                          )}
                        </th>
                        <td>
                          <ScoreReasons score={h.score} reasons={h.reasons} />
                        </td>
                        <td className="col-optional">
                          <BasisList basis={h.basis} />
                        </td>
                        <td className="col-optional">
                          <MemberList members={h.members} />
                        </td>
                        <td>
                          {h.allocations.map((a) => (
                            <AllocationChip key={a.id} status={a.status} />
                          ))}
                          {h.devicesNeeded > 1 && <span className="cell-sub">{t('dsNeeds.devicesNeeded', { n: number(h.devicesNeeded), left: number(h.toAllocate) })}</span>}
                          {h.toAllocate > 0 && (
                            <button
                              type="button"
                              className={`btn btn-sm ${open === h.householdId ? 'btn-ghost' : 'btn-primary'}`}
                              aria-expanded={open === h.householdId}
                              onClick={() => {
                                setOpen(open === h.householdId ? null : h.householdId);
                                setDone('');
                              }}
                            >
                              {open === h.householdId ? t('action.cancel') : t('dsNeeds.allocate')}
                            </button>
                          )}
                        </td>
                      </tr>
                      {open === h.householdId && (
                        <tr>
                          <td colSpan={5}>
                            <AllocateForm
                              need={h}
                              onDone={(msg) => {
                                setOpen(null);
                                setDone(msg);
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            {query.isError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} />}
            <LoadMore shown={items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
          </>
        )}
      </section>
    </div>
  );
}

function BasisList({ basis }: { basis: readonly string[] }) {
  const { label } = useI18n();
  return (
    <ul className="reason-list">
      {basis.map((b) => (
        <li key={b}>{label('needBasis', b)}</li>
      ))}
    </ul>
  );
}

function MemberList({ members }: { members: DeviceNeed['members'] }) {
  const { t, number } = useI18n();
  if (members.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list small">
      {members.slice(0, 4).map((m) => (
        <li key={m.residentId}>
          {m.fullName}
          {m.age !== null && <span className="muted"> · {t('dsNeeds.age', { n: number(m.age) })}</span>}
          {m.phone2gOnly && <span className="badge chip-warn"> 2G</span>}
          {m.smartphone && <span className="badge chip-good"> {t('dsNeeds.smartphone')}</span>}
        </li>
      ))}
      {members.length > 4 && <li className="muted">{t('dsNeeds.moreMembers', { n: number(members.length - 4) })}</li>}
    </ul>
  );
}

/** Choose a lot of the household's unit (only lots with devices left) and, if known, who receives it. */
function AllocateForm({ need, onDone }: { need: DeviceNeed; onDone: (message: string) => void }) {
  const { t, number } = useI18n();
  const queryClient = useQueryClient();
  const stock = useQuery({ queryKey: deviceKeys.stock(need.unitCode), queryFn: () => fetchStock(need.unitCode) });
  const lots = (stock.data ?? []).filter((s) => s.unitCode === need.unitCode && s.available > 0);
  const [stockId, setStockId] = useState('');
  const [residentId, setResidentId] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ stockId?: true }>();
  const save = useMutation({
    mutationFn: () => allocate({ householdId: need.householdId, stockId: Number(stockId), residentId: residentId ? Number(residentId) : undefined }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
      onDone(t('dsNeeds.allocated', { address: need.address }));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    report(stockId ? {} : { stockId: true });
    if (stockId) save.mutate();
  }
  const chosen = lots.find((s) => String(s.id) === stockId);
  return (
    <form className="form-stack allocate-form" onSubmit={submit} onChange={onChange} noValidate aria-label={t('dsNeeds.allocateTitle', { address: need.address })}>
      {stock.isPending ? (
        <LoadingState />
      ) : stock.isError ? (
        <ErrorState error={stock.error} onRetry={() => void stock.refetch()} />
      ) : lots.length === 0 ? (
        <p className="muted">{t('dsNeeds.noStock', { unit: need.unitName })}</p>
      ) : (
        <>
          <div className="form-grid wide-form-grid">
            <div className="field">
              <label htmlFor={`lot-${need.householdId}`}>{t('dsNeeds.lot')}</label>
              <select
                id={`lot-${need.householdId}`}
                name="stockId"
                value={stockId}
                onChange={(e) => setStockId(e.target.value)}
                aria-invalid={problems.stockId}
                aria-describedby={problems.stockId ? `lot-${need.householdId}-error` : undefined}
              >
                <option value="">{t('dsNeeds.chooseLot')}</option>
                {lots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {t('dsNeeds.lotOption', { lot: lotName(s, t('dsStock.anyModel')), n: number(s.available) })}
                  </option>
                ))}
              </select>
              <FieldError id={`lot-${need.householdId}-error`} messages={problems.stockId ? [t('dsNeeds.lotRequired')] : []} />
            </div>
            <div className="field">
              <label htmlFor={`recipient-${need.householdId}`}>
                {t('dsNeeds.recipient')} <span className="muted">{t('form.optional')}</span>
              </label>
              <select id={`recipient-${need.householdId}`} value={residentId} onChange={(e) => setResidentId(e.target.value)}>
                <option value="">{t('dsNeeds.recipientLater')}</option>
                {need.members.map((m) => (
                  <option key={m.residentId} value={m.residentId}>
                    {m.fullName}
                    {m.phone2gOnly ? ' (2G)' : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {chosen && <p className="hint">{t('dsNeeds.leftAfter', { n: number(chosen.available - 1) })}</p>}
          <FormError error={save.error} />
          <div className="btn-row">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? t('state.saving') : t('dsNeeds.allocateSubmit')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
