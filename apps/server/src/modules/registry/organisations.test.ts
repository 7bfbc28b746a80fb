import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
let officialA: Session;
let officialB: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
});
afterAll(async () => ctx?.close());

const count = async () => (await ctx.deps.pool.query('SELECT count(*)::int AS n FROM organisations')).rows[0].n as number;

describe('POST /api/organisations', () => {
  it('registers a business in the official’s unit and lists it there only', async () => {
    const response = await officialA.post('/api/organisations', { unitCode: UNIT_A, name: 'Công ty TNHH Sài Gòn Số', kind: 'business', taxCode: '0301234567' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ unitCode: UNIT_A, kind: 'business', taxCode: '0301234567' });
    const mine = (await officialA.get('/api/organisations?q=sai%20gon%20so')).json().items.map((o: { name: string }) => o.name);
    expect(mine).toEqual(['Công ty TNHH Sài Gòn Số']);
    expect((await officialB.get('/api/organisations')).json().items).toEqual([]);
  });

  it('refuses a tax code already registered with 409', async () => {
    const response = await officialA.post('/api/organisations', { unitCode: UNIT_A, name: 'Chi nhánh khác', kind: 'business', taxCode: '0301234567' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('DUPLICATE_TAX_CODE');
  });

  for (const [what, body, path] of [
    ['a tax code of the wrong shape', { taxCode: '12345' }, 'body.taxCode'],
    ['an unknown kind', { kind: 'club' }, 'body.kind'],
    ['a malformed unit code', { unitCode: '1' }, 'body.unitCode'],
    ['a unit that does not exist', { unitCode: '99999' }, 'body.unitCode'],
  ] as const) {
    it(`rejects ${what}, naming the field, and stores nothing`, async () => {
      const before = await count();
      const response = await officialA.post('/api/organisations', { unitCode: UNIT_A, name: 'Hợp tác xã Bến Nghé', kind: 'cooperative', ...body });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
      expect(await count()).toBe(before);
    });
  }

  it('forbids registering in another unit', async () => {
    const response = await officialA.post('/api/organisations', { unitCode: UNIT_B, name: 'Hợp tác xã Bến Thành', kind: 'cooperative' });
    expect(response.statusCode).toBe(403);
  });
});
