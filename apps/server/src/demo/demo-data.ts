import type { Role } from '@cds/contract';
import { assignments, households, residents, units, type Db } from '@cds/db';
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
  return seedPopulation(pool, vault, { people: DEMO_PEOPLE, seed: DEMO_SEED, provinceCode: HCMC_PROVINCE_CODE, units: rows, today, ...(onProgress ? { onProgress } : {}) });
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
