// A whole server for browser tests: a fresh database with a small demo population and the demo
// logins, the built web app, on a free loopback port. Used when E2E_BASE_URL names no server.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@cds/db/test-database';
import { buildApp } from '../../apps/server/src/app.ts';
import { DEMO_LOGINS, DEMO_UNITS, ensureDemoUsers } from '../../apps/server/src/demo/demo-data.ts';
import { HCMC_PROVINCE_CODE, ensureUnits } from '../../apps/server/src/demo/reference-data.ts';
import { seedPopulation } from '../../apps/server/src/modules/registry/seed-population.ts';
import { loadConfig } from '../../apps/server/src/platform/config.ts';
import { vietnamToday, type AppDeps } from '../../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../../apps/server/src/platform/personal-data-vault.ts';
import { units, type DatabaseHandle } from '@cds/db';
import { inArray } from 'drizzle-orm';
import type { DemoUser } from './demo-session.ts';

export const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist/', import.meta.url));

export interface E2eServer {
  baseUrl: string;
  users: DemoUser[];
  /** Text messages the server sent (residents' sign-in codes), newest last. */
  texts: { to: string; text: string }[];
  /** The server's database, for a test to find a record it then opens in the browser. */
  pool: DatabaseHandle['pool'];
  close(): Promise<void>;
}

export async function startE2eServer(): Promise<E2eServer> {
  if (!existsSync(WEB_DIST + 'index.html')) throw new Error('apps/web/dist is missing: run `npm run build -w @cds/web` (npm test does)');
  const handle = await createTestDatabase();
  await ensureUnits(handle.db);
  const vault = new PersonalDataVault(Buffer.alloc(32, 9));
  const today = vietnamToday();
  const demoUnits = await handle.db.select().from(units).where(inArray(units.code, [...DEMO_UNITS]));
  await seedPopulation(handle.pool, vault, { people: 1500, seed: 2026, provinceCode: HCMC_PROVINCE_CODE, units: demoUnits, today });
  await ensureDemoUsers(handle.db);
  const texts: { to: string; text: string }[] = [];
  const deps: AppDeps = {
    db: handle.db,
    pool: handle.pool,
    dbKind: handle.kind,
    vault,
    config: { ...loadConfig({}), loginRatePerMinute: 1000 },
    today: () => today,
    sms: { send: async (to, text) => void texts.push({ to, text }) },
  };
  const app = await buildApp(deps, { webDist: WEB_DIST });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    users: DEMO_LOGINS.map(({ username, password, role, units: codes }) => ({ username, password, role, units: codes })),
    texts,
    pool: handle.pool,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
