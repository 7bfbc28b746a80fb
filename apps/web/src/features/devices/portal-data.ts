import type { SponsorPortal } from '@cds/contract';
import type { ChartRow } from './chart-data';

type Pledge = SponsorPortal['pledges'][number];

/** A sponsor's pledges summed: pledged, received by units, handed over, still in use at follow-up. */
export function portalTotals(pledges: readonly Pledge[]) {
  const live = pledges.filter((p) => p.status !== 'cancelled');
  return {
    pledges: live.length,
    pledged: live.reduce((s, p) => s + p.quantity, 0),
    received: live.reduce((s, p) => s + p.received, 0),
    handedOver: live.reduce((s, p) => s + p.handedOver, 0),
    inUse: live.reduce((s, p) => s + p.units.reduce((u, x) => u + x.inUseAtFollowUp, 0), 0),
  };
}

/** Per unit across all the sponsor's pledges: received and handed over, for the chart. */
export function portalUnitRows(pledges: readonly Pledge[]): ChartRow[] {
  const map = new Map<string, { label: string; received: number; handedOver: number }>();
  for (const p of pledges) {
    for (const u of p.units) {
      const row = map.get(u.unitCode) ?? { label: u.unitName, received: 0, handedOver: 0 };
      row.received += u.received;
      row.handedOver += u.handedOver;
      map.set(u.unitCode, row);
    }
  }
  return [...map.entries()].map(([key, r]) => ({ key, label: r.label, values: [r.received, r.handedOver] }));
}

/** When a pledge's devices were handed over, as one span ("03/07/2026 – 20/07/2026"), or null. */
export function handoverSpan(first: string | null, last: string | null, date: (v: string) => string): string | null {
  if (!first && !last) return null;
  if (!first || !last || first.slice(0, 10) === last.slice(0, 10)) return date((first ?? last) as string);
  return `${date(first)} – ${date(last)}`;
}
