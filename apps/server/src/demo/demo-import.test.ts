import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeHousehold, makeResident, makeUser, type TestContext } from '../test/test-app.ts';
import type { Actor } from '../modules/access/actor.ts';
import { importDemoList } from './demo-import.ts';

let ctx: TestContext;
let actor: Actor;
beforeAll(async () => {
  ctx = await createTestApp();
  const user = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
  actor = { userId: user.id, username: user.username, role: 'unit_official', provinceCode: '79', unitCodes: [UNIT_A], residentId: null, ip: null, userAgent: 'test' };
});
afterAll(async () => ctx?.close());

describe('the demo import', () => {
  it('gives the import pages every state to show: applied, held for review, rejected and skipped rows', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    await makeResident(ctx, household, { fullName: 'Đặng Thị Hồng', birthDate: '1958-04-09' });
    const { batchId } = await importDemoList(ctx.deps, actor, UNIT_A);
    const rows = await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, batchId)).orderBy(asc(importRows.record));
    expect(rows.map((r) => [r.record, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'skipped'],
      [6, 'review'],
      [7, 'review'],
      [8, 'skipped'],
    ]);
    // Each one for the reason the list was written to show.
    expect(rows[2]?.reasons.join()).toContain('31/02/1990');
    expect(rows[3]?.reasons.join()).toContain('số mũ');
    expect(rows[5]?.reasons.join()).toContain('Phường Đa Kao');
    expect(rows[6]?.reasons.join()).toContain('trùng');
    // The two members of HK-DEMO-01 are one household.
    expect(rows[0]?.residentId).not.toBeNull();
    const members = await ctx.deps.pool.query('SELECT DISTINCT household_id FROM residents WHERE id = ANY($1::bigint[])', [[rows[0]?.residentId, rows[1]?.residentId]]);
    expect(members.rows).toHaveLength(1);
  });
});
