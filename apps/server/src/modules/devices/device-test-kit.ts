import { randomUUID } from 'node:crypto';
import { facts, householdNeeds, neighbourhoods } from '@cds/db';
import { foldVietnamese, luhnCheckDigit } from '@cds/domain';
import { expect } from 'vitest';
import { PROVINCE, makeHousehold, makeResident, type ResidentFactoryInput, type Session, type TestContext } from '../../test/test-app.ts';

// Factories for the device-support tests: a neighbourhood of its own per test (so lists are
// exactly what the test made), facts written directly, and stock by the API.

export async function makeNeighbourhood(ctx: TestContext, unitCode: string): Promise<number> {
  const name = `Khu phố ${randomUUID().slice(0, 8)}`;
  const [row] = await ctx.deps.db.insert(neighbourhoods).values({ provinceCode: PROVINCE, unitCode, name, nameFolded: foldVietnamese(name) }).returning({ id: neighbourhoods.id });
  return row!.id;
}

export async function household(
  ctx: TestContext,
  unitCode: string,
  neighbourhoodId: number | null,
  poverty: 'poor' | 'near_poor' | 'none',
  members: (ResidentFactoryInput & { smartphone?: boolean; phone2gOnly?: boolean })[],
) {
  const h = await makeHousehold(ctx, unitCode, { neighbourhoodId, povertyStatus: poverty, povertyListYear: poverty === 'none' ? null : 2026 });
  const people = [];
  for (const [i, m] of members.entries()) {
    const r = await makeResident(ctx, h, { relationToHead: i === 0 ? 'head' : 'child', ...m });
    if (m.smartphone !== undefined) await fact(ctx, r.id, 'smartphone', String(m.smartphone));
    if (m.phone2gOnly !== undefined) await fact(ctx, r.id, 'phone_2g_only', String(m.phone2gOnly));
    people.push(r);
  }
  return { household: h, people };
}

export async function fact(ctx: TestContext, residentId: number, indicator: string, value: string, observedOn = '2026-10-01') {
  await ctx.deps.db.insert(facts).values({ provinceCode: PROVINCE, residentId, indicator, value, sourceKind: 'seed', observedOn });
}

export async function visitNeed(ctx: TestContext, householdId: number, unitCode: string) {
  await ctx.deps.db.insert(householdNeeds).values({ provinceCode: PROVINCE, householdId, unitCode, kind: 'device', detail: 'Cần điện thoại 4G' });
}

/** A sponsor with a device pledge, and `quantity` of it received by the unit; returns the stock id. */
export async function stockOf(admin: Session, official: Session, unitCode: string, quantity: number, sponsorUserId: number | null = null) {
  const sponsor = await admin.post('/api/devices/sponsors', { kind: 'business', name: `Công ty ${randomUUID().slice(0, 6)}`, contactPhone: '0281234567', userId: sponsorUserId });
  expect(sponsor.statusCode, sponsor.body).toBe(200);
  const pledge = await admin.post('/api/devices/pledges', { kind: 'device', sponsorId: sponsor.json().id, model: 'Galaxy A06 4G', network: '4g', quantity: quantity + 5 });
  expect(pledge.statusCode, pledge.body).toBe(200);
  const stock = await official.post('/api/devices/deliveries', { pledgeId: pledge.json().id, unitCode, quantity, receivedOn: '2026-11-20' });
  expect(stock.statusCode, stock.body).toBe(200);
  return { sponsorId: sponsor.json().id as number, pledgeId: pledge.json().id as number, stockId: stock.json().id as number };
}

let imeiSerial = 100_000 + Math.floor(Math.random() * 800_000);
/** A fresh valid IMEI (a made-up TAC, a serial, the Luhn digit). */
export function newImei(): string {
  const body = `3520990${String(++imeiSerial).padStart(7, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export const NO_PHOTO = { photoSkippedNote: 'Người nhận không muốn chụp ảnh' };
