import type { Writable } from 'node:stream';
import type {
  CompetitionCreate,
  CompetitionMembersResult,
  CompetitionMembersUpload,
  CompetitionStandings,
  CompetitionStatus,
  CompetitionView,
  PublicCompetition,
  RejectedMemberRow,
  StandingCounts,
  UnitStanding,
} from '@cds/contract';
import { competitionMembers, competitions, competitionUnits, units } from '@cds/db';
import { normalisePhone } from '@cds/domain';
import { and, asc, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { coursesOf } from './courses.service.ts';

// Competitions ("Cuộc đua"): finish some courses between two dates. Who is counted, and how:
// - the audience is everyone aged 14+ living in the chosen units (counted from the registry), or
//   the uploaded list of people (an agency's staff), each with their unit;
// - a person participates when, between the start and end dates (Vietnam days, both included),
//   they read a lesson or handed in a quiz of one of the competition's courses;
// - a participant finishes when they hold the certificate of every course of the competition,
//   issued on or before the end date. Finishers are participants, so the two rates nest.

type CompetitionRow = typeof competitions.$inferSelect;

const list = (values: readonly string[]) => (values.length === 0 ? sql`NULL` : sql.join(values.map((v) => sql`${v}`), sql`, `));

export function statusOn(row: { startsOn: string; endsOn: string }, today: string): CompetitionStatus {
  if (today < row.startsOn) return 'upcoming';
  return today > row.endsOn ? 'ended' : 'active';
}

/** Percent to one decimal; 0 for an empty audience. */
export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

function counts(audience: number, participants: number, finishers: number): StandingCounts {
  return { audience, participants, finishers, participationRate: rate(participants, audience), completionRate: rate(finishers, audience) };
}

/**
 * Units by rank: completion rate, then participation rate (exact ratios, not the rounded
 * percentages), then finishers, then participants; equal on all four share a rank.
 */
export function rankUnits<T extends StandingCounts & { unitName: string }>(rows: readonly T[]): (T & { rank: number })[] {
  const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  const key = (r: T) => [ratio(r.finishers, r.audience), ratio(r.participants, r.audience), r.finishers, r.participants];
  const sorted = [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (kb[i] ?? 0) - (ka[i] ?? 0);
    return a.unitName.localeCompare(b.unitName, 'vi');
  });
  const ranked: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const previous = ranked[i - 1];
    const tied = previous !== undefined && key(previous).every((v, k) => v === key(row)[k]);
    ranked.push({ ...row, rank: tied ? previous.rank : i + 1 });
  });
  return ranked;
}

