import type { Role } from '@cds/contract';
import { assignments, facts, households, organisations, residents, units, type Db } from '@cds/db';
import { createRandom, foldVietnamese } from '@cds/domain';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { upsertUser } from '../modules/access/users.service.ts';
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
 * unit; the team leader and volunteer get households of that unit assigned.
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
  const assigned = await db.select({ id: households.id }).from(households).where(eq(households.unitCode, DEMO_UNITS[0])).orderBy(asc(households.id)).limit(40);
  const plan: [string, number][] = [['leader', 40], ['volunteer', 12]];
  for (const [username, count] of plan) {
    const userId = ids.get(username);
    if (userId === undefined || assigned.length === 0) continue;
    await db
      .insert(assignments)
      .values(assigned.slice(0, count).map((h) => ({ provinceCode: HCMC_PROVINCE_CODE, householdId: h.id, userId })))
      .onConflictDoNothing();
  }
  return [...DEMO_LOGINS];
}
