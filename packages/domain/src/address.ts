/**
 * Address standardisation for Ho Chi Minh City after the 1 July 2025 reorganisation.
 *
 * Since 2025-07-01 the city has two levels of local government and 168 commune-level units
 * (phường, xã, one đặc khu); it absorbed Bình Dương and Bà Rịa–Vũng Tàu. Addresses typed by
 * citizens and offices still name the old districts and wards, in every abbreviation. This
 * module reads the trailing administrative parts of an address and resolves them to a new
 * unit code, using the official old → new conversion table. It never guesses: an old ward
 * that was split between several new units comes back as `ambiguous` with all candidates.
 *
 * Pure code: the caller loads the unit list and the legacy map (see data/SOURCES.md) and
 * passes them to `buildGazetteer` once.
 *
 * Resolution rule when a ward name could be read both as a new unit and as an old ward:
 *  1. If an old district is written and the ward name exists as an old ward of that district
 *     in the legacy map, the old reading is certain and wins (matchedBy 'old_name').
 *  2. Otherwise, if the name is a new unit's name, the new reading wins (matchedBy 'new_name').
 *  3. Otherwise, without a district, an old ward name found in exactly one old district (or
 *     whose readings all lead to the same single new unit) resolves by 'old_name'; found in
 *     several districts with different outcomes, it is 'ambiguous'.
 *  4. An old ward name given with a district it does not belong to is 'ambiguous' with the
 *     new codes of every old ward of that name (never silently re-assigned to another district);
 *     for a numbered ward ("Phường 3, Bình Thạnh") it is 'unmatched', since the number means
 *     nothing outside its district.
 *  5. Ambiguous results are never replaced by the default unit; only 'unmatched' ones are.
 *
 * Parsing reads from the end: optional country, province ("TP.HCM", "BR-VT", "BD"…), old
 * district ("Q.1", "Q1", "H. Củ Chi", "TX. Thuận An", "Quận 2"/"Quận 9" → Thành phố Thủ Đức,
 * "H. Đất Đỏ"/"H. Long Điền" → Huyện Long Đất), then the ward ("P.12", "F12", "P. Bến Nghé",
 * "Thị trấn Củ Chi", "Đặc khu Côn Đảo"). A name without its type word ("Gò Vấp", "Bến Thành")
 * counts only when it is a whole comma/hyphen-separated part. Everything before is `street`.
 */

import { foldVietnamese } from './vietnamese-text.ts';

export interface GazetteerUnit {
  code: string;
  /** Name without the type word, e.g. "Sài Gòn". */
  name: string;
  type: 'phuong' | 'xa' | 'dac_khu';
  /** e.g. "Phường Sài Gòn". */
  fullName: string;
}

export interface GazetteerLegacy {
  /** e.g. "Phường Bến Nghé". */
  oldName: string;
  /** e.g. "Quận 1". */
  oldDistrict: string;
  /** e.g. "Thành phố Hồ Chí Minh". */
  oldProvince: string;
  newCode: string;
  /** whole | partial | unchanged | renamed_partial | district_to_special_zone */
  mergeType: string;
}

export interface AddressResult {
  /** House number and street as written, trimmed, e.g. "12/3 Nguyễn Huệ" or "Tổ 5, Khu phố 3". */
  street: string | null;
  unitCode: string | null;
  status: 'matched' | 'ambiguous' | 'unmatched';
  matchedBy: 'new_name' | 'old_name' | 'default' | null;
  /** New unit codes to choose from when ambiguous; empty otherwise. */
  candidates: string[];
  /** Explanation in Vietnamese, for the officer; null when the new name matched directly. */
  reason: string | null;
}

export interface StandardiseOptions {
  /** The unit to use when nothing in the address can be recognised (never used when ambiguous). */
  defaultUnitCode?: string;
}

type WardType = 'phuong' | 'xa' | 'thi_tran' | 'dac_khu';

interface OldWard {
  oldName: string;
  oldDistrict: string;
  districtKey: string;
  type: WardType | null;
  /** Distinct new codes, in the map's order. */
  newCodes: string[];
}

