import type { Role } from '@cds/contract';
import { assignments, deviceDeliveries, devicePledges, deviceStock, facts, households, neighbourhoods, organisations, residents, sponsors, teamAreas, teamMembers, teams, units, type Db } from '@cds/db';
import { addDays, createRandom, foldVietnamese } from '@cds/domain';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type pg from 'pg';
import { upsertUser } from '../modules/access/users.service.ts';
import { BUNDLED_PLANS_DIR, loadPlanFiles } from '../modules/indicators/plan-files.ts';
import { vietnamToday } from '../platform/deps.ts';
import { seedPopulation, type SeedResult } from '../modules/registry/seed-population.ts';
import type { PersonalDataVault } from '../platform/personal-data-vault.ts';
import { HCMC_PROVINCE_CODE } from './reference-data.ts';

// Demo data for a first start: three real units (two central wards and a rural commune, so
// both "khu phố" and "ấp" appear) and one login per role. The passwords are public by design;
// a real deployment creates its own users and never runs the demo seed.

export const DEMO_UNITS = ['26740', '26743', '27553'] as const; // Phường Sài Gòn, Phường Bến Thành, Xã Củ Chi
export const DEMO_PEOPLE = 30_000;
export const DEMO_SEED = 2026;

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  units: string[];
  displayName: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { username: 'admin', password: 'admin-demo-2026', role: 'city_admin', units: [], displayName: 'Quản trị Thành phố' },
  { username: 'analyst', password: 'analyst-demo-2026', role: 'analyst', units: [], displayName: 'Chuyên viên phân tích' },
  { username: 'auditor', password: 'auditor-demo-2026', role: 'auditor', units: [], displayName: 'Kiểm toán viên' },
  { username: 'saigon', password: 'saigon-demo-2026', role: 'unit_official', units: ['26740'], displayName: 'Cán bộ Phường Sài Gòn' },
  { username: 'benthanh', password: 'benthanh-demo-2026', role: 'unit_official', units: ['26743'], displayName: 'Cán bộ Phường Bến Thành' },
  { username: 'cuchi', password: 'cuchi-demo-2026', role: 'unit_official', units: ['27553'], displayName: 'Cán bộ Xã Củ Chi' },
  { username: 'leader', password: 'leader-demo-2026', role: 'team_leader', units: ['26740'], displayName: 'Tổ trưởng Tổ công nghệ số cộng đồng' },
  { username: 'volunteer', password: 'volunteer-demo-2026', role: 'volunteer', units: [], displayName: 'Tình nguyện viên' },
  { username: 'sponsor', password: 'sponsor-demo-2026', role: 'sponsor', units: [], displayName: 'Nhà tài trợ' },
  { username: 'citizen', password: 'citizen-demo-2026', role: 'citizen', units: [], displayName: 'Người dân' },
];

export async function seedDemoPopulation(db: Db, pool: pg.Pool, vault: PersonalDataVault, today: string, onProgress?: (done: number) => void): Promise<SeedResult> {
  const rows = await db.select().from(units).where(inArray(units.code, [...DEMO_UNITS])).orderBy(asc(units.code));
  const result = await seedPopulation(pool, vault, { people: DEMO_PEOPLE, seed: DEMO_SEED, provinceCode: HCMC_PROVINCE_CODE, units: rows, today, ...(onProgress ? { onProgress } : {}) });
  await seedDemoOrganisations(db, rows, today);
  return result;
}

const ORGANISATION_KINDS = [
  ['business', 'Công ty TNHH'],
  ['business', 'Công ty Cổ phần'],
  ['cooperative', 'Hợp tác xã'],
  ['agency', 'Trường Tiểu học'],
  ['organisation', 'Hội Liên hiệp Phụ nữ'],
] as const;
const TRADES = ['Thương mại', 'Dịch vụ', 'Xây dựng', 'Vận tải', 'Nông sản', 'May mặc', 'Du lịch', 'Thực phẩm'];

