import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { residents } from '@cds/db';
import { maskCitizenId, maskPhone } from '@cds/domain';
import { systemActor } from '@cds/server/modules/access/system-actor.ts';
import { recordAudit } from '@cds/server/modules/audit/audit.service.ts';
import ExcelJS from 'exceljs';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { openCliDatabase, type DatabaseFlags } from './database.ts';

export interface ExportFlags {
  format: 'csv' | 'xlsx';
  unit?: string;
  reveal?: boolean;
  out?: string;
  province: string;
}

const COLUMNS = ['resident_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'unit_code', 'household_id'] as const;
const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * Residents as CSV or XLSX for scripts and other offices. IDs and phones stay masked unless
 * --reveal; the whole export is one audit record under the system actor, naming every resident.
 */
export async function exportResidentsCommand(flags: DatabaseFlags, options: ExportFlags): Promise<void> {
  if (options.format === 'xlsx' && !options.out) throw new Error('--format xlsx cần --out TỆP');
  const { handle, vault } = await openCliDatabase(flags);
  try {
    const actor = await systemActor(handle.db, options.province, 'export');
    const where = (after: number) =>
      and(
        eq(residents.provinceCode, options.province),
        options.unit ? eq(residents.unitCode, options.unit) : undefined,
        // A record merged into another is not a person of its own: its facts are on the record kept.
        isNull(residents.mergedIntoId),
        gt(residents.id, after),
      );
    const ids = (await handle.db.select({ id: residents.id }).from(residents).where(where(0)).orderBy(asc(residents.id))).map((r) => r.id);
    await recordAudit(handle.db, actor, {
      action: 'export',
      recordType: 'resident',
      recordIds: ids,
      unitCodes: options.unit ? [options.unit] : [],
      fields: ['fullName', 'birthDate', 'sex', options.reveal ? 'citizenId' : 'citizenId(masked)', options.reveal ? 'phone' : 'phone(masked)'],
    });
    const output: Writable = options.out ? createWriteStream(options.out) : process.stdout;
    const workbook = options.format === 'xlsx' ? new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output }) : null;
    const sheet = workbook?.addWorksheet('residents');
    if (sheet) sheet.columns = COLUMNS.map((header) => ({ header, key: header }));
    else output.write(COLUMNS.join(',') + '\n');
    let after = 0;
    for (;;) {
      const page = await handle.db.select().from(residents).where(where(after)).orderBy(asc(residents.id)).limit(5000);
      if (page.length === 0) break;
      for (const r of page) {
        const id = r.citizenIdEnc ? vault.decrypt(r.citizenIdEnc) : r.legacyIdEnc ? vault.decrypt(r.legacyIdEnc) : '';
        const values = [
          String(r.id),
          r.fullName,
          r.birthDate ?? String(r.birthYear),
          r.sex === 'male' ? 'M' : r.sex === 'female' ? 'F' : '',
          id && !options.reveal ? maskCitizenId(id) : id,
          r.phone && !options.reveal ? maskPhone(r.phone) : (r.phone ?? ''),
          r.unitCode,
          String(r.householdId),
        ];
        if (sheet) sheet.addRow(values).commit();
        else if (!output.write(values.map(csvField).join(',') + '\n')) await new Promise((resolve) => output.once('drain', resolve));
      }
      after = page.at(-1)?.id ?? after;
    }
    if (workbook && sheet) {
      sheet.commit();
      await workbook.commit();
    } else if (options.out) {
      await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
  } finally {
    await handle.close();
  }
}
