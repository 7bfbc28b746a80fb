import { foldVietnamese, type ImportField, type SourceType } from '@cds/domain';
import { importMappings, type Db } from '@cds/db';
import { and, eq } from 'drizzle-orm';
import { invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';

// Column mappings a person fixed once and saved for the next file of the same kind. They are keyed
// by folded header text, not by position, so they still fit when an office moves its columns.

export async function savedMappingNames(db: Db, actor: Actor, source: SourceType): Promise<string[]> {
  const rows = await db
    .select({ name: importMappings.name })
    .from(importMappings)
    .where(and(eq(importMappings.provinceCode, actor.provinceCode), eq(importMappings.sourceType, source)))
    .orderBy(importMappings.name);
  return rows.map((r) => r.name);
}

/** The saved mapping applied to this file's headers: column index → field (or null to ignore). */
export async function savedColumns(
  db: Db,
  actor: Actor,
  source: SourceType,
  name: string,
  headers: readonly string[],
  path = 'mapping',
): Promise<Partial<Record<number, ImportField | null>>> {
  const [row] = await db
    .select()
    .from(importMappings)
    .where(and(eq(importMappings.provinceCode, actor.provinceCode), eq(importMappings.sourceType, source), eq(importMappings.name, name)));
  if (!row) throw invalid(path, `Không có cách ghép cột đã lưu tên "${name}" cho loại danh sách này`);
  const byHeader = row.mapping as Record<string, ImportField | null>;
  const saved: Partial<Record<number, ImportField | null>> = {};
  headers.forEach((header, index) => {
    const key = foldVietnamese(header);
    if (Object.hasOwn(byHeader, key)) saved[index] = byHeader[key] ?? null;
  });
  return saved;
}

export async function saveMapping(db: Db, actor: Actor, source: SourceType, name: string, headers: readonly string[], columns: readonly (string | null)[]): Promise<void> {
  const byHeader = Object.fromEntries(headers.map((header, index) => [foldVietnamese(header), columns[index] ?? null]));
  await db
    .insert(importMappings)
    .values({ provinceCode: actor.provinceCode, sourceType: source, name, mapping: byHeader, createdBy: actor.userId })
    .onConflictDoUpdate({ target: [importMappings.provinceCode, importMappings.sourceType, importMappings.name], set: { mapping: byHeader, updatedAt: new Date() } });
}