interface WardEntry {
  newUnits: GazetteerUnit[];
  oldWards: OldWard[];
}

interface DistrictAlias {
  districtKey: string;
  /** A bare name (no "Quận"/"Huyện"/"TP." word): only recognised as a whole comma part. */
  bare: boolean;
}

interface ProvinceAlias {
  bare: boolean;
}

/** Precomputed lookup tables; build once with `buildGazetteer` and reuse. */
export interface Gazetteer {
  readonly unitsByCode: ReadonlyMap<string, GazetteerUnit>;
  readonly wards: ReadonlyMap<string, WardEntry>;
  readonly wardMaxTokens: number;
  readonly districts: ReadonlyMap<string, DistrictAlias>;
  readonly districtMaxTokens: number;
  /** Canonical district key → display name ("Quận 1"). */
  readonly districtNames: ReadonlyMap<string, string>;
  readonly provinces: ReadonlyMap<string, ProvinceAlias>;
  readonly provinceMaxTokens: number;
}

const WARD_PREFIXES: ReadonlyMap<string, WardType> = new Map<string, WardType>([
  ['phuong', 'phuong'],
  ['p', 'phuong'],
  ['f', 'phuong'],
  ['ph', 'phuong'],
  ['xa', 'xa'],
  ['x', 'xa'],
  ['thi tran', 'thi_tran'],
  ['tt', 'thi_tran'],
  ['dac khu', 'dac_khu'],
  ['dk', 'dac_khu'],
]);

const DISTRICT_TYPE_WORDS = ['quan', 'q', 'huyen', 'h', 'thanh pho', 'tp', 'thi xa', 'tx'];
const NUMBERED_DISTRICT_WORDS = ['quan', 'q'];

/** Old district names, folded, that were later merged or renamed: alias core → current core. */
const DISTRICT_CORE_ALIASES: ReadonlyArray<readonly [string, string]> = [
  // Quận 2, Quận 9 and Quận Thủ Đức became Thành phố Thủ Đức in 2021.
  ['2', 'thu duc'],
  ['9', 'thu duc'],
  // Huyện Long Điền and Huyện Đất Đỏ became Huyện Long Đất in 2020.
  ['long dien', 'long dat'],
  ['dat do', 'long dat'],
];

const COUNTRY_KEYS = ['viet nam', 'vietnam', 'vn'];

function stripTypeWord(foldedName: string): { word: string | null; core: string } {
  for (const word of ['thanh pho', 'thi xa', 'thi tran', 'dac khu', 'phuong', 'quan', 'huyen', 'xa', 'tinh']) {
    if (foldedName.startsWith(`${word} `)) return { word, core: foldedName.slice(word.length + 1) };
  }
  return { word: null, core: foldedName };
}

function wardTypeOf(word: string | null): WardType | null {
  if (word === 'phuong') return 'phuong';
  if (word === 'xa') return 'xa';
  if (word === 'thi tran') return 'thi_tran';
  if (word === 'dac khu') return 'dac_khu';
  return null;
}

/** Folded tokens of a name or address fragment, as the parser sees them. */
function tokenKey(text: string): string {
  return tokenise(text).map((token) => token.key).join(' ');
}

function tokenCount(key: string): number {
  return key === '' ? 0 : key.split(' ').length;
}

