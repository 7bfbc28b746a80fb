import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facts, importBatches } from '@cds/db';
import { eq } from 'drizzle-orm';
import { PROVINCE, UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type TestContext } from '../../test/test-app.ts';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/system-actor.ts';
import { currentFacts } from '../registry/facts.queries.ts';
import { importSourceFile } from './import-file.service.ts';
import { rollbackImport } from './import-rollback.service.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';

let ctx: TestContext;
let actor: Actor;
beforeAll(async () => {
  ctx = await createTestApp();
  actor = await systemActor(ctx.deps.db, PROVINCE, 'rollback');
});
afterAll(async () => ctx?.close());

const encode = (text: string) => new TextEncoder().encode(text);
const count = async (what: string) => (await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM ${what}`)).rows[0].n as number;
const snapshot = async () => ({
  residents: await count('residents'),
  households: await count('households'),
  organisations: await count('organisations'),
});
const vneidOf = async (residentId: number) => (await currentFacts(ctx.deps.db, PROVINCE, [residentId])).get(residentId)?.get('vneid')?.value ?? null;
const batchRow = async (id: number) => (await ctx.deps.db.select().from(importBatches).where(eq(importBatches.id, id)))[0];

// A resident already registered (with a VNeID level a visit recorded) and a household already
// classified, before any list arrives.
const RESIDENCE = [
  'Họ và tên,Ngày sinh,Số CCCD,Địa chỉ,Mã hộ',
  'Lý Văn Có,10/10/1970,079070000111,"1 Lê Lợi, Phường Sài Gòn",C01',
  'Lý Thị Mới,11/11/1975,079175000222,"1 Lê Lợi, Phường Sài Gòn",N01',
  'Lý Văn Mới,12/12/2000,079200000333,"1 Lê Lợi, Phường Sài Gòn",N01',
].join('\n');

describe('POST /api/imports/:id/rollback (rollbackImport)', () => {
  let existingId: number;
  let existingHousehold: number;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let residenceBatch: number;
  let vneidBatch: number;
  let povertyBatch: number;

  beforeAll(async () => {
    const household = await makeHousehold(ctx, UNIT_A, { householdCode: 'C01' });
    existingHousehold = household.id;
    const existing = await makeResident(ctx, household, { fullName: 'Lý Văn Có', birthDate: '1970-10-10', citizenId: '079070000111' });
    existingId = existing.id;
    await ctx.deps.db.insert(facts).values({ provinceCode: PROVINCE, residentId: existingId, indicator: 'vneid', value: 'level1', sourceKind: 'visit', observedOn: '2026-01-05' });
    // The factories write around the services; the dashboard's ledger starts from them.
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    before = await snapshot();
  });

  it('imports a residence list, a VNeID list and a poverty list over the registry', async () => {
    residenceBatch = (await importSourceFile(ctx.deps, actor, { bytes: encode(RESIDENCE), fileName: 'cu-tru.csv', sourceType: 'residence_list' })).batchId;
    const vneid = 'Số CCCD,Họ tên,Mức định danh\n079070000111,Lý Văn Có,Mức 2\n079175000222,Lý Thị Mới,Mức 2\n';
    vneidBatch = (await importSourceFile(ctx.deps, actor, { bytes: encode(vneid), fileName: 'vneid.csv', sourceType: 'vneid_activation' })).batchId;
    const poverty = 'Họ và tên,Số CCCD,Phân loại hộ,Năm\nLý Văn Có,079070000111,Hộ nghèo,2026\n';
    povertyBatch = (await importSourceFile(ctx.deps, actor, { bytes: encode(poverty), fileName: 'ngheo.csv', sourceType: 'poverty_list' })).batchId;
    expect(await snapshot()).toEqual({ ...before, residents: before.residents + 2, households: before.households + 1 });
    expect(await vneidOf(existingId)).toBe('level2');
    // The dashboard's figures followed every chunk: a recomputation from the registry agrees.
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('restores the fields a list overwrote: the household is no longer poor', async () => {
    const result = await rollbackImport(ctx.deps, actor, povertyBatch);
    expect(result).toMatchObject({ restoredRecords: 1, removedResidents: 0, batch: { status: 'rolled_back' } });
    const { rows } = await ctx.deps.pool.query('SELECT poverty_status, poverty_list_year FROM households WHERE id = $1', [existingHousehold]);
    expect(rows[0]).toEqual({ poverty_status: 'none', poverty_list_year: null });
  });

  it('withdraws a list’s facts with retraction facts, so the value before the list stands again', async () => {
    const factsBefore = await count('facts');
    const result = await rollbackImport(ctx.deps, actor, vneidBatch);
    expect(result).toMatchObject({ retractedFacts: 2, removedFacts: 0, batch: { status: 'rolled_back' } });
    expect(await vneidOf(existingId)).toBe('level1');
    // Nothing deleted: two more facts, each naming the one it withdraws.
    expect(await count('facts')).toBe(factsBefore + 2);
    const { rows } = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM facts WHERE retracts AND corrects_fact_id IS NOT NULL AND import_batch_id = $1', [vneidBatch]);
    expect(rows[0].n).toBe(2);
  });

  it('removes the residents and households only the rolled-back lists knew of, keeps the rows, and refuses a second rollback', async () => {
    const result = await rollbackImport(ctx.deps, actor, residenceBatch);
    // Lý Thị Mới's withdrawn VNeID facts go with her: they were the rolled-back list's.
    expect(result).toMatchObject({ removedResidents: 2, removedHouseholds: 1, removedFacts: 2, batch: { status: 'rolled_back', applied: 3 } });
    expect(await snapshot()).toEqual(before);
    expect(await vneidOf(existingId)).toBe('level1');
    expect(await count(`import_rows WHERE batch_id = ${residenceBatch}`)).toBe(3);
    await expect(rollbackImport(ctx.deps, actor, residenceBatch)).rejects.toMatchObject({ code: 'IMPORT_ROLLED_BACK' });
    const { rows } = await ctx.deps.pool.query("SELECT detail FROM audit_log WHERE action = 'rollback' ORDER BY id DESC LIMIT 1");
    expect(rows[0].detail).toMatchObject({ removedResidents: 2 });
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('keeps facts append-only outside a rollback', async () => {
    const { rows } = await ctx.deps.pool.query('SELECT id FROM facts WHERE import_batch_id IS NOT NULL LIMIT 1');
    await expect(ctx.deps.pool.query('DELETE FROM facts WHERE id = $1', [rows[0].id])).rejects.toThrow(/append-only/);
  });

  it('imports the same file again after its rollback, as a new batch that applies', async () => {
    const again = await importSourceFile(ctx.deps, actor, { bytes: encode(RESIDENCE), fileName: 'cu-tru.csv', sourceType: 'residence_list' });
    expect(again).toMatchObject({ alreadyImported: false, applied: 3 });
    expect(again.batchId).not.toBe(residenceBatch);
    expect(await snapshot()).toEqual({ ...before, residents: before.residents + 2, households: before.households + 1 });
    // And the file is recognised again while the new import stands.
    expect(await importSourceFile(ctx.deps, actor, { bytes: encode(RESIDENCE), fileName: 'cu-tru.csv', sourceType: 'residence_list' })).toMatchObject({
      alreadyImported: true,
      batchId: again.batchId,
    });
  });

  it('keeps a resident the batch created when another source has spoken about them since', async () => {
    const file = 'Họ và tên,Ngày sinh,Số CCCD,Địa chỉ\nĐào Văn Giữ,01/01/1960,079060000444,"3 Lê Lợi, Phường Sài Gòn"\n';
    const batch = await importSourceFile(ctx.deps, actor, { bytes: encode(file), fileName: 'giu.csv', sourceType: 'residence_list' });
    const { rows } = await ctx.deps.pool.query("SELECT id FROM residents WHERE full_name = 'Đào Văn Giữ'");
    await ctx.deps.db.insert(facts).values({ provinceCode: PROVINCE, residentId: rows[0].id, indicator: 'smartphone', value: 'true', sourceKind: 'visit', observedOn: '2026-11-20' });
    const result = await rollbackImport(ctx.deps, actor, batch.batchId);
    expect(result).toMatchObject({ removedResidents: 0, removedHouseholds: 0 });
    expect(await count("residents WHERE full_name = 'Đào Văn Giữ'")).toBe(1);
  });
});

describe('rolling back a killed import', () => {
  const lines = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ'];
  for (let i = 0; i < 25; i++) lines.push(`Người Ngắt ${String.fromCharCode(65 + i)},01/01/1981,0790810${String(20000 + i).padStart(5, '0')},"${i} Pasteur, Phường Sài Gòn"`);
  const bytes = encode(lines.join('\n'));

  it('refuses while the import may still be running, then removes the committed chunk once it has stopped', async () => {
    const before = await snapshot();
    let chunks = 0;
    await expect(
      importSourceFile(ctx.deps, actor, {
        bytes,
        fileName: 'ngat.csv',
        sourceType: 'residence_list',
        chunkSize: 10,
        onProgress: () => {
          if (++chunks === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const [halfway] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.fileName, 'ngat.csv'));
    if (!halfway) throw new Error('no batch');
    expect(halfway).toMatchObject({ status: 'running', applied: 10 });
    await expect(rollbackImport(ctx.deps, actor, halfway.id)).rejects.toMatchObject({ code: 'IMPORT_RUNNING' });
    // Minutes later, nothing has moved: the process is gone.
    await ctx.deps.pool.query("UPDATE import_batches SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1", [
      halfway.id,
    ]);
    const result = await rollbackImport(ctx.deps, actor, halfway.id);
    expect(result).toMatchObject({ removedResidents: 10, batch: { status: 'rolled_back' } });
    expect(await snapshot()).toEqual(before);
  });

  it('stops a straggling chunk of a rolled-back import instead of writing it', async () => {
    const [batch] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.fileName, 'ngat.csv'));
    expect((await batchRow(batch?.id ?? 0))?.status).toBe('rolled_back');
    // A fresh run of the file is a new batch; the rolled-back one is never resumed.
    const again = await importSourceFile(ctx.deps, actor, { bytes, fileName: 'ngat.csv', sourceType: 'residence_list', chunkSize: 10 });
    expect(again).toMatchObject({ resumedAfter: 0, applied: 25 });
  });
});

describe('who may roll back', () => {
  it('lets a ward official roll back their own import, and hides another ward’s import from them', async () => {
    const userA = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const userB = await makeUser(ctx, 'unit_official', { units: [UNIT_B] });
    const officialA: Actor = { userId: userA.id, username: userA.username, role: 'unit_official', provinceCode: PROVINCE, unitCodes: [UNIT_A], residentId: null, ip: null, userAgent: null };
    const file = 'Họ và tên,Ngày sinh,Địa chỉ\nTô Văn Phường,01/01/1972,"7 Lê Lợi, Phường Sài Gòn"\n';
    const batch = await importSourceFile(ctx.deps, officialA, { bytes: encode(file), fileName: 'phuong-a.csv', sourceType: 'residence_list' });

    const sessionB = await signIn(ctx, userB);
    const refused = await sessionB.post(`/api/imports/${batch.batchId}/rollback`);
    expect(refused.statusCode).toBe(404);
    const volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer', { units: [UNIT_A] }));
    expect((await volunteer.post(`/api/imports/${batch.batchId}/rollback`)).statusCode).toBe(403);

    const sessionA = await signIn(ctx, userA);
    const done = await sessionA.post(`/api/imports/${batch.batchId}/rollback`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ removedResidents: 1, batch: { status: 'rolled_back' } });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/imports/{id}/rollback']?.post?.responses?.['200']).toBeDefined();
  });
});

describe('migration 20261202-03-import-rollback.sql', () => {
  it('names the batch of facts recorded before it from their source reference, and only those', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const resident = await makeResident(ctx, household, { fullName: 'Phan Văn Cũ', citizenId: null });
    const legacy = { provinceCode: PROVINCE, residentId: resident.id, indicator: 'vneid', value: 'level1', observedOn: '2026-11-01' } as const;
    await ctx.deps.db.insert(facts).values([
      { ...legacy, sourceKind: 'import', sourceRef: 'Nhập tệp ds (lần nhập #3).csv (lần nhập #41), dòng 7' },
      { ...legacy, sourceKind: 'visit', sourceRef: 'Thăm hộ (lần nhập #41), dòng 7' },
    ]);
    // The backfill statements exactly as the migration runs them.
    const migration = readFileSync(new URL('../../../../../packages/db/migrations/20261202-03-import-rollback.sql', import.meta.url), 'utf8');
    const backfill = migration.slice(migration.indexOf('ALTER TABLE facts DISABLE TRIGGER'), migration.indexOf('ALTER TABLE facts ENABLE TRIGGER'));
    const client = await ctx.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`${backfill} ALTER TABLE facts ENABLE TRIGGER facts_append_only;`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await ctx.deps.pool.query('SELECT source_kind, import_batch_id FROM facts WHERE resident_id = $1 ORDER BY id', [resident.id]);
    expect(rows.map((r: { source_kind: string; import_batch_id: string | null }) => [r.source_kind, r.import_batch_id === null ? null : Number(r.import_batch_id)])).toEqual([
      ['import', 41],
      ['visit', null],
    ]);
    await expect(ctx.deps.pool.query('UPDATE facts SET value = $1 WHERE resident_id = $2', ['level2', resident.id])).rejects.toThrow(/append-only/);
  });
});
