import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGazetteer, standardiseAddress, type GazetteerLegacy, type GazetteerUnit } from './address.ts';
import { foldVietnamese } from './vietnamese-text.ts';

// Tiny CSV reader: quoted fields may hold commas and doubled quotes; no newlines inside fields.
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

function readCsv(name: string): Record<string, string>[] {
  const text = readFileSync(new URL(`../../../data/${name}`, import.meta.url), 'utf8');
  const [header, ...lines] = text.split(/\r?\n/u).filter((line) => line.trim() !== '');
  const columns = splitCsvLine(header ?? '');
  return lines.map((line) => {
    const values = splitCsvLine(line);
    return Object.fromEntries(columns.map((column, i) => [column, values[i] ?? '']));
  });
}

const unitRows = readCsv('hcmc-units-2025.csv');
const legacyRows = readCsv('hcmc-units-legacy-map.csv');

const units: GazetteerUnit[] = unitRows.map((row) => ({
  code: row['code'] ?? '',
  name: row['name'] ?? '',
  type: row['type'] as GazetteerUnit['type'],
  fullName: row['full_name'] ?? '',
}));
const legacy: GazetteerLegacy[] = legacyRows.map((row) => ({
  oldName: row['old_name'] ?? '',
  oldDistrict: row['old_district'] ?? '',
  oldProvince: row['old_province'] ?? '',
  newCode: row['new_code'] ?? '',
  mergeType: row['merge_type'] ?? '',
}));
const gazetteer = buildGazetteer(units, legacy);

/** New codes the map gives for an old ward, by (old name, old district). */
function mapCodes(oldName: string, oldDistrict: string): string[] {
  return [...new Set(legacy.filter((row) => row.oldName === oldName && row.oldDistrict === oldDistrict).map((row) => row.newCode))];
}
function codeOf(fullName: string): string {
  const unit = units.find((candidate) => candidate.fullName === fullName);
  if (unit === undefined) throw new Error(`no unit ${fullName}`);
  return unit.code;
}

describe('the data', () => {
  it('has 168 units and 493 map rows, note_vi with commas parsed', () => {
    expect(units).toHaveLength(168);
    expect(legacy).toHaveLength(493);
    expect(legacyRows.every((row) => Object.keys(row).length === 10 && (row['merge_type'] ?? '') !== '')).toBe(true);
  });
});