export function buildGazetteer(units: readonly GazetteerUnit[], legacy: readonly GazetteerLegacy[]): Gazetteer {
  const unitsByCode = new Map<string, GazetteerUnit>();
  const wards = new Map<string, WardEntry>();
  const wardEntry = (key: string): WardEntry => {
    let entry = wards.get(key);
    if (entry === undefined) {
      entry = { newUnits: [], oldWards: [] };
      wards.set(key, entry);
    }
    return entry;
  };
  let wardMaxTokens = 1;

  for (const unit of units) {
    unitsByCode.set(unit.code, unit);
    const key = tokenKey(unit.name);
    if (key === '') continue;
    wardEntry(key).newUnits.push(unit);
    wardMaxTokens = Math.max(wardMaxTokens, tokenCount(key));
  }

  const districts = new Map<string, DistrictAlias>();
  const districtNames = new Map<string, string>();
  const addDistrictAlias = (alias: string, districtKey: string, bare: boolean): void => {
    if (alias === '' || districts.has(alias)) return;
    districts.set(alias, { districtKey, bare });
  };
  const oldByKey = new Map<string, OldWard>();

  for (const row of legacy) {
    const districtKey = tokenKey(row.oldDistrict);
    if (districtKey === '') continue;
    districtNames.set(districtKey, row.oldDistrict.trim());
    const nameKey = tokenKey(row.oldName);
    if (nameKey === '') continue;
    const { word, core } = stripTypeWord(nameKey);
    const groupKey = `${core}|${districtKey}`;
    let old = oldByKey.get(groupKey);
    if (old === undefined) {
      old = { oldName: row.oldName.trim(), oldDistrict: row.oldDistrict.trim(), districtKey, type: wardTypeOf(word), newCodes: [] };
      oldByKey.set(groupKey, old);
      wardEntry(core).oldWards.push(old);
      wardMaxTokens = Math.max(wardMaxTokens, tokenCount(core));
    }
    if (row.newCode !== '' && !old.newCodes.includes(row.newCode)) old.newCodes.push(row.newCode);
  }

  // District aliases: "Quận 1", "Q.1", "Q1", "quan 1"; "Huyện Củ Chi", "H. Củ Chi", "Củ Chi";
  // "Thành phố Thủ Đức", "TP Thủ Đức", "TX. Thuận An", plus the pre-2021 and pre-2020 names.
  const coreToDistrict = new Map<string, string>();
  for (const districtKey of districtNames.keys()) {
    const { core } = stripTypeWord(districtKey);
    coreToDistrict.set(core, districtKey);
  }
  const coreAliases: Array<readonly [string, string]> = [...coreToDistrict.entries()];
  for (const [alias, target] of DISTRICT_CORE_ALIASES) {
    const districtKey = coreToDistrict.get(target);
    if (districtKey !== undefined) coreAliases.push([alias, districtKey]);
  }
  for (const [core, districtKey] of coreAliases) {
    addDistrictAlias(districtKey, districtKey, false);
    const numbered = /^\d+$/u.test(core);
    for (const word of numbered ? NUMBERED_DISTRICT_WORDS : DISTRICT_TYPE_WORDS) addDistrictAlias(`${word} ${core}`, districtKey, false);
    if (!numbered) addDistrictAlias(core, districtKey, true);
  }
  let districtMaxTokens = 1;
  for (const alias of districts.keys()) districtMaxTokens = Math.max(districtMaxTokens, tokenCount(alias));

  const provinces = new Map<string, ProvinceAlias>();
  const addProvince = (alias: string, bare: boolean): void => {
    const key = tokenKey(alias);
    if (key !== '' && !provinces.has(key)) provinces.set(key, { bare });
  };
  for (const core of ['ho chi minh', 'hcm', 'hcmc', 'sai gon']) {
    for (const word of ['thanh pho', 'tp']) addProvince(`${word} ${core}`, false);
  }
  addProvince('tphcm', false);
  addProvince('hcm', false);
  addProvince('hcmc', false);
  addProvince('ho chi minh', true);
  addProvince('sai gon', true);
  for (const core of ['binh duong', 'bd']) {
    addProvince(`tinh ${core}`, false);
    addProvince(core, true);
  }
  for (const core of ['ba ria vung tau', 'br vt', 'brvt', 'ba ria vt']) {
    addProvince(`tinh ${core}`, false);
    addProvince(core, true);
  }
  let provinceMaxTokens = 1;
  for (const alias of provinces.keys()) provinceMaxTokens = Math.max(provinceMaxTokens, tokenCount(alias));

  return { unitsByCode, wards, wardMaxTokens, districts, districtMaxTokens, districtNames, provinces, provinceMaxTokens };
}

