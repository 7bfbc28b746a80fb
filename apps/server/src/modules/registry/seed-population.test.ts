import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '@cds/db';
import { inArray } from 'drizzle-orm';
import { PROVINCE, TODAY, UNIT_A, createTestApp, type TestContext } from '../../test/test-app.ts';
import { seedPopulation } from './seed-population.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const count = async (sql: string) => (await ctx.deps.pool.query(sql)).rows[0].n as number;

describe('seedPopulation', () => {
  it('stores exactly the requested residents with their households, neighbourhoods and seed facts', async () => {
    const rows = await ctx.deps.db.select().from(units).where(inArray(units.code, [UNIT_A, '27553']));
    const progress: number[] = [];
    const result = await seedPopulation(ctx.deps.pool, ctx.deps.vault, {
      people: 2500, seed: 5, provinceCode: PROVINCE, units: rows, today: TODAY, batchSize: 700, onProgress: (n) => progress.push(n),
    });
    expect(result.residents).toBe(2500);
    expect(await count('SELECT count(*)::int AS n FROM residents')).toBe(2500);
    expect(await count('SELECT count(*)::int AS n FROM households')).toBe(result.households);
    expect(await count("SELECT count(*)::int AS n FROM facts WHERE source_kind = 'seed'")).toBe(result.facts);
    expect(progress.at(-1)).toBe(2500);
    // A rural commune is divided into "ấp", a ward into "khu phố".
    const names = (await ctx.deps.pool.query('SELECT DISTINCT n.unit_code, n.name FROM neighbourhoods n')).rows as { unit_code: string; name: string }[];
    expect(names.filter((n) => n.unit_code === '27553').every((n) => n.name.startsWith('Ấp '))).toBe(true);
    expect(names.filter((n) => n.unit_code === UNIT_A).every((n) => n.name.startsWith('Khu phố '))).toBe(true);
    // Every household points at a neighbourhood of its own unit.
    expect(await count('SELECT count(*)::int AS n FROM households h JOIN neighbourhoods n ON n.id = h.neighbourhood_id WHERE n.unit_code <> h.unit_code')).toBe(0);
  });

  it('stores citizen IDs only as hash and ciphertext that decrypts to a valid number', async () => {
    const { rows } = await ctx.deps.pool.query('SELECT citizen_id_hash, citizen_id_enc, citizen_id_last4 FROM residents WHERE citizen_id_enc IS NOT NULL LIMIT 20');
    for (const row of rows) {
      const id = ctx.deps.vault.decrypt(row.citizen_id_enc);
      expect(id).toMatch(/^\d{12}$/);
      expect(ctx.deps.vault.hash(id)).toBe(row.citizen_id_hash);
      expect(id.endsWith(row.citizen_id_last4)).toBe(true);
    }
  });

  it('does not fail when a second run draws citizen IDs already registered; those people go without an ID', async () => {
    const rows = await ctx.deps.db.select().from(units).where(inArray(units.code, [UNIT_A, '27553']));
    const before = await count('SELECT count(*)::int AS n FROM residents WHERE citizen_id_hash IS NOT NULL');
    const again = await seedPopulation(ctx.deps.pool, ctx.deps.vault, { people: 2500, seed: 5, provinceCode: PROVINCE, units: rows, today: TODAY });
    expect(again.residents).toBe(2500);
    expect(await count('SELECT count(*)::int AS n FROM residents')).toBe(5000);
    expect(await count('SELECT count(*)::int AS n FROM residents WHERE citizen_id_hash IS NOT NULL')).toBe(before);
  });
});
