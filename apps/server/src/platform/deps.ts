import type { Db, DatabaseKind } from '@cds/db';
import type pg from 'pg';
import type { Config } from './config.ts';
import type { PersonalDataVault } from './personal-data-vault.ts';
import type { SmsGateway } from './sms-gateway.ts';

/** What every service needs, passed explicitly (no container). */
export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  dbKind: DatabaseKind;
  vault: PersonalDataVault;
  config: Config;
  /** Today's date as 'YYYY-MM-DD' in Vietnam's time zone; injectable so tests of ages do not drift. */
  today: () => string;
  /** Sends residents their sign-in codes; built from the config when not given (tests pass one that records). */
  sms?: SmsGateway;
}

export function vietnamToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** "04/12/2026 03:20": a moment as people in Vietnam read it in a file (the web app writes it so too). */
export function vietnamDateTime(at: Date): string {
  const [date = '', time = ''] = new Date(at.getTime() + 7 * 3600_000).toISOString().split('T');
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year} ${time.slice(0, 5)}`;
}