interface Token {
  key: string;
  start: number;
  /** Offset just after the token in the original text. */
  end: number;
  /** The token begins a comma/semicolon/hyphen/bracket-separated part (or the whole text). */
  partStart: boolean;
}

const TOKEN = /[^\s,;.\-–—_()[\]]+/gu;
const PART_SEPARATOR = /[,;\-–—()[\]]/u;
const LETTERS_THEN_DIGITS = /^(p|f|ph|q|x|tt)(\d+)$/u;

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const end = start + match[0].length;
    const partStart = tokens.length === 0 || PART_SEPARATOR.test(text.slice(previousEnd, start));
    previousEnd = start + match[0].length;
    const folded = foldVietnamese(match[0]);
    if (folded === '') continue;
    const split = LETTERS_THEN_DIGITS.exec(folded);
    if (split !== null) {
      tokens.push({ key: split[1] ?? '', start, end, partStart });
      tokens.push({ key: String(Number(split[2])), start, end, partStart: false });
    } else {
      tokens.push({ key: /^\d+$/u.test(folded) ? String(Number(folded)) : folded, start, end, partStart });
    }
  }
  return tokens;
}

function keyOf(tokens: readonly Token[], from: number, to: number): string {
  return tokens.slice(from, to).map((token) => token.key).join(' ');
}

interface WardHit {
  start: number;
  entry: WardEntry;
  type: WardType | null;
  written: string;
}

interface DistrictHit {
  start: number;
  districtKey: string;
}

interface Parse {
  /** Index of the first token that belongs to the administrative tail. */
  tailStart: number;
  ward: WardHit | null;
  district: DistrictHit | null;
}

/**
 * How a bare district name ("Gò Vấp", no "Quận") may be read: only as a whole comma part
 * ('part'), also inside a part ('anywhere', "F12 Gò Vấp"), or not at all ('never').
 */
type BareDistrict = 'part' | 'anywhere' | 'never';

function parse(tokens: readonly Token[], gazetteer: Gazetteer, raw: string, bareDistrict: BareDistrict): Parse {
  let end = tokens.length;

  // Country, then province: "…, TP.HCM, Việt Nam".
  for (let length = 2; length >= 1; length--) {
    const start = end - length;
    if (start < 0) continue;
    if (COUNTRY_KEYS.includes(keyOf(tokens, start, end)) && tokens[start]?.partStart === true) {
      end = start;
      break;
    }
  }
  for (let length = Math.min(gazetteer.provinceMaxTokens, end); length >= 1; length--) {
    const start = end - length;
    const alias = gazetteer.provinces.get(keyOf(tokens, start, end));
    if (alias !== undefined && (!alias.bare || tokens[start]?.partStart === true)) {
      end = start;
      break;
    }
  }

  let district: DistrictHit | null = null;
  for (let length = Math.min(gazetteer.districtMaxTokens, end); length >= 1; length--) {
    const start = end - length;
    const alias = gazetteer.districts.get(keyOf(tokens, start, end));
    if (alias === undefined) continue;
    if (alias.bare && (bareDistrict === 'never' || (bareDistrict === 'part' && tokens[start]?.partStart !== true))) continue;
    district = { start, districtKey: alias.districtKey };
    end = start;
    break;
  }

  let ward: WardHit | null = null;
  // A whole last part that is a new unit's code ("…, 26740"), as an import's unit column may hold.
  const last = tokens[end - 1];
  if (district === null && last !== undefined && last.partStart && /^\d{5}$/u.test(last.key)) {
    const unit = gazetteer.unitsByCode.get(last.key);
    if (unit !== undefined) {
      ward = { start: end - 1, entry: { newUnits: [unit], oldWards: [] }, type: null, written: raw.slice(last.start, last.end) };
      end -= 1;
    }
  }
  for (let length = Math.min(gazetteer.wardMaxTokens, end); length >= 1 && ward === null; length--) {
    const coreStart = end - length;
    const core = keyOf(tokens, coreStart, end);
    const entry = gazetteer.wards.get(core);
    if (entry === undefined) continue;
    for (const prefixLength of [2, 1]) {
      const start = coreStart - prefixLength;
      if (start < 0) continue;
      const type = WARD_PREFIXES.get(keyOf(tokens, start, coreStart));
      if (type !== undefined) {
        ward = { start, entry, type, written: raw.slice(tokens[start]?.start ?? 0, tokens[end - 1]?.end ?? raw.length) };
        break;
      }
    }
    if (ward === null && !/^\d+$/u.test(core) && tokens[coreStart]?.partStart === true) {
      ward = { start: coreStart, entry, type: null, written: raw.slice(tokens[coreStart]?.start ?? 0, tokens[end - 1]?.end ?? raw.length) };
    }
    if (ward !== null) end = ward.start;
  }

  return { tailStart: end, ward, district };
}

