import { factConflicts, facts } from '@cds/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCE, TODAY, UNIT_A, UNIT_B, createTestApp, makeUser, signIn, type TestContext } from '../../test/test-app.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';
import { currentFacts } from '../registry/facts.queries.ts';
import { assignedHousehold, fieldWorker, makeTeam, resultsOf, visitOf } from './sync-test-kit.ts';

// A visit that contradicts a newer fact keeps both and raises a conflict; the ward's official decides.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

/** A household whose head has an import fact of 2026-11-22 saying no e-payment account, and a visit of 2026-11-20 saying yes. */
async function contradicted() {
  const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
  const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
  const [newer] = await ctx.deps.db
    .insert(facts)
    .values({ provinceCode: PROVINCE, residentId: head.id, indicator: 'epayment_account', value: 'false', sourceKind: 'import', sourceRef: 'import:7', observedOn: '2026-11-22' })
    .returning();
  await rebuildLedger(ctx.deps.db, TODAY);
  const visit = visitOf(household.id, { visitedAt: '2026-11-20T15:00:00+07:00', members: [{ residentId: head.id, present: true, actions: ['epayment_account_opened'] }] });
  const [result] = resultsOf(await worker.sync([visit]));
  return { worker, household, head, newer: newer!, visit, result: result! };
}

describe('POST /api/field/sync with a newer fact', () => {
  it('stores the visit’s fact, keeps the newer one, and raises a conflict', async () => {
    const { head, newer, visit, result } = await contradicted();
    expect(result).toMatchObject({ outcome: 'stored', conflicts: 1 });
    const all = await ctx.deps.db.select().from(facts).where(eq(facts.residentId, head.id));
    const visitFact = all.find((f) => f.sourceRef === `visit:${visit.clientVisitId}`);
    expect(visitFact).toMatchObject({ indicator: 'epayment_account', value: 'true', observedOn: '2026-11-20' });
    expect(all.find((f) => f.id === newer.id)).toBeDefined();
    // The newer fact still stands until an official decides.
    expect((await currentFacts(ctx.deps.db, PROVINCE, [head.id])).get(head.id)?.get('epayment_account')?.value).toBe('false');
    const [conflict] = await ctx.deps.db.select().from(factConflicts).where(eq(factConflicts.residentId, head.id));
    expect(conflict).toMatchObject({ status: 'open', visitFactId: visitFact!.id, newerFactId: newer.id, unitCode: UNIT_A, indicator: 'epayment_account' });
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });
});

describe('POST /api/field/conflicts/:id/decision', () => {
  it('keeps the newer fact and refuses a second decision', async () => {
    const { head } = await contradicted();
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const list = (await official.get('/api/field/conflicts')).json() as { items: { id: number; residentId: number; visitValue: string; newerValue: string; newerSource: string }[] };
    const conflict = list.items.find((c) => c.residentId === head.id)!;
    expect(conflict).toMatchObject({ visitValue: 'true', newerValue: 'false', newerSource: 'import:7' });
    const kept = await official.post(`/api/field/conflicts/${conflict.id}/decision`, { decision: 'keep_newer' });
    expect(kept.json()).toMatchObject({ status: 'kept_newer' });
    expect((await currentFacts(ctx.deps.db, PROVINCE, [head.id])).get(head.id)?.get('epayment_account')?.value).toBe('false');
    const again = await official.post(`/api/field/conflicts/${conflict.id}/decision`, { decision: 'accept_visit' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'ALREADY_DECIDED' } });
  });

  it('accepts the visit’s value as a new fact correcting the newer one, keeping the ledger right', async () => {
    const { head, newer } = await contradicted();
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const [row] = await ctx.deps.db.select().from(factConflicts).where(eq(factConflicts.residentId, head.id));
    const response = await official.post(`/api/field/conflicts/${row!.id}/decision`, { decision: 'accept_visit' });
    expect(response.json()).toMatchObject({ status: 'accepted_visit' });
    const [after] = await ctx.deps.db.select().from(factConflicts).where(eq(factConflicts.residentId, head.id));
    const [correction] = await ctx.deps.db.select().from(facts).where(eq(facts.id, after!.resolutionFactId!));
    expect(correction).toMatchObject({ value: 'true', correctsFactId: newer.id, sourceKind: 'person', residentId: head.id });
    expect((await currentFacts(ctx.deps.db, PROVINCE, [head.id])).get(head.id)?.get('epayment_account')?.value).toBe('true');
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('shows a ward’s conflicts to no official of another ward, and to no volunteer', async () => {
    const { head, worker } = await contradicted();
    const elsewhere = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
    const theirs = (await elsewhere.get('/api/field/conflicts')).json() as { items: { residentId: number }[] };
    expect(theirs.items.map((c) => c.residentId)).not.toContain(head.id);
    const [row] = await ctx.deps.db.select().from(factConflicts).where(eq(factConflicts.residentId, head.id));
    expect((await elsewhere.post(`/api/field/conflicts/${row!.id}/decision`, { decision: 'keep_newer' })).statusCode).toBe(404);
    expect((await worker.session.get('/api/field/conflicts')).statusCode).toBe(403);
  });
});