/**
 * Forty bodies per demo unit, so the plans' organisation indicators (organisation VNeID, the City
 * app) show figures: about two in three have activated VNeID and half the app, recorded on days
 * spread over 2026 so the trend chart has a line.
 */
async function seedDemoOrganisations(db: Db, unitRows: readonly { code: string; name: string; provinceCode: string }[], today: string): Promise<void> {
  const random = createRandom(DEMO_SEED + 1);
  const start = Date.parse('2026-01-05T00:00:00Z');
  const span = Math.max(1, Date.parse(`${today}T00:00:00Z`) - start);
  const day = () => new Date(start + Math.floor(random.next() * span)).toISOString().slice(0, 10);
  for (const unit of unitRows) {
    for (let i = 1; i <= 40; i++) {
      const [kind, prefix] = random.pick(ORGANISATION_KINDS);
      const name = kind === 'business' || kind === 'cooperative' ? `${prefix} ${random.pick(TRADES)} ${unit.name} ${i}` : `${prefix} ${unit.name} ${i}`;
      const [created] = await db
        .insert(organisations)
        .values({
          provinceCode: unit.provinceCode,
          unitCode: unit.code,
          name,
          nameFolded: foldVietnamese(name),
          kind,
          taxCode: kind === 'business' || kind === 'cooperative' ? String(3_000_000_000 + Number(unit.code) * 100 + i) : null,
        })
        .returning({ id: organisations.id });
      if (!created) continue;
      const stated = [
        ...(random.next() < 0.65 ? [{ indicator: 'vneid', value: 'level2' }] : []),
        ...(random.next() < 0.5 ? [{ indicator: 'city_app_installed', value: 'true' }] : []),
      ];
      if (stated.length > 0) {
        await db.insert(facts).values(
          stated.map((f) => ({ provinceCode: unit.provinceCode, organisationId: created.id, ...f, sourceKind: 'seed' as const, observedOn: day() })),
        );
      }
    }
  }
}

/**
 * Creates (or resets) the demo logins. The citizen login is tied to a resident of the first demo
 * unit; the team leader leads the demo team there, the volunteer is in it (ensureDemoTeam).
 */
export async function ensureDemoUsers(db: Db): Promise<DemoLogin[]> {
  const [citizenRecord] = await db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.unitCode, DEMO_UNITS[0]), eq(residents.relationToHead, 'head'), eq(residents.status, 'living'), sql`${residents.citizenIdHash} IS NOT NULL`))
    .orderBy(asc(residents.id))
    .limit(1);
  const ids = new Map<string, number>();
  for (const login of DEMO_LOGINS) {
    const id = await upsertUser(db, {
      username: login.username,
      password: login.password,
      role: login.role,
      displayName: login.displayName,
      provinceCode: HCMC_PROVINCE_CODE,
      unitCodes: login.units,
      residentId: login.role === 'citizen' ? (citizenRecord?.id ?? null) : null,
    });
    ids.set(login.username, id);
  }
  const leaderId = ids.get('leader');
  const volunteerId = ids.get('volunteer');
  if (leaderId !== undefined && volunteerId !== undefined) await ensureDemoTeam(db, leaderId, volunteerId);
  const sponsorId = ids.get('sponsor');
  if (sponsorId !== undefined) await ensureDemoSponsor(db, sponsorId);
  await ensureDemoLearner(db);
  return [...DEMO_LOGINS];
}

/**
 * Residents sign in to the learning site (/learn) with a code sent to their phone; without an SMS
 * gateway the code is printed in the server log. The demo learner's phone is held by exactly one
 * registry record (another head of household than the citizen login's), so signing in with it
 * links the account to that record, as it would for a real resident.
 */
export const DEMO_LEARNER_PHONE = '0901234567';