function cleanStreet(text: string): string | null {
  const trimmed = text.replace(/^[\s,;\-–—.]+|[\s,;\-–—.]+$/gu, '');
  return trimmed === '' ? null : trimmed;
}

function byType<T extends { type: WardType | null }>(items: readonly T[], type: WardType | null): readonly T[] {
  if (type === null) return items;
  // A former thị trấn became a xã: "TT." may name a new xã.
  const wanted: readonly WardType[] = type === 'thi_tran' ? ['thi_tran', 'xa'] : [type];
  const filtered = items.filter((item) => item.type !== null && wanted.includes(item.type));
  return filtered.length > 0 ? filtered : items;
}

function describeCodes(codes: readonly string[], gazetteer: Gazetteer): string {
  return codes.map((code) => `${gazetteer.unitsByCode.get(code)?.fullName ?? 'Đơn vị'} (${code})`).join(', ');
}

function describeOld(old: OldWard): string {
  return old.oldName === old.oldDistrict ? `${old.oldName}` : `${old.oldName} (${old.oldDistrict})`;
}

function resolveOld(olds: readonly OldWard[], street: string | null, gazetteer: Gazetteer, context: string | null): AddressResult {
  const codes: string[] = [];
  for (const old of olds) for (const code of old.newCodes) if (!codes.includes(code)) codes.push(code);
  const names = olds.map(describeOld).join('; ');
  if (codes.length === 1) {
    const code = codes[0] ?? null;
    return {
      street,
      unitCode: code,
      status: 'matched',
      matchedBy: 'old_name',
      candidates: [],
      reason: `${names} cũ nay thuộc ${describeCodes(codes, gazetteer)}${context === null ? '' : `; ${context}`}`,
    };
  }
  if (codes.length === 0) return unmatched(street, `${names} cũ không có đơn vị mới tương ứng trong bảng chuyển đổi`);
  const split = olds.length === 1 ? `${names} cũ nay thuộc nhiều đơn vị` : `Có nhiều đơn vị cũ cùng tên: ${names}; nay thuộc`;
  return {
    street,
    unitCode: null,
    status: 'ambiguous',
    matchedBy: null,
    candidates: codes,
    reason: `${split}: ${describeCodes(codes, gazetteer)}${context === null ? '' : `; ${context}`}; cần cán bộ chọn`,
  };
}

function unmatched(street: string | null, reason: string): AddressResult {
  return { street, unitCode: null, status: 'unmatched', matchedBy: null, candidates: [], reason };
}

