import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { chartRows } from './chart-data';
import { createPledge, deviceKeys, fetchPortal, fetchPublicFigures, portalReportUrl, type PortalPledge } from './devices-api';
import { devicesFunded, parseWhole, validatePledge, type PledgeField, type PledgeForm, type Problems } from './device-rules';
import { StockBar } from './device-ui';
import { handoverSpan, portalTotals, portalUnitRows } from './portal-data';

const RowsBarChart = lazy(() => import('./device-charts').then((m) => ({ default: m.RowsBarChart })));
const CHART_ROWS = 12;

/** A sponsor's own portal: who they are, what they pledged, and where and when the devices went. */
export function SponsorPortalPage() {
  const { t, label, number } = useI18n();
  const portal = useQuery({ queryKey: deviceKeys.portal(), queryFn: fetchPortal });
  const [creating, setCreating] = useState(false);
  const totals = useMemo(() => portalTotals(portal.data?.pledges ?? []), [portal.data]);
  const rows = useMemo(() => chartRows(portalUnitRows(portal.data?.pledges ?? []), CHART_ROWS, t('dsPublic.others')), [portal.data, t]);

  if (portal.isPending) return <LoadingState />;
  if (portal.isError) return <ErrorState error={portal.error} onRetry={() => void portal.refetch()} />;
  const { sponsor, pledges } = portal.data;
  const figures: Array<[MessageKey, number]> = [
    ['dsPortal.statPledges', totals.pledges],
    ['dsPortal.statPledged', totals.pledged],
    ['dsPortal.statReceived', totals.received],
    ['dsPortal.statHanded', totals.handedOver],
    ['dsPortal.statInUse', totals.inUse],
  ];
  return (
    <div className="device-page">
      <PageHeader
        title={t('dsPortal.title')}
        subtitle={t('dsPortal.subtitle')}
        actions={
          <>
            {!creating && (
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                {t('dsPortal.newPledge')}
              </button>
            )}
            <a className="btn btn-secondary" href={portalReportUrl()} download>
              {t('dsReport.download')}
            </a>
          </>
        }
      />
      <section className="card" aria-labelledby="sponsor-profile">
        <h2 id="sponsor-profile" className="card-title">
          {sponsor.name}
        </h2>
        <p className="muted small">
          {label('sponsorKind', sponsor.kind)} · {t('dsPortal.sponsorNo', { n: sponsor.id })}
        </p>
        <p className="hint">{t('dsPortal.privacy')}</p>
      </section>
      {creating && <PledgeFormCard onClose={() => setCreating(false)} />}
      <dl className="stat-grid">
        {figures.map(([key, n]) => (
          <div className="stat" key={key}>
            <dt className="stat-label">{t(key)}</dt>
            <dd className="stat-value">{number(n)}</dd>
          </div>
        ))}
      </dl>
      <section className="card" aria-labelledby="portal-chart">
        <h2 id="portal-chart" className="card-title card-intro">
          {t('dsPortal.chartTitle')}
        </h2>
        {rows.length === 0 ? (
          <p className="muted small">{t('dsPortal.chartEmpty')}</p>
        ) : (
          <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
            <RowsBarChart rows={rows} series={[t('dsPortal.colReceived'), t('dsPortal.colHanded')]} label={t('dsPortal.chartTitle')} />
          </Suspense>
        )}
      </section>
      {pledges.length === 0 ? (
        <EmptyState>{t('dsPortal.noPledges')}</EmptyState>
      ) : (
        pledges.map((p) => <PledgeCard key={p.id} p={p} />)
      )}
    </div>
  );
}