describe('standardiseAddress: old wards', () => {
  it('maps P. Bến Nghé, Q.1 to the unit the map gives (wholly into Phường Sài Gòn)', () => {
    expect(mapCodes('Phường Bến Nghé', 'Quận 1')).toEqual(['26740']);
    expect(legacy.find((row) => row.oldName === 'Phường Bến Nghé')?.mergeType).toBe('whole');
    expect(codeOf('Phường Sài Gòn')).toBe('26740');
    const result = standardiseAddress('P. Bến Nghé, Q.1, TP.HCM', gazetteer);
    expect(result).toMatchObject({ status: 'matched', unitCode: '26740', matchedBy: 'old_name', street: null, candidates: [] });
    expect(result.reason).toContain('Phường Sài Gòn');
  });

  it('reads addresses without diacritics or commas', () => {
    expect(standardiseAddress('phuong ben nghe quan 1', gazetteer)).toMatchObject({ status: 'matched', unitCode: '26740', matchedBy: 'old_name' });
    expect(standardiseAddress('PHUONG BEN NGHE, Q1, TPHCM', gazetteer)).toMatchObject({ status: 'matched', unitCode: '26740' });
  });

  it('keeps the street as written', () => {
    expect(standardiseAddress('12/3 Nguyễn Huệ, P. Bến Nghé, Q.1, TP.HCM', gazetteer)).toMatchObject({
      street: '12/3 Nguyễn Huệ',
      unitCode: '26740',
    });
    expect(standardiseAddress('Tổ 5, Khu phố 3, Phường Bến Nghé, Quận 1', gazetteer)).toMatchObject({ street: 'Tổ 5, Khu phố 3', unitCode: '26740' });
    expect(standardiseAddress('  12/3 Nguyễn Huệ  ', gazetteer)).toMatchObject({ street: '12/3 Nguyễn Huệ', status: 'unmatched' });
  });

  it('maps BR-VT: X. Phước Hội, H. Long Đất, and the pre-2020 H. Đất Đỏ', () => {
    const expected = mapCodes('Xã Phước Hội', 'Huyện Long Đất');
    expect(expected).toEqual(['26686']);
    expect(standardiseAddress('X. Phước Hội, H. Long Đất, BR-VT', gazetteer)).toMatchObject({ status: 'matched', unitCode: '26686', matchedBy: 'old_name' });
    expect(standardiseAddress('Xã Phước Hội, Huyện Đất Đỏ, Bà Rịa - Vũng Tàu', gazetteer)).toMatchObject({ status: 'matched', unitCode: '26686' });
    expect(standardiseAddress('X. Phước Hội, H. Đất Đỏ, BRVT', gazetteer)).toMatchObject({ status: 'matched', unitCode: '26686' });
  });

  it('maps wards of the pre-2021 Quận 2 / Quận 9 / Quận Thủ Đức through Thành phố Thủ Đức', () => {
    const expected = mapCodes('Phường Thảo Điền', 'Thành phố Thủ Đức');
    expect(expected).toEqual([codeOf('Phường An Khánh')]);
    for (const raw of ['P. Thảo Điền, Q.2', 'Phường Thảo Điền, Quận 2, TP. Hồ Chí Minh', 'P. Thảo Điền, TP. Thủ Đức', 'P Thảo Điền Q2']) {
      expect(standardiseAddress(raw, gazetteer), raw).toMatchObject({ status: 'matched', unitCode: expected[0], matchedBy: 'old_name' });
    }
  });

  it('returns every candidate for a ward the map splits, and never guesses', () => {
    const codes = mapCodes('Phường An Phú', 'Thành phố Thủ Đức');
    expect(codes.length).toBeGreaterThan(1);
    const result = standardiseAddress('15 Trần Não, P. An Phú, Q.2, TP.HCM', gazetteer);
    expect(result).toMatchObject({ status: 'ambiguous', unitCode: null, matchedBy: null, street: '15 Trần Não' });
    expect([...result.candidates].sort()).toEqual([...codes].sort());
    expect(result.reason).toContain('cần cán bộ chọn');
    // Even with a default unit: ambiguity is not replaced by the default.
    expect(standardiseAddress('P. An Phú, Q.2', gazetteer, { defaultUnitCode: '26740' })).toMatchObject({ status: 'ambiguous' });
  });

  it('needs the district for a numbered ward', () => {
    const expected = mapCodes('Phường 12', 'Quận Gò Vấp');
    expect(expected).toHaveLength(1);
    for (const raw of ['P.12, Q. Gò Vấp', 'Phường 12, Quận Gò Vấp, TP.HCM', 'F12 Gò Vấp', 'P12, Gò Vấp', 'phuong 12 quan go vap']) {
      expect(standardiseAddress(raw, gazetteer), raw).toMatchObject({ status: 'matched', unitCode: expected[0] });
    }
    expect(standardiseAddress('P.12, Q.3', gazetteer)).toMatchObject({ unitCode: mapCodes('Phường 12', 'Quận 3')[0] });
    expect(standardiseAddress('P.12, TP.HCM', gazetteer)).toMatchObject({ status: 'ambiguous', unitCode: null });
    // Bình Thạnh had no Phường 3 in the map: a number outside its district is not offered city-wide.
    expect(mapCodes('Phường 3', 'Quận Bình Thạnh')).toEqual([]);
    const wrong = standardiseAddress('12 Phan Đăng Lưu, Phường 3, Bình Thạnh', gazetteer);
    expect(wrong).toMatchObject({ status: 'unmatched', candidates: [], street: '12 Phan Đăng Lưu' });
    expect(wrong.reason).toContain('"Phường 3"');
  });

  it('maps Bình Dương wards under the old town names (TX. Thuận An)', () => {
    const expected = mapCodes('Phường An Phú', 'Thành phố Thuận An');
    expect(standardiseAddress('P. An Phú, TX. Thuận An, Bình Dương', gazetteer)).toMatchObject({ status: 'matched', unitCode: expected[0] });
  });

  it('maps Huyện Côn Đảo to Đặc khu Côn Đảo', () => {
    expect(standardiseAddress('Huyện Côn Đảo, BR-VT', gazetteer)).toMatchObject({ status: 'matched', unitCode: codeOf('Đặc khu Côn Đảo') });
  });
});

describe('standardiseAddress: new names', () => {
  it('matches a new unit by its name', () => {
    expect(standardiseAddress('123 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh', gazetteer)).toEqual({
      street: '123 Lê Lợi',
      unitCode: codeOf('Phường Bến Thành'),
      status: 'matched',
      matchedBy: 'new_name',
      candidates: [],
      reason: null,
    });
    const saiGon = codeOf('Phường Sài Gòn');
    for (const raw of ['Phường Sài Gòn', 'P. Sài Gòn', 'P.Sài Gòn', 'phuong sai gon', '1 Lê Duẩn, P. Sài Gòn, TP.HCM']) {
      expect(standardiseAddress(raw, gazetteer), raw).toMatchObject({ status: 'matched', unitCode: saiGon, matchedBy: 'new_name' });
    }
    for (const raw of ['Xã Củ Chi', 'X. Củ Chi, TP.HCM', 'Ấp 1, Củ Chi']) {
      expect(standardiseAddress(raw, gazetteer), raw).toMatchObject({ status: 'matched', unitCode: codeOf('Xã Củ Chi'), matchedBy: 'new_name' });
    }
    expect(standardiseAddress('Đặc khu Côn Đảo', gazetteer)).toMatchObject({ unitCode: codeOf('Đặc khu Côn Đảo'), matchedBy: 'new_name' });
    expect(standardiseAddress('99 Võ Văn Tần, P. Xuân Hòa, HCMC', gazetteer)).toMatchObject({ street: '99 Võ Văn Tần', unitCode: codeOf('Phường Xuân Hòa') });
    // A unit column holding the new code, joined after the address.
    expect(standardiseAddress('12 Nguyễn Huệ, 26740', gazetteer)).toMatchObject({ street: '12 Nguyễn Huệ', unitCode: '26740', status: 'matched' });
    expect(standardiseAddress('P. Bình Dương, TP.HCM', gazetteer)).toMatchObject({ unitCode: codeOf('Phường Bình Dương'), matchedBy: 'new_name' });
  });

  it('prefers the new name, unless the written old district makes the old reading certain', () => {
    // Phường An Phú is a new unit (ex-Thuận An) and an old, split ward of Thủ Đức.
    expect(standardiseAddress('P. An Phú', gazetteer)).toMatchObject({ status: 'matched', matchedBy: 'new_name', unitCode: codeOf('Phường An Phú') });
    expect(standardiseAddress('P. An Phú, TP. Thủ Đức', gazetteer)).toMatchObject({ status: 'ambiguous' });
    // Phường Sài Gòn did not exist before: with an old district it still reads as the new name.
    expect(standardiseAddress('P. Sài Gòn, Q.1', gazetteer)).toMatchObject({ matchedBy: 'new_name', unitCode: codeOf('Phường Sài Gòn') });
  });
});

