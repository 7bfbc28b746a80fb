import { legacyUnits, provinces, units, type Db } from '@cds/db';
import { foldVietnamese } from '@cds/domain';
import { parse } from 'csv-parse/sync';
import { and, inArray, ne, sql } from 'drizzle-orm';

// Units are data: a province loads its own list with `cds units load`. The CSV columns are the
// ones in data/SOURCES.md; only code, name, type and full_name are required.

const UNIT_TYPES = new Set(['phuong', 'xa', 'dac_khu']);

export interface UnitFiles {
  provinceCode: string;
  /** data/vn-provinces-2025.csv or any CSV with code,name,full_name */
  provincesCsv: string;
  unitsCsv: string;
  legacyCsv?: string | undefined;
}

export interface LoadUnitsResult {
  province: string;
  units: number;
  legacyRows: number;
}

type Row = Record<string, string>;

function readCsv(text: string, required: readonly string[], file: string): Row[] {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Row[];
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new Error(`${file}: thiếu cột ${missing.join(', ')} (missing columns)`);
  return rows;
}

export async function loadUnits(db: Db, files: UnitFiles): Promise<LoadUnitsResult> {
  const province = readCsv(files.provincesCsv, ['code', 'name', 'full_name'], 'provinces').find(
    (row) => row.code === files.provinceCode,
  );
  if (!province) throw new Error(`Không có tỉnh/thành phố mã ${files.provinceCode} trong danh sách tỉnh (unknown province)`);
  const unitRows = readCsv(files.unitsCsv, ['code', 'name', 'type', 'full_name'], 'units');
  const problems: string[] = [];
  // Codes are unique nationwide: one named twice, or already another province's, would overwrite a unit.
  const lineOfCode = new Map<string, number>();
  const codes = unitRows.map((row) => row.code ?? '');
  const taken = await db
    .select({ code: units.code, provinceCode: units.provinceCode })
    .from(units)
    .where(and(inArray(units.code, codes), ne(units.provinceCode, files.provinceCode)));
  const elsewhere = new Map(taken.map((unit) => [unit.code, unit.provinceCode]));
  unitRows.forEach((row, index) => {
    if (!/^\d{5}$/.test(row.code ?? '')) problems.push(`dòng ${index + 2}: mã "${row.code}" không phải 5 chữ số`);
    if (!UNIT_TYPES.has(row.type ?? '')) problems.push(`dòng ${index + 2}: loại "${row.type}" không hợp lệ`);
    if (!row.name) problems.push(`dòng ${index + 2}: thiếu tên`);
    const earlier = lineOfCode.get(row.code ?? '');
    if (earlier !== undefined) problems.push(`dòng ${index + 2}: mã "${row.code}" trùng dòng ${earlier}`);
    else lineOfCode.set(row.code ?? '', index + 2);
    const other = elsewhere.get(row.code ?? '');
    if (other !== undefined) problems.push(`dòng ${index + 2}: mã "${row.code}" đã thuộc tỉnh/thành phố mã ${other}`);
  });
  if (problems.length > 0) throw new Error(`Danh sách đơn vị có lỗi:\n${problems.join('\n')}`);
  const legacyRows = files.legacyCsv
    ? readCsv(files.legacyCsv, ['old_code', 'old_name', 'old_district', 'old_province', 'new_code'], 'legacy map')
    : [];
  const unitCodes = new Set(unitRows.map((row) => row.code));
  const strayLegacy = legacyRows.filter((row) => !unitCodes.has(row.new_code ?? ''));
  if (strayLegacy.length > 0) {
    throw new Error(`Bảng chuyển đổi nhắc tới đơn vị mới không có trong danh sách: ${[...new Set(strayLegacy.map((r) => r.new_code))].join(', ')}`);
  }

  // One transaction: a half-loaded list of units would leave addresses unmatched.
  await db.transaction(async (tx) => {
    await tx
      .insert(provinces)
      .values({ code: files.provinceCode, name: province.name ?? '', fullName: province.full_name ?? '' })
      .onConflictDoUpdate({ target: provinces.code, set: { name: sql`excluded.name`, fullName: sql`excluded.full_name` } });
    await tx
      .insert(units)
      .values(
        unitRows.map((row) => ({
          code: row.code ?? '',
          provinceCode: files.provinceCode,
          name: row.name ?? '',
          fullName: row.full_name ?? '',
          type: row.type as 'phuong' | 'xa' | 'dac_khu',
          nameAscii: row.name_ascii || foldVietnamese(row.name ?? ''),
          areaKm2: row.area_km2 ? Number(row.area_km2) : null,
          population: row.population ? Number(row.population) : null,
        })),
      )
      .onConflictDoUpdate({
        target: units.code,
        set: {
          name: sql`excluded.name`,
          fullName: sql`excluded.full_name`,
          type: sql`excluded.type`,
          nameAscii: sql`excluded.name_ascii`,
          areaKm2: sql`excluded.area_km2`,
          population: sql`excluded.population`,
        },
      });
    if (files.legacyCsv) {
      await tx.delete(legacyUnits).where(sql`${legacyUnits.newCode} IN (SELECT code FROM units WHERE province_code = ${files.provinceCode})`);
      if (legacyRows.length > 0) {
        await tx.insert(legacyUnits).values(
          legacyRows.map((row) => ({
            oldCode: row.old_code || null,
            oldName: row.old_name ?? '',
            oldDistrict: row.old_district ?? '',
            oldDistrictCode: row.old_district_code ?? '',
            oldProvince: row.old_province ?? '',
            oldProvinceCode: row.old_province_code ?? '',
            newCode: row.new_code ?? '',
            mergeType: row.merge_type ?? 'whole',
            note: row.note_vi || null,
          })),
        );
      }
    }
  });
  return { province: province.full_name ?? files.provinceCode, units: unitRows.length, legacyRows: legacyRows.length };
}