async function ensureDemoLearner(db: Db): Promise<void> {
  const heads = await db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.unitCode, DEMO_UNITS[0]), eq(residents.relationToHead, 'head'), eq(residents.status, 'living'), sql`${residents.citizenIdHash} IS NOT NULL`))
    .orderBy(asc(residents.id))
    .limit(2);
  const learner = heads[1];
  if (!learner) return;
  await db.update(residents).set({ phone: null }).where(and(eq(residents.phone, DEMO_LEARNER_PHONE), sql`${residents.id} <> ${learner.id}`));
  await db.update(residents).set({ phone: DEMO_LEARNER_PHONE, phoneCarrier: 'mobifone' }).where(eq(residents.id, learner.id));
}

/**
 * The demo sponsor login's company, with a device pledge to the first demo unit of which twenty
 * arrived, a union's money pledge (no login), and a business's registration waiting for the city
 * (to try approving one). Made once: found by the login next time.
 */
async function ensureDemoSponsor(db: Db, sponsorUserId: number): Promise<void> {
  const [existing] = await db.select({ id: sponsors.id }).from(sponsors).where(eq(sponsors.userId, sponsorUserId));
  if (existing) return;
  const unitCode = DEMO_UNITS[0];
  const [unit] = await db.select({ provinceCode: units.provinceCode }).from(units).where(eq(units.code, unitCode));
  if (!unit) return;
  await db.transaction(async (tx) => {
    const [company] = await tx
      .insert(sponsors)
      .values({ provinceCode: unit.provinceCode, kind: 'business', name: 'Công ty Cổ phần Viễn thông Demo', contactName: 'Phòng Cộng đồng', contactEmail: 'congdong@example.vn', showPublicly: true, userId: sponsorUserId })
      .returning({ id: sponsors.id });
    const [union] = await tx
      .insert(sponsors)
      .values({ provinceCode: unit.provinceCode, kind: 'union', name: 'Liên đoàn Lao động Demo', showPublicly: true })
      .returning({ id: sponsors.id });
    if (!company || !union) return;
    const [pledge] = await tx
      .insert(devicePledges)
      .values({ sponsorId: company.id, kind: 'device', model: 'Samsung Galaxy A06 4G', network: '4g', quantity: 50, deliveryUnitCode: unitCode, deliveryPlace: 'Trụ sở UBND phường', received: 20 })
      .returning({ id: devicePledges.id });
    await tx.insert(devicePledges).values({ sponsorId: union.id, kind: 'money', network: '4g', quantity: 40, amountVnd: 40_000_000, subsidyPerDeviceVnd: 1_000_000 });
    await tx.insert(sponsors).values({
      provinceCode: unit.provinceCode,
      kind: 'business',
      name: 'Công ty TNHH Điện thoại Nhân Ái (demo)',
      taxCode: '0312345678',
      contactName: 'Nguyễn Văn Bình',
      contactPhone: '0912345678',
      contactEmail: 'binh@example.vn',
      showPublicly: true,
      intent: '200 điện thoại 4G cho hộ nghèo, giao trong tháng 1',
      status: 'pending',
    });
    if (!pledge) return;
    const [stock] = await tx
      .insert(deviceStock)
      .values({ provinceCode: unit.provinceCode, unitCode, pledgeId: pledge.id, received: 20, available: 20, lastReceivedOn: vietnamToday() })
      .returning({ id: deviceStock.id });
    if (stock) await tx.insert(deviceDeliveries).values({ stockId: stock.id, pledgeId: pledge.id, unitCode, quantity: 20, receivedOn: vietnamToday() });
  });
}

export const DEMO_TEAM_NAME = 'Tổ công nghệ số cộng đồng khu phố 1';
const DEMO_PLAN = 'hcmc-2026';

/**
 * The demo leader's team in the first demo unit: given the unit's first neighbourhood (or its
 * first forty households when it has none), the demo volunteer a member with twelve of them, and
 * a quota for the plan's current phase. Safe to run again: each step finds what it made before.
 */