function resolve(result: Parse, tokens: readonly Token[], raw: string, gazetteer: Gazetteer): AddressResult {
  const tailOffset = tokens[result.tailStart]?.start ?? raw.length;
  const street = cleanStreet(raw.slice(0, tailOffset));
  const { ward, district } = result;
  const districtName = district === null ? null : (gazetteer.districtNames.get(district.districtKey) ?? null);

  if (ward === null) {
    if (district !== null) {
      // Huyện Côn Đảo had no communes: the district itself maps to Đặc khu Côn Đảo.
      const selfMapped: OldWard[] = [];
      for (const entry of gazetteer.wards.values()) {
        for (const old of entry.oldWards) if (old.districtKey === district.districtKey && old.oldName === old.oldDistrict) selfMapped.push(old);
      }
      if (selfMapped.length > 0) return resolveOld(selfMapped, street, gazetteer, null);
      return unmatched(street, `Chỉ có ${districtName ?? 'quận/huyện'} cũ, không có phường/xã: không xác định được đơn vị mới`);
    }
    return unmatched(street, 'Không nhận ra phường/xã/đặc khu trong địa chỉ');
  }

  const olds = byType(ward.entry.oldWards, ward.type);
  const news = byType(ward.entry.newUnits, ward.type);

  if (district !== null) {
    const inDistrict = olds.filter((old) => old.districtKey === district.districtKey);
    if (inDistrict.length > 0) return resolveOld(inDistrict, street, gazetteer, null);
  }
  if (news.length === 1) {
    const unit = news[0];
    if (unit !== undefined) return { street, unitCode: unit.code, status: 'matched', matchedBy: 'new_name', candidates: [], reason: null };
  }
  if (news.length > 1) {
    return {
      street,
      unitCode: null,
      status: 'ambiguous',
      matchedBy: null,
      candidates: news.map((unit) => unit.code),
      reason: `"${ward.written}" khớp nhiều đơn vị mới: ${describeCodes(news.map((unit) => unit.code), gazetteer)}; cần cán bộ chọn`,
    };
  }
  if (olds.length === 0) return unmatched(street, `Không nhận ra đơn vị "${ward.written}"`);
  if (district !== null) {
    // "Phường 3, Bình Thạnh": a number means nothing outside its district; do not offer the whole city.
    if (olds.every((old) => /\d/u.test(old.oldName))) {
      return unmatched(street, `Không có "${ward.written}" trong ${districtName ?? 'quận/huyện'} theo bảng chuyển đổi (có thể đã sáp nhập trước 2025 hoặc ghi sai quận/huyện)`);
    }
    const result = resolveOld(olds, street, gazetteer, `không thuộc ${districtName ?? 'quận/huyện'} như địa chỉ ghi`);
    // The written district contradicts the map: never settle on a unit silently.
    if (result.status === 'matched') return { ...result, status: 'ambiguous', unitCode: null, matchedBy: null, candidates: [result.unitCode ?? ''], reason: `${result.reason ?? ''}; cần cán bộ chọn` };
    return result;
  }
  if (olds.length > 1 && olds.some((old) => /\d/u.test(old.oldName))) {
    const result = resolveOld(olds, street, gazetteer, 'phường số cần ghi rõ quận/huyện cũ');
    return result;
  }
  return resolveOld(olds, street, gazetteer, null);
}

/**
 * Reads the trailing administrative parts of an address (ward, old district, province) and
 * resolves them to a new unit code. The leading parts are returned as `street`, as written.
 * Never throws.
 */
export function standardiseAddress(raw: string, gazetteer: Gazetteer, options: StandardiseOptions = {}): AddressResult {
  const text = typeof raw === 'string' ? raw.normalize('NFC') : '';
  const tokens = tokenise(text);
  let parsed = parse(tokens, gazetteer, text, 'part');
  if (parsed.ward === null) {
    // "F12 Gò Vấp": a bare district inside a part counts only when a prefixed ward precedes it.
    const loose = parse(tokens, gazetteer, text, 'anywhere');
    // "…, Gò Vấp": a bare district name may really be a new unit's name: read it as a ward.
    const strict = parse(tokens, gazetteer, text, 'never');
    if (loose.ward !== null && loose.ward.type !== null) parsed = loose;
    else if (strict.ward !== null) parsed = strict;
  }
  const result = resolve(parsed, tokens, text, gazetteer);
  if (result.status === 'unmatched' && options.defaultUnitCode !== undefined && options.defaultUnitCode !== '') {
    return {
      ...result,
      unitCode: options.defaultUnitCode,
      status: 'matched',
      matchedBy: 'default',
      reason: `${result.reason ?? 'Không nhận ra đơn vị'}; dùng đơn vị mặc định ${describeCodes([options.defaultUnitCode], gazetteer)}`,
    };
  }
  return result;
}
