import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, ensureDemoUsers } from '../../demo/demo-data.ts';
import { createTestApp, signIn, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('the demo sponsor', () => {
  it('is linked to a sponsor with a pledge and stock, made once however often the demo starts', async () => {
    await ensureDemoUsers(ctx.deps.db);
    await ensureDemoUsers(ctx.deps.db);
    const login = DEMO_LOGINS.find((l) => l.role === 'sponsor')!;
    const sponsor = await signIn(ctx, login);
    const portal = await sponsor.get('/api/devices/portal');
    expect(portal.statusCode, portal.body).toBe(200);
    expect(portal.json().pledges).toEqual([expect.objectContaining({ quantity: 50, received: 20, units: [expect.objectContaining({ received: 20, handedOver: 0 })] })]);
    const figures = (await ctx.app.inject({ method: 'GET', url: '/api/public/device-support' })).json();
    expect(figures.totals).toMatchObject({ pledged: 90, received: 20 });
    // One registration waits for the city, so approving one can be tried on the demo.
    const admin = await signIn(ctx, DEMO_LOGINS.find((l) => l.role === 'city_admin')!);
    const waiting = (await admin.get('/api/devices/sponsors?status=pending')).json() as { name: string }[];
    expect(waiting.map((s) => s.name)).toEqual(['Công ty TNHH Điện thoại Nhân Ái (demo)']);
  });
});
