import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '@cds/db';
import { inArray, sql } from 'drizzle-orm';
import { DEMO_TEAM_NAME, DEMO_UNITS, ensureDemoUsers } from '../../demo/demo-data.ts';
import { seedDemoVisits } from '../../demo/demo-visits.ts';
import { HCMC_PROVINCE_CODE } from '../../demo/reference-data.ts';
import { seedPopulation } from '../registry/seed-population.ts';
import { TODAY, createTestApp, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp();
  const demoUnits = await ctx.deps.db.select().from(units).where(inArray(units.code, [...DEMO_UNITS]));
  await seedPopulation(ctx.deps.pool, ctx.deps.vault, { people: 600, seed: 2026, provinceCode: HCMC_PROVINCE_CODE, units: demoUnits, today: TODAY });
});
afterAll(async () => ctx?.close());

describe('the demo team', () => {
  it('is made once, however often the demo set-up runs', async () => {
    await ensureDemoUsers(ctx.deps.db);
    await ensureDemoUsers(ctx.deps.db);
    const { rows: teams } = await ctx.deps.db.execute<{ id: number; leader: string; unit_code: string }>(sql`
      SELECT t.id, u.username AS leader, t.unit_code FROM teams t JOIN users u ON u.id = t.leader_user_id WHERE t.name = ${DEMO_TEAM_NAME}`);
    expect(teams).toEqual([expect.objectContaining({ leader: 'leader', unit_code: DEMO_UNITS[0] })]);
    const teamId = teams[0]!.id;
    const { rows: members } = await ctx.deps.db.execute<{ username: string }>(sql`
      SELECT u.username FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ${teamId} AND m.removed_at IS NULL`);
    expect(members.map((m) => m.username)).toEqual(['volunteer']);
    const { rows: areas } = await ctx.deps.db.execute(sql`SELECT 1 FROM team_areas WHERE team_id = ${teamId} AND removed_at IS NULL AND neighbourhood_id IS NOT NULL`);
    expect(areas).toHaveLength(1);
    const { rows: assigned } = await ctx.deps.db.execute<{ user: string; team_id: number | null }>(sql`
      SELECT u.username AS user, a.team_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username IN ('leader', 'volunteer')`);
    const { rows: inArea } = await ctx.deps.db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM households h JOIN team_areas ta ON ta.neighbourhood_id = h.neighbourhood_id WHERE ta.team_id = ${teamId}`);
    expect(Number(inArea[0]!.n)).toBeGreaterThan(0);
    expect(assigned).toHaveLength(Math.min(12, Number(inArea[0]!.n)));
    expect(assigned.every((a) => a.user === 'volunteer' && Number(a.team_id) === Number(teamId))).toBe(true);
    const { rows: quotas } = await ctx.deps.db.execute<{ plan_id: string }>(sql`SELECT plan_id FROM field_quotas WHERE team_id = ${teamId}`);
    expect(quotas).toEqual([{ plan_id: 'hcmc-2026' }]);
  });

  it('has last week’s rounds of the volunteer, stored through the sync path with their facts and needs', async () => {
    await ensureDemoUsers(ctx.deps.db);
    const { rows: given } = await ctx.deps.db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'volunteer'`);
    const rounds = Math.min(6, Number(given[0]!.n));
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(await seedDemoVisits(ctx.deps, 'volunteer')).toBe(rounds);
    const { rows } = await ctx.deps.db.execute<{ outcome: string }>(sql`
      SELECT outcome FROM field_visits v JOIN users u ON u.id = v.user_id WHERE u.username = 'volunteer' ORDER BY v.visited_at, v.id`);
    expect(rows.map((r) => r.outcome)).toEqual(['done', 'nobody_home', 'done', 'done', 'refused', 'done'].slice(0, rounds));
    const { rows: facts } = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM facts WHERE source_kind = 'visit' AND source_ref LIKE 'visit:%'`);
    expect(Number(facts[0]!.n)).toBeGreaterThan(0);
    const { rows: needs } = await ctx.deps.db.execute<{ kind: string }>(sql`SELECT kind FROM household_needs WHERE status = 'open' ORDER BY kind`);
    expect(needs.map((n) => n.kind)).toEqual(['device', 'return_visit']);
  });
});
