import { useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { UnitSelect } from '../registry/unit-select';
import { deviceKeys, fetchPledges, fetchStock, recordDelivery, type PledgeView, type StockView } from './devices-api';
import { vietnamToday } from '../../shared/i18n/formats';
import { parseWhole, type Problems } from './device-rules';
import { DeviceTabs, lotName, StockBar, ReportLink } from './device-ui';
import { useMe } from '../access/session-context';
import { pledgeCancellable } from './device-rules';
import { PledgeCancelDialog } from './pledge-cancel';
import { DayInput } from '../../shared/components/day-input';

type UnitStock = { unitCode: string; unitName: string; received: number; available: number; lots: StockView[] };

function byUnit(stock: readonly StockView[]): UnitStock[] {
  const map = new Map<string, UnitStock>();
  for (const s of stock) {
    const u = map.get(s.unitCode) ?? { unitCode: s.unitCode, unitName: s.unitName, received: 0, available: 0, lots: [] };
    u.received += s.received;
    u.available += s.available;
    u.lots.push(s);
    map.set(s.unitCode, u);
  }
  return [...map.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi', { numeric: true }));
}

/** The unit's share of sponsors' devices: what it received, allocated and has left, lot by lot. */
export function DeviceStockPage() {
  const { t, number, date } = useI18n();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const [receiving, setReceiving] = useState(false);
  const stock = useQuery({ queryKey: deviceKeys.stock(unit), queryFn: () => fetchStock(unit), placeholderData: keepPreviousData });
  const pledges = useQuery({ queryKey: deviceKeys.pledges(), queryFn: fetchPledges });
  const units = useMemo(() => byUnit(stock.data ?? []), [stock.data]);

  return (
    <div className="device-page">
      <PageHeader
        title={t('dsStock.title')}
        subtitle={t('dsStock.subtitle')}
        actions={
          <>
            {!receiving && (
              <button type="button" className="btn btn-primary" onClick={() => setReceiving(true)}>
                {t('dsStock.receive')}
              </button>
            )}
            <ReportLink unit={unit} />
          </>
        }
      />
      <DeviceTabs />
      <div className="toolbar">
        <UnitSelect
          id="stock-unit"
          value={unit}
          onChange={(code) => {
            const next = new URLSearchParams(params);
            if (code) next.set('unit', code);
            else next.delete('unit');
            setParams(next, { replace: true });
          }}
        />
      </div>
      {receiving && <DeliveryForm pledges={pledges.data ?? []} defaultUnit={unit} onClose={() => setReceiving(false)} />}
      {stock.isPending ? (
        <LoadingState />
      ) : stock.isError && !stock.data ? (
        <ErrorState error={stock.error} onRetry={() => void stock.refetch()} />
      ) : units.length === 0 ? (
        <EmptyState>{t('dsStock.empty')}</EmptyState>
      ) : (
        units.map((u) => (
          <section key={u.unitCode} className="card" aria-labelledby={`unit-${u.unitCode}`}>
            <div className="unit-share">
              <div className="lot-head">
                <h2 id={`unit-${u.unitCode}`} className="card-title">
                  {u.unitName}
                </h2>
                <span className="muted small">{t('dsStock.unitShare', { received: number(u.received), available: number(u.available) })}</span>
              </div>
              <StockBar received={u.received} available={u.available} />
              <div className="lot-list">
                {u.lots.map((s) => (
                  <div key={s.id} className="lot">
                    <div className="lot-head">
                      <span className="lot-name">{lotName(s, t('dsStock.anyModel'))}</span>
                      <span className="muted small nowrap">{t('dsStock.lotNo', { n: s.id })}</span>
                    </div>
                    <StockBar received={s.received} available={s.available} />
                    <span className="muted small">
                      {t('dsStock.lotFigures', { received: number(s.received), date: date(s.lastReceivedOn) })}
                    </span>
                  </div>
                ))}
              </div>
            </div>
          </section>
        ))
      )}
      <PledgeTable pledges={pledges} />
    </div>
  );
}

function PledgeTable({ pledges }: { pledges: ReturnType<typeof useQuery<PledgeView[]>> }) {
  const { t, number, date, label } = useI18n();
  // Withdrawing a pledge is the city's (may.manageSponsors): others see the table only.
  const canCancel = useMe().role === 'city_admin';
  const [cancelling, setCancelling] = useState<PledgeView | null>(null);
  const [done, setDone] = useState('');
  return (
    <section className="card table-card" aria-labelledby="pledges-title">
      <div className="card-intro">
        <h2 id="pledges-title" className="card-title">
          {t('dsStock.pledges')}
        </h2>
        <p className="muted small">{t('dsStock.pledgesIntro')}</p>
        {done && (
          <p className="form-success" role="status">
            {done}
          </p>
        )}
      </div>
      {cancelling && (
        <PledgeCancelDialog
          pledge={cancelling}
          onClose={() => setCancelling(null)}
          onDone={(message) => {
            setCancelling(null);
            setDone(message);
          }}
        />
      )}
      {pledges.isPending ? (
        <LoadingState />
      ) : pledges.isError ? (
        <ErrorState error={pledges.error} onRetry={() => void pledges.refetch()} />
      ) : pledges.data.length === 0 ? (
        <EmptyState>{t('dsStock.noPledges')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="sr-only">{t('dsStock.pledges')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dsPortal.colPledge')}</th>
                <th scope="col" className="num">
                  {t('dsPortal.colQuantity')}
                </th>
                <th scope="col" className="num">
                  {t('dsPortal.colReceived')}
                </th>
                <th scope="col" className="num col-optional">
                  {t('dsPortal.colAllocated')}
                </th>
                <th scope="col" className="num">
                  {t('dsPortal.colHanded')}
                </th>
                <th scope="col" className="col-optional">
                  {t('dsPortal.colDate')}
                </th>
                {canCancel && (
                  <th scope="col">
                    <span className="sr-only">{t('dsPledgeCancel.colAction')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {pledges.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    {p.sponsorName}
                    <span className="cell-sub">
                      {p.kind === 'device' ? `${p.model ?? ''} · ${p.network.toUpperCase()}` : t('dsPortal.moneyLine', { amount: number(p.amountVnd), subsidy: number(p.subsidyPerDeviceVnd) })}
                      {p.status === 'cancelled' && ` · ${label('pledgeStatus', p.status)}`}
                    </span>
                    {p.cancelReason && <span className="cell-sub">{t('dsPledgeCancel.reasonShown', { reason: p.cancelReason })}</span>}
                  </th>
                  <td className="num">{number(p.quantity)}</td>
                  <td className="num">{number(p.received)}</td>
                  <td className="num col-optional">{number(p.allocated)}</td>
                  <td className="num">{number(p.handedOver)}</td>
                  <td className="col-optional">{date(p.pledgedAt)}</td>
                  {canCancel && (
                    <td className="nowrap">
                      {pledgeCancellable(p) === 'yes' ? (
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm btn-danger-text"
                          onClick={() => {
                            setDone('');
                            setCancelling(p);
                          }}
                        >
                          {t('dsPledgeCancel.action')}
                        </button>
                      ) : pledgeCancellable(p) === 'received' ? (
                        <span className="muted small">{t('dsPledgeCancel.received')}</span>
                      ) : null}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type DeliveryField = 'pledge' | 'unit' | 'quantity' | 'receivedOn';

/** The unit took delivery of devices of a pledge: its stock of that pledge grows. */
function DeliveryForm({ pledges, defaultUnit, onClose }: { pledges: readonly PledgeView[]; defaultUnit: string; onClose: () => void }) {
  const { t, number } = useI18n();
  const queryClient = useQueryClient();
  const today = vietnamToday();
  const [pledgeId, setPledgeId] = useState('');
  const [unit, setUnit] = useState(defaultUnit);
  const [quantity, setQuantity] = useState('');
  const [receivedOn, setReceivedOn] = useState(today);
  const { problems: errors, report, onChange, changed } = useFieldProblems<Problems<DeliveryField>>();
  const [saved, setSaved] = useState('');
  const open = pledges.filter((p) => p.status === 'open' && p.received < p.quantity);
  const pledge = open.find((p) => String(p.id) === pledgeId);
  const save = useMutation({
    mutationFn: () => recordDelivery({ pledgeId: Number(pledgeId), unitCode: unit, quantity: parseWhole(quantity) ?? 0, receivedOn }),
    onSuccess: (s) => {
      setSaved(t('dsStock.received', { n: number(parseWhole(quantity)), unit: s.unitName }));
      setQuantity('');
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved('');
    const found: Problems<DeliveryField> = {};
    if (!pledge) found.pledge = { key: 'dsStock.pledgeRequired' };
    if (!/^\d{5}$/.test(unit)) found.unit = { key: 'dsStock.unitRequired' };
    const q = parseWhole(quantity);
    if (q === null || q < 1) found.quantity = { key: 'dsPledge.quantityMin' };
    else if (pledge && q > pledge.quantity - pledge.received) found.quantity = { key: 'dsStock.quantityOver', params: { n: number(pledge.quantity - pledge.received) } };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn) || receivedOn > today) found.receivedOn = { key: 'dsStock.dateInvalid' };
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  const err = (k: DeliveryField) => (errors[k] ? [t(errors[k].key, errors[k].params)] : []);
  return (
    <form className="card form-stack" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="delivery-title">
      <h2 id="delivery-title" className="form-title">
        {t('dsStock.receiveTitle')}
      </h2>
      <div className="form-grid wide-form-grid">
        <div className="field">
          <label htmlFor="delivery-pledge">{t('dsStock.pledge')}</label>
          <select
            id="delivery-pledge"
            name="pledge"
            value={pledgeId}
            onChange={(e) => {
              setPledgeId(e.target.value);
              // "More than the pledge has left" stands under the quantity but is about the pledge too.
              changed('quantity', (p) => p?.key === 'dsStock.quantityOver');
            }}
            aria-invalid={errors.pledge ? true : undefined}
            aria-describedby="delivery-pledge-error"
          >
            <option value="">{open.length === 0 ? t('dsStock.noOpenPledges') : t('dsStock.choosePledge')}</option>
            {open.map((p) => (
              <option key={p.id} value={p.id}>
                {t('dsStock.pledgeOption', { lot: lotName(p, t('dsStock.anyModel')), n: number(p.quantity - p.received) })}
              </option>
            ))}
          </select>
          <FieldError id="delivery-pledge-error" messages={err('pledge')} />
        </div>
        <div className="field">
          <UnitSelect id="delivery-unit" name="unit" value={unit} onChange={setUnit} allowAll={false} errorId={errors.unit ? 'delivery-unit-error' : undefined} />
          {!unit && <p className="hint">{t('dsStock.chooseUnit')}</p>}
          <FieldError id="delivery-unit-error" messages={err('unit')} />
        </div>
        <div className="field">
          <label htmlFor="delivery-quantity">{t('dsStock.quantity')}</label>
          <input id="delivery-quantity" name="quantity" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} aria-invalid={errors.quantity ? true : undefined} aria-describedby="delivery-quantity-error" />
          <FieldError id="delivery-quantity-error" messages={err('quantity')} />
        </div>
        <div className="field">
          <label htmlFor="delivery-date">{t('dsStock.receivedOn')}</label>
          <DayInput id="delivery-date" name="receivedOn" max={today} value={receivedOn} onValueChange={setReceivedOn} aria-invalid={errors.receivedOn ? true : undefined} aria-describedby="delivery-date-error" />
          <FieldError id="delivery-date-error" messages={err('receivedOn')} />
        </div>
      </div>
      <FormError error={save.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.saving') : t('dsStock.receiveSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
        {saved && <span className="form-success">{saved}</span>}
      </div>
    </form>
  );
}
