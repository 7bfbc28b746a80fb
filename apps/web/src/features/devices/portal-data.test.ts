import { describe, expect, it } from 'vitest';
import { handoverSpan, portalTotals, portalUnitRows } from './portal-data';

const unit = (code: string, name: string, received: number, handedOver: number, inUse = 0) => ({
  unitCode: code,
  unitName: name,
  received,
  allocated: handedOver,
  handedOver,
  firstHandoverOn: null,
  lastHandoverOn: null,
  inUseAtFollowUp: inUse,
});
const pledge = (id: number, quantity: number, status: 'open' | 'cancelled', units: ReturnType<typeof unit>[]) => ({
  id,
  sponsorId: 1,
  sponsorName: 'Công ty A',
  kind: 'device' as const,
  model: 'A06',
  network: '4g' as const,
  quantity,
  amountVnd: null,
  subsidyPerDeviceVnd: null,
  deliveryUnitCode: null,
  deliveryPlace: null,
  status,
  cancelReason: null,
  received: units.reduce((s, u) => s + u.received, 0),
  allocated: 0,
  handedOver: units.reduce((s, u) => s + u.handedOver, 0),
  pledgedAt: '2026-05-01T00:00:00Z',
  units,
  consentedRecipients: [],
});

describe('sponsor portal figures', () => {
  const pledges = [
    pledge(1, 10, 'open', [unit('26734', 'Phường Sài Gòn', 6, 4, 3), unit('26740', 'Phường Bến Thành', 2, 1)]),
    pledge(2, 5, 'open', [unit('26734', 'Phường Sài Gòn', 5, 0)]),
    pledge(3, 50, 'cancelled', []),
  ];
  it('sums the live pledges only', () => {
    expect(portalTotals(pledges)).toEqual({ pledges: 2, pledged: 15, received: 13, handedOver: 5, inUse: 3 });
  });
  it('sums each unit across pledges, received then handed over', () => {
    expect(portalUnitRows(pledges)).toEqual([
      { key: '26734', label: 'Phường Sài Gòn', values: [11, 4] },
      { key: '26740', label: 'Phường Bến Thành', values: [2, 1] },
    ]);
  });
  it('writes the handover days as one span', () => {
    const d = (v: string) => v.slice(0, 10);
    expect(handoverSpan(null, null, d)).toBeNull();
    expect(handoverSpan('2026-07-03', '2026-07-03', d)).toBe('2026-07-03');
    expect(handoverSpan('2026-07-03', '2026-07-20', d)).toBe('2026-07-03 – 2026-07-20');
  });
});