async function ensureDemoTeam(db: Db, leaderId: number, volunteerId: number): Promise<void> {
  const unitCode = DEMO_UNITS[0];
  const [unit] = await db.select({ provinceCode: units.provinceCode }).from(units).where(eq(units.code, unitCode));
  if (!unit) return;
  const provinceCode = unit.provinceCode;
  const [existing] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.unitCode, unitCode), sql`lower(${teams.name}) = lower(${DEMO_TEAM_NAME})`, isNull(teams.archivedAt)));
  let teamId = existing?.id;
  if (teamId === undefined) {
    const [created] = await db
      .insert(teams)
      .values({ provinceCode, unitCode, name: DEMO_TEAM_NAME, kind: 'community_tech', leaderUserId: leaderId })
      .returning({ id: teams.id });
    if (!created) return;
    teamId = created.id;
  } else {
    await db.update(teams).set({ leaderUserId: leaderId }).where(eq(teams.id, teamId));
  }
  await db
    .insert(teamMembers)
    .values({ teamId, userId: volunteerId })
    .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { removedAt: null, removedBy: null } });

  const [hasArea] = await db.select({ id: teamAreas.id }).from(teamAreas).where(and(eq(teamAreas.teamId, teamId), isNull(teamAreas.removedAt))).limit(1);
  if (!hasArea) {
    const [neighbourhood] = await db
      .select({ id: neighbourhoods.id })
      .from(neighbourhoods)
      .where(and(eq(neighbourhoods.unitCode, unitCode), isNull(neighbourhoods.mergedInto)))
      .orderBy(asc(neighbourhoods.id))
      .limit(1);
    if (neighbourhood) {
      await db.insert(teamAreas).values({ provinceCode, teamId, neighbourhoodId: neighbourhood.id });
    } else {
      const first = await db.select({ id: households.id }).from(households).where(eq(households.unitCode, unitCode)).orderBy(asc(households.id)).limit(40);
      if (first.length > 0) await db.insert(teamAreas).values(first.map((h) => ({ provinceCode, teamId, householdId: h.id })));
    }
  }

  // Older demo databases gave the leader and the volunteer households directly; the leader now
  // sees the team's area, and the volunteer what the team gives them.
  await db.delete(assignments).where(and(inArray(assignments.userId, [leaderId, volunteerId]), isNull(assignments.teamId)));
  const teamHouseholds = await db.execute<{ id: number }>(sql`
    SELECT h.id FROM households h WHERE h.province_code = ${provinceCode} AND EXISTS (
      SELECT 1 FROM team_areas ta WHERE ta.team_id = ${teamId} AND ta.removed_at IS NULL AND ta.province_code = h.province_code
        AND (ta.household_id = h.id OR ta.neighbourhood_id = h.neighbourhood_id))
    ORDER BY h.id LIMIT 12`);
  if (teamHouseholds.rows.length > 0) {
    await db
      .insert(assignments)
      .values(teamHouseholds.rows.map((h) => ({ provinceCode, householdId: Number(h.id), userId: volunteerId, teamId, assignedBy: leaderId })))
      .onConflictDoUpdate({ target: [assignments.provinceCode, assignments.householdId, assignments.userId], set: { teamId } });
  }

  const plan = (await loadPlanFiles(BUNDLED_PLANS_DIR)).get(DEMO_PLAN);
  if (!plan) return;
  const today = vietnamToday();
  // The phase under way, or the last one once the plan's phases are over. A demo started after the
  // last deadline gets a month ahead instead, so the quota shows progress rather than only "overdue".
  const phase = plan.phases.find((p) => p.deadline >= today) ?? plan.phases.at(-1);
  if (!phase) return;
  const deadline = phase.deadline >= today ? phase.deadline : addDays(today, 30);
  await db.execute(sql`
    INSERT INTO field_quotas (team_id, user_id, plan_id, phase_id, households_target, deadline, set_by)
    VALUES (${teamId}, NULL, ${plan.id}, ${phase.id}, ${30}, ${deadline}, ${leaderId})
    ON CONFLICT (team_id, COALESCE(user_id, 0), plan_id, phase_id) DO NOTHING`);
}
