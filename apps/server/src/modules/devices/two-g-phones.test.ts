import type { DeviceNeed } from '@cds/contract';
import { deviceStock } from '@cds/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCE, TODAY, UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { NO_PHOTO, fact, household, makeNeighbourhood, newImei, stockOf } from './device-test-kit.ts';

// Every 2G-only phone is to be replaced: a household holding two of them needs two devices, and
// gets them one allocation at a time, with the database still refusing a device too many.

let ctx: TestContext;
let admin: Session;
let official: Session;
let official2: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  official2 = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
});
afterAll(async () => {
  await ctx.close();
});

const needOf = async (neighbourhood: number, householdId: number, unallocated: boolean): Promise<DeviceNeed | undefined> => {
  const response = await official.get(`/api/devices/needs?unit=${UNIT_A}&neighbourhood=${neighbourhood}&unallocated=${unallocated}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: DeviceNeed[] }).items.find((i) => i.householdId === householdId);
};

async function handOver(allocationId: number, recipientResidentId: number) {
  const scheduled = await official.post(`/api/devices/allocations/${allocationId}/schedule`, { scheduledFor: TODAY, recipientResidentId });
  expect(scheduled.statusCode, scheduled.body).toBe(200);
  const done = await official.post(`/api/devices/allocations/${allocationId}/handover`, { imei: newImei(), confirmationCode: scheduled.json().confirmationCode, ...NO_PHOTO });
  expect(done.statusCode, done.body).toBe(200);
}

describe('a household with two 2G-only phones', () => {
  it('needs two devices, gets two, and no third', async () => {
    const { stockId } = await stockOf(admin, official, UNIT_A, 5);
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const h = await household(ctx, UNIT_A, n, 'poor', [
      { fullName: 'Võ Văn Sáu', birthDate: '1950-01-01', smartphone: false, phone2gOnly: true },
      { fullName: 'Lý Thị Bảy', birthDate: '1953-01-01', smartphone: false, phone2gOnly: true },
    ]);
    const [husband, wife] = h.people;
    expect(await needOf(n, h.household.id, true)).toMatchObject({ devicesNeeded: 2, toAllocate: 2, allocations: [] });

    const first = await official.post('/api/devices/allocations', { householdId: h.household.id, stockId, residentId: husband!.id });
    expect(first.statusCode, first.body).toBe(200);
    // One is coming, one more is still to give: the household stays on the list of those to serve.
    expect(await needOf(n, h.household.id, true)).toMatchObject({ devicesNeeded: 2, toAllocate: 1, allocations: [{ id: first.json().id, status: 'allocated' }] });
    const second = await official.post('/api/devices/allocations', { householdId: h.household.id, stockId, residentId: wife!.id });
    expect(second.statusCode, second.body).toBe(200);
    expect(await needOf(n, h.household.id, true)).toBeUndefined();
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');

    // The first handover converts one 2G number; the other allocation still waits for its own.
    await handOver(first.json().id, husband!.id);
    const halfway = await needOf(n, h.household.id, false);
    expect(halfway).toMatchObject({ devicesNeeded: 1, toAllocate: 0, basis: ['phone_2g_only'] });
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');

    await handOver(second.json().id, wife!.id);
    expect(await needOf(n, h.household.id, true)).toBeUndefined();
    expect(await needOf(n, h.household.id, false)).toMatchObject({ devicesNeeded: 0, basis: [], allocations: [{ status: 'handed_over' }, { status: 'handed_over' }] });
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
    // Nothing is given twice: a later record of the husband's old 2G phone does not make him eligible again.
    await fact(ctx, husband!.id, 'phone_2g_only', 'true', TODAY);
    expect(await needOf(n, h.household.id, true)).toBeUndefined();
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock!.available).toBe(3);
  });

  // Two real connections: one holds the household as official A would mid-allocation, the other
  // is official B's request. PGlite serves one connection at a time, so this runs on PostgreSQL.
  it.runIf(Boolean(process.env.DATABASE_URL))('makes a second official wait for the first and then see nothing left to give', async () => {
    const { stockId } = await stockOf(admin, official, UNIT_A, 5);
    const h = await household(ctx, UNIT_A, null, 'poor', [{ phone2gOnly: true }, { phone2gOnly: true }]);
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).statusCode).toBe(200);
    const client = await ctx.handle.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM households WHERE province_code = $1 AND id = $2 FOR UPDATE', [PROVINCE, h.household.id]);
      const second = official2.post('/api/devices/allocations', { householdId: h.household.id, stockId });
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Official A gives the household its second device while B waits.
      await client.query('UPDATE device_stock SET available = available - 1 WHERE id = $1', [stockId]);
      await client.query(
        `INSERT INTO device_allocations (province_code, household_id, unit_code, stock_id, slot, score, reasons) VALUES ($1, $2, $3, $4, 2, 0, '[]')`,
        [PROVINCE, h.household.id, UNIT_A, stockId],
      );
      await client.query('COMMIT');
      expect((await second).json().error?.code).toBe('DEVICE_ALREADY_ALLOCATED');
    } finally {
      client.release();
    }
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock!.available).toBe(3);
  });

  it('lets only one of two officials racing for its last missing device win', async () => {
    const { stockId } = await stockOf(admin, official, UNIT_A, 5);
    const h = await household(ctx, UNIT_A, null, 'near_poor', [
      { birthDate: '1960-01-01', smartphone: true, phone2gOnly: true },
      { birthDate: '1962-01-01', phone2gOnly: true },
    ]);
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).statusCode).toBe(200);
    const results = await Promise.all([
      official.post('/api/devices/allocations', { householdId: h.household.id, stockId }),
      official2.post('/api/devices/allocations', { householdId: h.household.id, stockId }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock!.available).toBe(3);
  });

  it('gives a household with no smartphone and one 2G phone a single device', async () => {
    const { stockId } = await stockOf(admin, official, UNIT_A, 3);
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const h = await household(ctx, UNIT_A, n, 'poor', [{ smartphone: false, phone2gOnly: true }, { smartphone: false }]);
    expect(await needOf(n, h.household.id, true)).toMatchObject({ devicesNeeded: 1, basis: ['no_smartphone', 'phone_2g_only'] });
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).statusCode).toBe(200);
    expect((await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
  });
});
