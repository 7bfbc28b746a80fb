import { randomBytes } from 'node:crypto';
import { users, type Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { Actor } from './actor.ts';
import { hashPassword } from './session.service.ts';

export const SYSTEM_USERNAME = 'system';

/**
 * The actor the CLI works as: a city-wide account that cannot sign in (disabled, random password),
 * so that what a script does is scoped and audited like what a person does, under its own name.
 */
export async function systemActor(db: Db, provinceCode: string, tool: string): Promise<Actor> {
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${SYSTEM_USERNAME}`);
  let id = existing?.id;
  if (id === undefined) {
    const [created] = await db
      .insert(users)
      .values({
        username: SYSTEM_USERNAME,
        passwordHash: await hashPassword(randomBytes(32).toString('base64')),
        role: 'city_admin',
        displayName: 'Hệ thống (dòng lệnh)',
        provinceCode,
        disabled: true,
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    id = created?.id ?? (await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${SYSTEM_USERNAME}`))[0]?.id;
  }
  if (id === undefined) throw new Error('could not create the system user');
  return { userId: id, username: `${SYSTEM_USERNAME}:${tool}`, role: 'city_admin', provinceCode, unitCodes: [], residentId: null, ip: null, userAgent: `cds ${tool}` };
}
