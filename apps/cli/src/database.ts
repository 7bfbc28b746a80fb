import { migrate, openDatabase, type DatabaseHandle } from '@cds/db';
import { loadVault, type PersonalDataVault } from '@cds/server/platform/personal-data-vault.ts';
import { resolve } from 'node:path';

export interface DatabaseFlags {
  dataDir?: string;
  databaseUrl?: string;
}

/** Options win over the environment, which wins over the defaults (as the server reads them). */
export function resolveFlags(flags: DatabaseFlags) {
  return {
    dataDir: resolve(flags.dataDir ?? process.env.DATA_DIR ?? './data'),
    databaseUrl: flags.databaseUrl ?? (process.env.DATABASE_URL || undefined),
  };
}

/**
 * Opens the same database the server uses. With PGlite, when the server is running on this data
 * directory, the CLI goes through the server's socket instead of opening the files a second time.
 */
export async function openCliDatabase(flags: DatabaseFlags): Promise<{ handle: DatabaseHandle; vault: PersonalDataVault }> {
  const { dataDir, databaseUrl } = resolveFlags(flags);
  const handle = await openDatabase({ dataDir, databaseUrl, mode: 'attach-or-own', poolSize: 4 });
  if (!handle.attached) await migrate(handle.pool);
  return { handle, vault: loadVault(process.env.CDS_DATA_KEY || undefined, dataDir) };
}
