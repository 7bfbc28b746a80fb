import Dexie, { type Table } from 'dexie';
import type { FieldBundle, FieldHandoverSend, FieldHousehold, FieldVisit } from '@cds/contract';

export type OutboxStatus = 'waiting' | 'sent' | 'refused';

/** What the outbox keeps of every item, visit or handover. */
interface OutboxFields {
  /** The item's id (a handover's clientHandoverId too): the outbox's key since v1, so the name stays. */
  clientVisitId: string;
  householdId: number | null;
  /** The address, shown in the outbox without looking the household up. */
  label: string;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms before which automatic sync leaves it alone (backoff after a network error). */
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: string | null;
  reasonCode: string | null;
  reason: string | null;
  serverVisitId: number | null;
  serverHouseholdId: number | null;
}

/** An item as it enters the outbox: waiting, never tried, no answer yet. */
export function waitingFields(item: { id: string; householdId: number | null; label: string }): OutboxFields {
  return {
    clientVisitId: item.id,
    householdId: item.householdId,
    label: item.label,
    createdAt: new Date().toISOString(),
    status: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    sentAt: null,
    reasonCode: null,
    reason: null,
    serverVisitId: null,
    serverHouseholdId: null,
  };
}

/** A visit recorded on this phone (rows saved before handovers existed have no kind). */
export interface OutboxVisitRow extends OutboxFields {
  kind?: 'visit';
  visit: FieldVisit;
}

/** A device handover recorded on this phone: sent with the visits, answered the same way. */
export interface OutboxHandoverRow extends OutboxFields {
  kind: 'handover';
  handover: FieldHandoverSend;
}

/** An item recorded on this phone. It is never deleted by the app: sent and refused ones stay as a record of the day. */
export type OutboxRow = OutboxVisitRow | OutboxHandoverRow;

export const isHandoverRow = (row: OutboxRow): row is OutboxHandoverRow => row.kind === 'handover';

/** What the sync sends for a row. */
export const itemOf = (row: OutboxRow): FieldVisit | FieldHandoverSend => (isHandoverRow(row) ? row.handover : row.visit);

export interface SessionInfo {
  userId: number;
  username: string;
  displayName: string;
  role: string;
  deviceId: number;
  deviceToken: string;
}

export type SyncBlock = 'signin' | 'revoked' | 'outdated' | null;

export interface SyncState {
  lastSyncAt: string | null;
  lastError: string | null;
  block: SyncBlock;
}

export type BundleInfo = Omit<FieldBundle, 'households'>;

export interface MetaRow {
  key: 'session' | 'bundle' | 'sync';
  value: unknown;
}

// SCHEMA VERSIONS ONLY EVER ADD. The outbox holds visits nobody else has a copy of: a new version
// may add a table or an index, never remove the outbox table or change its primary key (Dexie would
// drop the rows), and never run an upgrade() that deletes visits. An app update must not lose one
// unsent visit (db.test.ts opens v1 data with the current schema and finds every visit).
export const SCHEMA_V1 = {
  meta: '&key',
  households: '&id',
  outbox: '&clientVisitId, status, householdId, createdAt',
};
/** v2: sending order (waiting visits oldest first) read from an index rather than sorted in memory. */
export const SCHEMA_V2 = {
  outbox: '&clientVisitId, status, householdId, createdAt, [status+createdAt]',
};

export const DB_NAME = 'cds-field';

export class FieldDb extends Dexie {
  meta!: Table<MetaRow, MetaRow['key']>;
  households!: Table<FieldHousehold, number>;
  outbox!: Table<OutboxRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2);
  }

  async getMeta<T>(key: MetaRow['key']): Promise<T | undefined> {
    const row = await this.meta.get(key);
    return row?.value as T | undefined;
  }

  async setMeta(key: MetaRow['key'], value: unknown): Promise<void> {
    await this.meta.put({ key, value });
  }

  /** Oldest first, so a day's visits arrive in the order they were made. */
  waiting(): Promise<OutboxRow[]> {
    return this.outbox.where('[status+createdAt]').between(['waiting', Dexie.minKey], ['waiting', Dexie.maxKey]).toArray();
  }

  /** Replaces the downloaded households in one transaction: never half a bundle. */
  async storeBundle(bundle: FieldBundle): Promise<void> {
    const { households, ...info } = bundle;
    await this.transaction('rw', this.households, this.meta, async () => {
      await this.households.clear();
      await this.households.bulkPut(households);
      await this.meta.put({ key: 'bundle', value: info });
    });
  }
}

export const db = new FieldDb();