async function unitNames(deps: AppDeps, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await deps.db.select({ code: units.code, name: units.name }).from(units).where(inArray(units.code, [...codes]));
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The units a competition is about: those chosen, or those of its listed members. */
async function audienceUnits(deps: AppDeps, row: CompetitionRow): Promise<string[]> {
  if (row.audience === 'units') {
    const rows = await deps.db.select({ code: competitionUnits.unitCode }).from(competitionUnits).where(eq(competitionUnits.competitionId, row.id));
    return rows.map((r) => r.code);
  }
  const rows = await deps.db.selectDistinct({ code: competitionMembers.unitCode }).from(competitionMembers).where(eq(competitionMembers.competitionId, row.id));
  return rows.map((r) => r.code);
}

/**
 * Whether the actor runs this competition. A list with no member yet has no units to judge by:
 * it belongs to the official who created it (and to the city).
 */
export function manages(actor: Actor, row: CompetitionRow, unitCodes: readonly string[]): boolean {
  if (actor.provinceCode !== row.provinceCode) return false;
  if (row.audience === 'list' && unitCodes.length === 0) return actor.role === 'city_admin' || (actor.role === 'unit_official' && row.createdBy === actor.userId);
  return may.manageCompetitions(actor, unitCodes);
}

/** Officials and leaders see the competitions touching one of their units; the city sees all. */
function sees(actor: Actor, row: CompetitionRow, unitCodes: readonly string[]): boolean {
  if (actor.provinceCode !== row.provinceCode || !may.readUnitAggregates(actor)) return false;
  if (actor.role !== 'unit_official' && actor.role !== 'team_leader') return true;
  return row.createdBy === actor.userId || unitCodes.some((code) => actor.unitCodes.includes(code));
}

export async function present(deps: AppDeps, actor: Actor | null, row: CompetitionRow, unitCodes: readonly string[]): Promise<CompetitionView> {
  const catalogue = await coursesOf(deps);
  const names = await unitNames(deps, unitCodes);
  const [members] =
    row.audience === 'list'
      ? await deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(competitionMembers).where(eq(competitionMembers.competitionId, row.id))
      : [{ n: 0 }];
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    status: statusOn(row, deps.today()),
    courses: row.courseSlugs.map((slug) => ({ slug, title: catalogue.bySlug.get(slug)?.course.title ?? slug })),
    audience: row.audience,
    units: [...unitCodes].map((code) => ({ code, name: names.get(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    memberCount: members?.n ?? 0,
    canManage: actor ? manages(actor, row, unitCodes) : false,
  };
}

async function findCompetition(deps: AppDeps, id: number): Promise<CompetitionRow> {
  const [row] = await deps.db.select().from(competitions).where(eq(competitions.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** A competition the actor may see, with its units; NOT_FOUND otherwise (its existence is not confirmed). */
export async function visibleCompetition(deps: AppDeps, actor: Actor, id: number): Promise<{ row: CompetitionRow; unitCodes: string[] }> {
  const row = await findCompetition(deps, id);
  const unitCodes = await audienceUnits(deps, row);
  if (!sees(actor, row, unitCodes)) throw new AppError('NOT_FOUND');
  return { row, unitCodes };
}

export async function createCompetition(deps: AppDeps, actor: Actor, input: CompetitionCreate): Promise<CompetitionView> {
  const unitCodes = input.audience === 'units' ? [...new Set(input.unitCodes ?? [])] : [];
  requireThat(may.manageCompetitions(actor, unitCodes) && (actor.role === 'city_admin' || actor.role === 'unit_official'));
  const catalogue = await coursesOf(deps);
  const unknown = input.courseSlugs.filter((slug) => !catalogue.bySlug.has(slug));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', unknown.map((slug) => ({ path: 'body.courseSlugs', message: `Không có khoá học "${slug}"` })));
  }
  if (unitCodes.length > 0) {
    const found = await deps.db.select({ code: units.code }).from(units).where(and(inArray(units.code, unitCodes), eq(units.provinceCode, actor.provinceCode)));
    const known = new Set(found.map((r) => r.code));
    const missing = unitCodes.filter((code) => !known.has(code));
    if (missing.length > 0) throw new AppError('VALIDATION_FAILED', missing.map((code) => ({ path: 'body.unitCodes', message: `Không có đơn vị mã ${code} trong thành phố` })));
  }
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(competitions)
      .values({
        provinceCode: actor.provinceCode,
        title: input.title,
        description: input.description || null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        courseSlugs: input.courseSlugs,
        audience: input.audience,
        createdBy: actor.userId,
      })
      .returning();
    if (!created) throw new AppError('INTERNAL');
    if (unitCodes.length > 0) await tx.insert(competitionUnits).values(unitCodes.map((unitCode) => ({ competitionId: created.id, unitCode })));
    await recordAudit(tx, actor, { action: 'create', recordType: 'competition', recordIds: [created.id], unitCodes, detail: { title: input.title, audience: input.audience } });
    return created;
  });
  return present(deps, actor, row, unitCodes);
}

export async function listCompetitions(deps: AppDeps, actor: Actor): Promise<CompetitionView[]> {
  requireThat(may.readUnitAggregates(actor));
  const rows = await deps.db.select().from(competitions).where(eq(competitions.provinceCode, actor.provinceCode)).orderBy(desc(competitions.startsOn), desc(competitions.id));
  const views: CompetitionView[] = [];
  for (const row of rows) {
    const unitCodes = await audienceUnits(deps, row);
    if (sees(actor, row, unitCodes)) views.push(await present(deps, actor, row, unitCodes));
  }
  return views;
}

export async function getCompetition(deps: AppDeps, actor: Actor, id: number): Promise<CompetitionView> {
  const { row, unitCodes } = await visibleCompetition(deps, actor, id);
  return present(deps, actor, row, unitCodes);
}

const FIELD_VI = { fullName: 'Họ và tên', phone: 'Số điện thoại', unitCode: 'Mã đơn vị', agency: 'Cơ quan' } as const;

/**
 * Adds people to a list competition. Each row is checked on its own: good rows are kept, bad rows
 * come back with the row number, the field and why, so the person fixes only those and sends them
 * again. A phone already in the list (or twice in the upload) is a duplicate: one person, one entry.
 * Phones are kept only as their keyed hash (to match the learner who signs in with that number)
 * and last four digits (to tell people apart on screen).
 */
export async function addCompetitionMembers(deps: AppDeps, actor: Actor, id: number, upload: CompetitionMembersUpload): Promise<CompetitionMembersResult> {
  const row = await findCompetition(deps, id);
  const currentUnits = await audienceUnits(deps, row);
  requireThat(manages(actor, row, currentUnits));
  if (row.audience !== 'list') {
    throw new AppError('VALIDATION_FAILED', [{ path: 'params.id', message: 'Cuộc thi này tính theo đơn vị, không có danh sách người tham gia' }]);
  }
  const codes = [...new Set(upload.rows.map((r) => r.unitCode.trim()).filter((c) => /^\d{5}$/.test(c)))];
  const known = new Map(
    codes.length === 0
      ? []
      : (await deps.db.select({ code: units.code, name: units.name }).from(units).where(and(inArray(units.code, codes), eq(units.provinceCode, row.provinceCode)))).map((u) => [u.code, u.name]),
  );
  const existing = new Set(
    (await deps.db.select({ hash: competitionMembers.phoneHash }).from(competitionMembers).where(eq(competitionMembers.competitionId, id))).map((r) => r.hash),
  );
  const seen = new Map<string, number>();
  const accepted: (typeof competitionMembers.$inferInsert)[] = [];
  const rejected: RejectedMemberRow[] = [];
  upload.rows.forEach((input, index) => {
    const n = index + 1;
    const problems: RejectedMemberRow['problems'] = [];
    const problem = (field: keyof typeof FIELD_VI, message: string) => problems.push({ field, message: `Dòng ${n}, cột "${FIELD_VI[field]}": ${message}` });
    const fullName = input.fullName.trim().replace(/\s+/g, ' ');
    if (fullName.length < 2) problem('fullName', 'chưa có họ và tên');
    const phone = normalisePhone(input.phone);
    let hash: string | null = null;
    if (!phone.ok) problem('phone', phone.message);
    else {
      hash = deps.vault.hash(phone.value);
      const first = seen.get(hash);
      if (existing.has(hash)) problem('phone', `số ${phone.value} đã có trong danh sách cuộc thi`);
      else if (first !== undefined) problem('phone', `số ${phone.value} trùng với dòng ${first}`);
    }
    const unitCode = input.unitCode.trim();
    if (!known.has(unitCode)) problem('unitCode', unitCode ? `không có đơn vị mã "${unitCode}" trong thành phố` : 'chưa có mã đơn vị');
    else if (!may.manageCompetitions(actor, [unitCode])) problem('unitCode', `đơn vị ${known.get(unitCode)} không thuộc phạm vi của bạn`);
    const agency = input.agency?.trim() || null;
    if (problems.length > 0 || !phone.ok || hash === null) {
      rejected.push({ row: n, input, problems });
      return;
    }
    seen.set(hash, n);
    accepted.push({ competitionId: id, fullName, phoneHash: hash, phoneLast4: phone.value.slice(-4), unitCode, agency });
  });
  const inserted = await deps.db.transaction(async (tx) => {
    let count = 0;
    for (let start = 0; start < accepted.length; start += 500) {
      // A concurrent upload of the same phone loses quietly here rather than failing the batch.
      const rows = await tx.insert(competitionMembers).values(accepted.slice(start, start + 500)).onConflictDoNothing().returning({ id: competitionMembers.id });
      count += rows.length;
    }
    await recordAudit(tx, actor, {
      action: 'create',
      recordType: 'competition_member',
      recordIds: [id],
      unitCodes: [...new Set(accepted.map((a) => a.unitCode))],
      fields: ['fullName', 'phone(hash)', 'unitCode', 'agency'],
      detail: { competitionId: id, accepted: count, rejected: rejected.length },
    });
    return count;
  });
  const [total] = await deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(competitionMembers).where(eq(competitionMembers.competitionId, id));
  return { accepted: inserted, rejected, memberCount: total?.n ?? 0 };
}

interface UnitCountRow extends Record<string, unknown> {
  unit_code: string;
  audience: string | number;
  participants: string | number;
  finishers: string | number;
}

/** The day the figures stand at: today while it runs, the end date after. */
const asOfFor = (row: CompetitionRow, today: string) => (today > row.endsOn ? row.endsOn : today < row.startsOn ? row.startsOn : today);

/** Audience, participants and finishers per unit, in one query over the registry or the list. */
async function countByUnit(deps: AppDeps, row: CompetitionRow, unitCodes: readonly string[]): Promise<Map<string, { audience: number; participants: number; finishers: number }>> {
  const asOf = asOfFor(row, deps.today());
  // The audience as (person, unit) and the learner accounts that are them.
  const audience: SQL =
    row.audience === 'units'
      ? sql`aud AS (SELECT r.id AS person, r.unit_code FROM residents r
            WHERE r.province_code = ${row.provinceCode} AND r.unit_code IN (${list(unitCodes)})
              AND r.status = 'living' AND r.merged_into_id IS NULL
              AND (CASE WHEN r.birth_date IS NOT NULL THEN r.birth_date <= (${asOf}::date - interval '14 years')::date
                        ELSE r.birth_year <= extract(year FROM ${asOf}::date)::int - 14 END)),
          lrn AS (SELECT a.person, u.id AS user_id FROM aud a JOIN users u ON u.resident_id = a.person AND u.province_code = ${row.provinceCode})`
      : sql`aud AS (SELECT m.id AS person, m.unit_code FROM competition_members m WHERE m.competition_id = ${row.id}),
          lrn AS (SELECT m.id AS person, u.id AS user_id FROM competition_members m JOIN users u ON u.phone_hash = m.phone_hash WHERE m.competition_id = ${row.id})`;
  const courses = list(row.courseSlugs);
  const vnDay = (column: SQL) => sql`(${column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${row.startsOn}::date AND ${row.endsOn}::date`;
  const { rows } = await deps.db.execute<UnitCountRow>(sql`
    WITH ${audience},
    act AS (SELECT DISTINCT l.person, l.user_id FROM lrn l
      WHERE EXISTS (SELECT 1 FROM lesson_completions lc WHERE lc.user_id = l.user_id AND lc.course_slug IN (${courses}) AND ${vnDay(sql`lc.completed_at`)})
         OR EXISTS (SELECT 1 FROM quiz_attempts qa WHERE qa.user_id = l.user_id AND qa.course_slug IN (${courses}) AND qa.submitted_at IS NOT NULL AND ${vnDay(sql`qa.submitted_at`)})),
    fin AS (SELECT DISTINCT a.person FROM act a
      WHERE (SELECT count(DISTINCT c.course_slug) FROM certificates c
             WHERE c.user_id = a.user_id AND c.kind = 'course' AND c.course_slug IN (${courses}) AND c.issued_on <= ${row.endsOn}::date) = ${row.courseSlugs.length})
    SELECT a.unit_code,
      count(*) AS audience,
      count(*) FILTER (WHERE a.person IN (SELECT person FROM act)) AS participants,
      count(*) FILTER (WHERE a.person IN (SELECT person FROM fin)) AS finishers
    FROM aud a GROUP BY a.unit_code`);
  return new Map(rows.map((r) => [r.unit_code, { audience: Number(r.audience), participants: Number(r.participants), finishers: Number(r.finishers) }]));
}

async function standingsOf(deps: AppDeps, row: CompetitionRow, unitCodes: readonly string[]): Promise<{ asOf: string; units: UnitStanding[]; totals: StandingCounts; leaderboard: UnitStanding[] }> {
  const byUnit = await countByUnit(deps, row, unitCodes);
  const names = await unitNames(deps, unitCodes);
  const rows = unitCodes.map((code) => {
    const c = byUnit.get(code) ?? { audience: 0, participants: 0, finishers: 0 };
    return { unitCode: code, unitName: names.get(code) ?? code, ...counts(c.audience, c.participants, c.finishers) };
  });
  const leaderboard = rankUnits(rows);
  const rankOf = new Map(leaderboard.map((r) => [r.unitCode, r.rank]));
  const sum = (key: 'audience' | 'participants' | 'finishers') => rows.reduce((total, r) => total + r[key], 0);
  return {
    asOf: asOfFor(row, deps.today()),
    units: rows.map((r) => ({ ...r, rank: rankOf.get(r.unitCode) ?? 0 })).sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi')),
    totals: counts(sum('audience'), sum('participants'), sum('finishers')),
    leaderboard,
  };
}

/** Counts and rates per unit: aggregates, for anyone who may see the competition. */
export async function competitionStandings(deps: AppDeps, actor: Actor, id: number): Promise<CompetitionStandings> {
  const { row, unitCodes } = await visibleCompetition(deps, actor, id);
  return { competition: await present(deps, actor, row, unitCodes), ...(await standingsOf(deps, row, unitCodes)) };
}

/** For the residents' site: running competitions, and those ended in the last 60 days. No names, only counts. */
export async function publicCompetitions(deps: AppDeps): Promise<PublicCompetition[]> {
  const today = deps.today();
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);
  const rows = await deps.db
    .select()
    .from(competitions)
    .where(and(eq(competitions.provinceCode, deps.config.provinceCode), gte(competitions.endsOn, since), sql`${competitions.startsOn} <= ${today}::date`))
    .orderBy(desc(competitions.endsOn), asc(competitions.id))
    .limit(20);
  const catalogue = await coursesOf(deps);
  const out: PublicCompetition[] = [];
  for (const row of rows) {
    const unitCodes = await audienceUnits(deps, row);
    const standing = await standingsOf(deps, row, unitCodes);
    out.push({
      id: row.id,
      title: row.title,
      description: row.description,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      status: statusOn(row, today),
      courses: row.courseSlugs.map((slug) => ({ slug, title: catalogue.bySlug.get(slug)?.course.title ?? slug })),
      totals: standing.totals,
      leaderboard: standing.leaderboard,
    });
  }
  return out;
}

export interface PreparedCompetitionReport {
  standings: CompetitionStandings;
  /** participated/finished are null for a member whose account holds a registry record outside the reader's units. */
  members: { fullName: string; phoneLast4: string; unitCode: string; agency: string | null; participated: boolean | null; finished: boolean | null }[] | null;
}

/**
 * The report: standings, and for a list competition its members with whether each took part and
 * finished (names: only for those who run the competition, and audited as an export).
 */
export async function prepareCompetitionReport(deps: AppDeps, actor: Actor, id: number): Promise<PreparedCompetitionReport> {
  const standings = await competitionStandings(deps, actor, id);
  const row = await findCompetition(deps, id);
  let members: PreparedCompetitionReport['members'] = null;
  if (row.audience === 'list' && standings.competition.canManage) {
    const courses = list(row.courseSlugs);
    const vnDay = (column: SQL) => sql`(${column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${row.startsOn}::date AND ${row.endsOn}::date`;
    const { rows } = await deps.db.execute<{ full_name: string; phone_last4: string; unit_code: string; agency: string | null; record_unit: string | null; participated: boolean; finished: boolean }>(sql`
      WITH m AS (SELECT m.*, u.id AS user_id, r.unit_code AS record_unit FROM competition_members m LEFT JOIN users u ON u.phone_hash = m.phone_hash
        LEFT JOIN residents r ON r.province_code = u.province_code AND r.id = u.resident_id WHERE m.competition_id = ${id}),
      a AS (SELECT m.*, (m.user_id IS NOT NULL AND (
          EXISTS (SELECT 1 FROM lesson_completions lc WHERE lc.user_id = m.user_id AND lc.course_slug IN (${courses}) AND ${vnDay(sql`lc.completed_at`)})
          OR EXISTS (SELECT 1 FROM quiz_attempts qa WHERE qa.user_id = m.user_id AND qa.course_slug IN (${courses}) AND qa.submitted_at IS NOT NULL AND ${vnDay(sql`qa.submitted_at`)}))) AS participated
        FROM m)
      SELECT a.full_name, a.phone_last4, a.unit_code, a.agency, a.record_unit, a.participated,
        (a.participated AND (SELECT count(DISTINCT c.course_slug) FROM certificates c WHERE c.user_id = a.user_id AND c.kind = 'course'
           AND c.course_slug IN (${courses}) AND c.issued_on <= ${row.endsOn}::date) = ${row.courseSlugs.length}) AS finished
      FROM a ORDER BY a.unit_code, a.full_name, a.id`);
    // A list is typed by an official: a phone of someone registered in another ward must not tell
    // that official whether the person learns. Their progress counts in the figures, unnamed.
    const mayRead = (recordUnit: string | null) => actor.role === 'city_admin' || recordUnit === null || actor.unitCodes.includes(recordUnit);
    members = rows.map((r) => {
      const shown = mayRead(r.record_unit);
      return { fullName: r.full_name, phoneLast4: r.phone_last4, unitCode: r.unit_code, agency: r.agency, participated: shown ? Boolean(r.participated) : null, finished: shown ? Boolean(r.finished) : null };
    });
  }
  await recordAudit(deps.db, actor, {
    action: 'export',
    recordType: 'competition',
    recordIds: [id],
    unitCodes: standings.units.map((u) => u.unitCode),
    fields: members ? ['standings', 'members.fullName', 'members.phone(last4)', 'members.progress'] : ['standings'],
  });
  return { standings, members };
}

export async function writeCompetitionReport({ standings, members }: PreparedCompetitionReport, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const c = standings.competition;
  const sheet = workbook.addWorksheet('Kết quả theo đơn vị', { views: [{ state: 'frozen', ySplit: 4 }] });
  sheet.columns = [{ width: 8 }, { width: 30 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }];
  sheet.addRow([c.title]).font = { bold: true, size: 14 };
  sheet.addRow([`Từ ${c.startsOn} đến ${c.endsOn}; số liệu tính đến ${standings.asOf}. Khoá học: ${c.courses.map((x) => x.title).join(', ')}`]).commit();
  sheet.addRow([]).commit();
  const header = sheet.addRow(['Hạng', 'Đơn vị', 'Đối tượng', 'Tham gia', 'Hoàn thành', 'Tỷ lệ tham gia (%)', 'Tỷ lệ hoàn thành (%)']);
  header.font = { bold: true };
  header.commit();
  for (const u of standings.leaderboard) sheet.addRow([u.rank, u.unitName, u.audience, u.participants, u.finishers, u.participationRate, u.completionRate]).commit();
  const t = standings.totals;
  const total = sheet.addRow(['', 'Tổng', t.audience, t.participants, t.finishers, t.participationRate, t.completionRate]);
  total.font = { bold: true };
  total.commit();
  sheet.commit();
  if (members) {
    const people = workbook.addWorksheet('Danh sách', { views: [{ state: 'frozen', ySplit: 1 }] });
    people.columns = [
      { header: 'Họ và tên', width: 28 },
      { header: 'Điện thoại (4 số cuối)', width: 12 },
      { header: 'Mã đơn vị', width: 10 },
      { header: 'Cơ quan', width: 28 },
      { header: 'Đã tham gia', width: 12 },
      { header: 'Đã hoàn thành', width: 12 },
    ];
    people.getRow(1).font = { bold: true };
    for (const m of members) people.addRow([m.fullName, `…${m.phoneLast4}`, m.unitCode, m.agency ?? '', yesNo(m.participated), yesNo(m.finished)]).commit();
    people.commit();
  }
  await workbook.commit();
}

/** "Có"/"Chưa", or a dash where the reader may not see the person's progress. */
const yesNo = (value: boolean | null) => (value === null ? '—' : value ? 'Có' : 'Chưa');