describe('standardiseAddress: nothing found', () => {
  it('is unmatched with a reason, or falls back to the default unit', () => {
    for (const raw of ['', '   ', 'asdf qwer', '???', '12/3 Nguyễn Huệ', 'Quận 1, TP.HCM']) {
      const result = standardiseAddress(raw, gazetteer);
      expect(result, raw).toMatchObject({ status: 'unmatched', unitCode: null, matchedBy: null, candidates: [] });
      expect(result.reason).toBeTruthy();
    }
    expect(standardiseAddress('asdf qwer', gazetteer, { defaultUnitCode: '26740' })).toMatchObject({
      status: 'matched',
      unitCode: '26740',
      matchedBy: 'default',
    });
  });
});

describe('standardiseAddress: properties', () => {
  it('never throws on arbitrary strings', () => {
    const pieces = fc.constantFrom('P.', 'Q.', 'F', 'TP.HCM', ',', '-', ' ', 'Phường', '12', 'Bến Nghé', 'Thủ Đức', 'BR-VT', '\u0301', 'Đ');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(pieces).map((parts) => parts.join(''))), (raw) => {
        const result = standardiseAddress(raw, gazetteer);
        expect(['matched', 'ambiguous', 'unmatched']).toContain(result.status);
        if (result.status === 'matched') expect(result.unitCode).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('resolves every map row written as "<old_name>, <old_district>"', () => {
    let resolved = 0;
    const failures: string[] = [];
    for (const row of legacy) {
      const codes = mapCodes(row.oldName, row.oldDistrict);
      const raw = `${row.oldName}, ${row.oldDistrict}`;
      const result = standardiseAddress(raw, gazetteer);
      const ok =
        (result.status === 'matched' && codes.length === 1 && codes.includes(result.unitCode ?? '')) ||
        (result.status === 'ambiguous' && codes.length > 1 && [...result.candidates].sort().join() === [...codes].sort().join());
      if (ok) resolved++;
      else failures.push(`${raw} → ${result.status} ${result.unitCode ?? ''} [${result.candidates.join(' ')}]`);
    }
    console.info(`address: ${resolved}/${legacy.length} map rows resolve (${((100 * resolved) / legacy.length).toFixed(1)}%)`);
    expect(failures).toEqual([]);
  });

  it('resolves them too when abbreviated, without diacritics, after a street and with the province', () => {
    const abbreviate = (text: string): string =>
      text.replace(/^Phường /u, 'P.').replace(/^Xã /u, 'X. ').replace(/^Thị trấn /u, 'TT ').replace(/^Quận /u, 'Q.').replace(/^Huyện /u, 'H.').replace(/^Thành phố /u, 'TP ');
    const province = (name: string): string => (name.includes('Bình Dương') ? 'BD' : name.includes('Vũng Tàu') ? 'BR-VT' : 'TP.HCM');
    const failures: string[] = [];
    for (const row of legacy) {
      const codes = [...mapCodes(row.oldName, row.oldDistrict)].sort().join();
      for (const raw of [
        foldVietnamese(`${row.oldName} ${row.oldDistrict}`),
        `12/3 Đường số 4, ${abbreviate(row.oldName)}, ${abbreviate(row.oldDistrict)}, ${province(row.oldProvince)}`,
      ]) {
        const result = standardiseAddress(raw, gazetteer);
        const got = result.status === 'matched' ? (result.unitCode ?? '') : result.status === 'ambiguous' ? [...result.candidates].sort().join() : '';
        if (got !== codes || result.status === 'unmatched') failures.push(`${raw} → ${result.status} ${got}`);
      }
    }
    console.info(`address: ${2 * legacy.length - failures.length}/${2 * legacy.length} abbreviated/unaccented variants resolve`);
    expect(failures).toEqual([]);
  });
});