function PledgeCard({ p }: { p: PortalPledge }) {
  const { t, number, date, label } = useI18n();
  const network = p.network.toUpperCase();
  // A model's name often says its network already ("Galaxy A06 4G"): not twice.
  const modelNetwork = p.model && new RegExp(`\\b${network}\\b`, 'i').test(p.model) ? '' : network;
  const what =
    p.kind === 'device'
      ? t('dsPortal.deviceLine', { n: number(p.quantity), model: p.model ?? '', network: modelNetwork }).trim()
      : t('dsPortal.moneyPledgeLine', { amount: number(p.amountVnd), subsidy: number(p.subsidyPerDeviceVnd), n: number(p.quantity) });
  return (
    <section className="card table-card" aria-labelledby={`pledge-${p.id}`}>
      <div className="card-intro">
        <div className="lot-head">
          <h2 id={`pledge-${p.id}`} className="card-title">
            {t('dsPortal.pledgeNo', { n: p.id })} · {what}
          </h2>
          <span className={`badge ${p.status === 'cancelled' ? 'badge-muted' : 'chip-info'}`}>{label('pledgeStatus', p.status)}</span>
        </div>
        <p className="muted small">
          {t('dsPortal.pledgedOn', { date: date(p.pledgedAt) })}
          {p.deliveryPlace ? ` · ${t('dsPortal.deliveryTo', { place: p.deliveryPlace })}` : ''}
        </p>
        {p.cancelReason && <p className="muted small">{t('dsPledgeCancel.reasonShown', { reason: p.cancelReason })}</p>}
        <div style={{ maxWidth: 520, marginTop: 8 }}>
          <StockBar received={Math.max(p.quantity, p.received)} available={Math.max(p.quantity, p.received) - p.allocated} handedOver={p.handedOver} />
          <p className="muted small">{t('dsPortal.pledgeFigures', { received: number(p.received), quantity: number(p.quantity) })}</p>
        </div>
      </div>
      {p.units.length === 0 ? (
        <p className="muted small card-intro">{t('dsPortal.noUnitsYet')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="sr-only">{t('dsPortal.unitsCaption', { n: p.id })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dsPublic.colUnit')}</th>
                <th scope="col" className="num">
                  {t('dsPortal.colReceived')}
                </th>
                <th scope="col" className="num col-optional">
                  {t('dsPortal.colAllocated')}
                </th>
                <th scope="col" className="num">
                  {t('dsPortal.colHanded')}
                </th>
                <th scope="col">{t('dsPortal.colWhen')}</th>
                <th scope="col" className="num col-optional">
                  {t('dsPortal.colInUse')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.units.map((u) => (
                <tr key={u.unitCode}>
                  <th scope="row">{u.unitName}</th>
                  <td className="num">{number(u.received)}</td>
                  <td className="num col-optional">{number(u.allocated)}</td>
                  <td className="num">{number(u.handedOver)}</td>
                  <td>{handoverSpan(u.firstHandoverOn, u.lastHandoverOn, date) ?? <span className="muted">—</span>}</td>
                  <td className="num col-optional">{number(u.inUseAtFollowUp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.consentedRecipients.length > 0 && (
        <div className="card-intro">
          <h3 className="small" style={{ margin: '8px 0 4px' }}>
            {t('dsPortal.consentedTitle')}
          </h3>
          <ul className="reason-list">
            {p.consentedRecipients.map((r, i) => (
              <li key={`${r.firstName}-${i}`}>{t('dsPortal.consentedLine', { name: r.firstName, unit: r.unitName, date: date(r.handedOverOn) })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** A new pledge: devices (model, 4G/5G, quantity) or money (amount, subsidy per device); where to deliver. */
export function PledgeFormCard({ onClose }: { onClose: () => void }) {
  const { t, number } = useI18n();
  const queryClient = useQueryClient();
  // The units a sponsor can name come from the public figures; "any unit" lets the city decide.
  const units = useQuery({ queryKey: deviceKeys.publicFigures(), queryFn: fetchPublicFigures, staleTime: 5 * 60_000 });
  const [form, setForm] = useState<PledgeForm>({ kind: 'device', model: '', network: '4g', quantity: '', amount: '', subsidy: '', deliveryPlace: '' });
  const [unit, setUnit] = useState('');
  const { problems: errors, report, onChange, changed } = useFieldProblems<Problems<PledgeField>>();
  const [saved, setSaved] = useState('');
  const edit = (changes: Partial<PledgeForm>) => setForm((f) => ({ ...f, ...changes }));
  const save = useMutation({
    mutationFn: () =>
      createPledge(
        form.kind === 'device'
          ? {
              kind: 'device',
              model: form.model.trim(),
              network: form.network,
              quantity: parseWhole(form.quantity) ?? 0,
              deliveryUnitCode: unit || null,
              deliveryPlace: form.deliveryPlace.trim() || undefined,
            }
          : {
              kind: 'money',
              amountVnd: parseWhole(form.amount) ?? 0,
              subsidyPerDeviceVnd: parseWhole(form.subsidy) ?? 0,
              network: form.network,
              deliveryUnitCode: unit || null,
              deliveryPlace: form.deliveryPlace.trim() || undefined,
            },
      ),
    onSuccess: (p) => {
      setSaved(t('dsPledge.saved', { n: p.id, quantity: number(p.quantity) }));
      setForm((f) => ({ ...f, model: '', quantity: '', amount: '', subsidy: '' }));
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved('');
    const found = validatePledge(form);
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  const err = (k: PledgeField) => (errors[k] ? [t(errors[k].key, errors[k].params)] : []);
  const funded = devicesFunded(parseWhole(form.amount), parseWhole(form.subsidy));
  const invalid = (k: PledgeField) => (errors[k] ? true : undefined);
  return (
    <form className="card form-stack" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="pledge-form-title">
      <h2 id="pledge-form-title" className="form-title">
        {t('dsPledge.title')}
      </h2>
      <div className="segmented" role="group" aria-label={t('dsPledge.kind')}>
        <button type="button" className="segmented-button" aria-pressed={form.kind === 'device'} onClick={() => edit({ kind: 'device' })}>
          {t('dsPledge.kindDevice')}
        </button>
        <button type="button" className="segmented-button" aria-pressed={form.kind === 'money'} onClick={() => edit({ kind: 'money' })}>
          {t('dsPledge.kindMoney')}
        </button>
      </div>
      <div className="form-grid wide-form-grid">
        {form.kind === 'device' ? (
          <>
            <div className="field">
              <label htmlFor="pledge-model">{t('dsPledge.model')}</label>
              <input id="pledge-model" name="model" value={form.model} maxLength={140} placeholder={t('dsPledge.modelPlaceholder')} onChange={(e) => edit({ model: e.target.value })} aria-invalid={invalid('model')} aria-describedby="pledge-model-error" />
              <FieldError id="pledge-model-error" messages={err('model')} />
            </div>
            <div className="field">
              <label htmlFor="pledge-quantity">{t('dsPledge.quantity')}</label>
              <input id="pledge-quantity" name="quantity" inputMode="numeric" value={form.quantity} onChange={(e) => edit({ quantity: e.target.value })} aria-invalid={invalid('quantity')} aria-describedby="pledge-quantity-error" />
              <FieldError id="pledge-quantity-error" messages={err('quantity')} />
            </div>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="pledge-amount">{t('dsPledge.amount')}</label>
              <input
                id="pledge-amount"
                name="amount"
                inputMode="numeric"
                value={form.amount}
                placeholder="30.000.000"
                onChange={(e) => {
                  edit({ amount: e.target.value });
                  // "More than the amount" stands under the subsidy but is about both.
                  changed('subsidy', (p) => p?.key === 'dsPledge.subsidyAboveAmount');
                }}
                aria-invalid={invalid('amount')}
                aria-describedby="pledge-amount-error"
              />
              <FieldError id="pledge-amount-error" messages={err('amount')} />
            </div>
            <div className="field">
              <label htmlFor="pledge-subsidy">{t('dsPledge.subsidy')}</label>
              <input id="pledge-subsidy" name="subsidy" inputMode="numeric" value={form.subsidy} placeholder="1.500.000" onChange={(e) => edit({ subsidy: e.target.value })} aria-invalid={invalid('subsidy')} aria-describedby="pledge-subsidy-hint pledge-subsidy-error" />
              <p id="pledge-subsidy-hint" className="hint">
                {funded !== null ? t('dsPledge.funds', { n: number(funded) }) : t('dsPledge.subsidyHint')}
              </p>
              <FieldError id="pledge-subsidy-error" messages={err('subsidy')} />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="pledge-network">{t('dsPledge.network')}</label>
          <select id="pledge-network" value={form.network} onChange={(e) => edit({ network: e.target.value === '5g' ? '5g' : '4g' })}>
            <option value="4g">4G</option>
            <option value="5g">5G</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="pledge-unit">{t('dsPledge.deliveryUnit')}</label>
          <select id="pledge-unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value="">{t('dsPledge.anyUnit')}</option>
            {[...(units.data?.byUnit ?? [])]
              .sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi', { numeric: true }))
              .map((u) => (
                <option key={u.unitCode} value={u.unitCode}>
                  {u.unitName}
                </option>
              ))}
          </select>
        </div>
        <div className="field field-wide">
          <label htmlFor="pledge-place">
            {t('dsPledge.deliveryPlace')} <span className="muted">{t('form.optional')}</span>
          </label>
          <input id="pledge-place" name="deliveryPlace" value={form.deliveryPlace} maxLength={320} placeholder={t('dsPledge.placePlaceholder')} onChange={(e) => edit({ deliveryPlace: e.target.value })} aria-invalid={invalid('deliveryPlace')} aria-describedby="pledge-place-error" />
          <FieldError id="pledge-place-error" messages={err('deliveryPlace')} />
        </div>
      </div>
      <FormError error={save.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.saving') : t('dsPledge.submit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
        {saved && <span className="form-success">{saved}</span>}
      </div>
    </form>
  );
}
