import type { Role } from '@cds/contract';
import { userUnits, users } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { Db } from '@cds/db';
import { hashPassword } from './session.service.ts';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  provinceCode: string;
  unitCodes?: readonly string[];
  residentId?: number | null;
}

/** Creates the user, or resets password, role and units when the username exists (idempotent for demo set-up). */
export async function upsertUser(db: Db, input: NewUser): Promise<number> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
    const values = {
      passwordHash,
      role: input.role,
      displayName: input.displayName,
      provinceCode: input.provinceCode,
      residentId: input.residentId ?? null,
      residentLink: input.residentId == null ? null : ('official' as const),
      failedLogins: 0,
      lockedUntil: null,
    };
    let id: number;
    if (existing) {
      await tx.update(users).set(values).where(sql`${users.id} = ${existing.id}`);
      id = existing.id;
    } else {
      const [created] = await tx.insert(users).values({ username: input.username, ...values }).returning({ id: users.id });
      if (!created) throw new Error('insert returned nothing');
      id = created.id;
    }
    await tx.delete(userUnits).where(sql`${userUnits.userId} = ${id}`);
    if (input.unitCodes && input.unitCodes.length > 0) {
      await tx.insert(userUnits).values(input.unitCodes.map((unitCode) => ({ userId: id, unitCode })));
    }
    return id;
  });
}
