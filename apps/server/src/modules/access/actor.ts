import type { Role } from '@cds/contract';

/** The signed-in person a service acts for: who, in what role, over which area. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  provinceCode: string;
  /** Units of a unit official or team leader; empty for city-wide roles. */
  unitCodes: readonly string[];
  /** A citizen's own registry record. */
  residentId: number | null;
  /** How the account came to hold that record (migration 20261202-09); absent for accounts made by officials. */
  residentLink?: 'oidc' | 'phone' | 'typed' | 'official' | null;
  ip: string | null;
  userAgent: string | null;
}
