/**
 * The kinds of list a ward receives (issue 3), the columns each must or may carry, and how a
 * sheet's header row is matched to those columns.
 *
 * Headers are typed by hand in every office: "Họ và tên", "HỌ TÊN (*)", "1. Họ tên", "Số
 * CCCD/\nCMND của công dân". Matching compares folded text (foldHeaderText), tries exact aliases
 * before aliases contained in a longer header, and lets a mapping the user saved for the same
 * layout win over both.
 */
import { foldHeaderText, type Normalised } from './import-normalise.ts';
// The coded values are the registry's own, already declared beside the synthetic population;
// imported rather than redeclared so that the package index exports each name once.
import type { PovertyStatus, RelationToHead, ResidenceType } from './synthetic-population.ts';
import type { VneidLevel } from './synthetic-prevalence.ts';
import { foldVietnamese } from './vietnamese-text.ts';

export const SOURCE_TYPES = [
  'residence_list',
  'vneid_activation',
  'epayment_accounts',
  'social_insurance',
  'telecom_2g',
  'poverty_list',
  'training_roster',
  'organisation_list',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const SOURCE_LABELS: Record<SourceType, { vi: string; en: string }> = {
  residence_list: { vi: 'Danh sách cư trú (Công an)', en: 'Residence list (police)' },
  vneid_activation: { vi: 'Danh sách kích hoạt VNeID', en: 'VNeID activation list' },
  epayment_accounts: { vi: 'Danh sách tài khoản ngân hàng / ví điện tử', en: 'Bank and e-wallet accounts' },
  social_insurance: { vi: 'Danh sách BHXH / VssID', en: 'Social insurance (VssID) list' },
  telecom_2g: { vi: 'Thuê bao chỉ dùng 2G (nhà mạng)', en: '2G-only subscribers (carrier)' },
  poverty_list: { vi: 'Danh sách hộ nghèo, cận nghèo', en: 'Poor and near-poor households' },
  training_roster: { vi: 'Danh sách học viên đã tập huấn', en: 'Training roster' },
  organisation_list: { vi: 'Danh sách tổ chức, doanh nghiệp', en: 'Organisations and businesses' },
};

export const IMPORT_FIELDS = [
  'fullName',
  'birthDate',
  'sex',
  'citizenId',
  'phone',
  'address',
  'householdCode',
  'relationToHead',
  'residenceType',
  'unit',
  'neighbourhood',
  'povertyStatus',
  'povertyListYear',
  'vneidLevel',
  'accountKind',
  'courseName',
  'completedOn',
  'organisationName',
  'taxCode',
  'organisationKind',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Header spellings seen in real lists, compared after foldHeaderText, so case, diacritics,
 * punctuation and spacing do not matter. The same spelling may serve two fields only when no
 * source uses both ("Tên" is a person's name on a roster and the organisation's on a business list).
 */
export const FIELD_ALIASES: Record<ImportField, readonly string[]> = {
  fullName: [
    'Họ và tên', 'Họ tên', 'HO TEN', 'Tên', 'Họ và tên công dân', 'Họ tên công dân', 'Họ và tên người dân',
    'Họ tên học viên', 'Họ và tên học viên', 'Tên khách hàng', 'Họ tên khách hàng', 'Tên chủ tài khoản',
    'Họ tên chủ thuê bao', 'Tên thuê bao', 'Họ và tên người tham gia', 'Họ tên người tham gia',
    'Họ và tên thành viên', 'Tên công dân', 'Full name', 'Name',
  ],
  birthDate: [
    'Ngày sinh', 'Ngày tháng năm sinh', 'Ngày, tháng, năm sinh', 'NS', 'Năm sinh', 'NTNS', 'Ngày/tháng/năm sinh',
    'Sinh ngày', 'Date of birth', 'DOB',
  ],
  sex: ['Giới tính', 'Phái', 'GT', 'Nam/Nữ', 'Giới', 'Sex', 'Gender'],
  citizenId: [
    'Số CCCD', 'Số định danh cá nhân', 'CCCD/CMND', 'Số CMND', 'CCCD', 'Số ĐDCN', 'ĐDCN', 'Số định danh',
    'Mã định danh', 'Số CCCD/CMND', 'Số CMND/CCCD', 'CMND/CCCD', 'CMND', 'Số căn cước', 'Số căn cước công dân',
    'Căn cước công dân', 'Số thẻ căn cước', 'Số giấy tờ tùy thân', 'Số GTTT', 'Số CMT', 'Mã định danh cá nhân',
    'Số CC',
  ],
  phone: [
    'Số điện thoại', 'SĐT', 'Điện thoại', 'Số thuê bao', 'SĐT liên hệ', 'Số ĐT', 'ĐT', 'Điện thoại liên hệ',
    'Số điện thoại liên hệ', 'Số di động', 'Di động', 'ĐTDĐ', 'Số máy', 'Số thuê bao di động', 'Thuê bao', 'Số TB', 'MSISDN', 'Phone',
  ],
  address: [
    'Địa chỉ thường trú', 'Nơi thường trú', 'Địa chỉ', 'Nơi ở hiện tại', 'Địa chỉ tạm trú', 'Nơi tạm trú',
    'Chỗ ở hiện tại', 'Địa chỉ liên hệ', 'Địa chỉ cư trú', 'Nơi cư trú', 'Địa chỉ hiện tại', 'Số nhà', 'Nơi ở',
    'Địa chỉ trụ sở', 'Trụ sở', 'Address',
  ],
  householdCode: ['Mã hộ', 'Số hộ khẩu', 'Mã hộ gia đình', 'Số sổ hộ khẩu', 'Mã số hộ', 'Mã HGĐ', 'Số HK', 'Số SHK'],
  relationToHead: [
    'Quan hệ với chủ hộ', 'QH với CH', 'Quan hệ', 'QH với chủ hộ', 'Quan hệ chủ hộ', 'Quan hệ với CH', 'QHCH', 'QH',
  ],
  residenceType: ['Loại cư trú', 'Thường trú/Tạm trú', 'Tình trạng cư trú', 'Hình thức cư trú', 'TT/TTr', 'Diện cư trú'],
  unit: ['Phường/Xã', 'Phường', 'Xã', 'Đơn vị', 'Xã/Phường', 'Phường, xã', 'Đặc khu', 'Phường/Xã/Đặc khu', 'Đơn vị hành chính'],
  neighbourhood: ['Khu phố', 'Ấp', 'KP/Ấp', 'Tổ dân phố', 'KP', 'Ấp/Khu phố', 'Khu phố/Ấp', 'TDP', 'Tổ', 'Tổ dân cư'],
  povertyStatus: [
    'Phân loại hộ', 'Hộ nghèo/cận nghèo', 'Loại hộ', 'Diện hộ', 'Hộ nghèo, cận nghèo', 'Phân loại', 'HN/HCN',
    'Diện nghèo',
  ],
  povertyListYear: ['Năm', 'Năm rà soát', 'Năm phân loại', 'Năm công nhận'],
  vneidLevel: [
    'Mức định danh', 'Mức tài khoản', 'Trạng thái kích hoạt', 'Mức độ định danh', 'Mức tài khoản định danh',
    'Trạng thái', 'Trạng thái tài khoản', 'Tình trạng kích hoạt', 'Kích hoạt VNeID', 'VNeID', 'Mức',
  ],
  accountKind: ['Loại tài khoản', 'Ngân hàng/Ví', 'Ngân hàng', 'Ví điện tử', 'Tên ngân hàng', 'Loại TK', 'Ngân hàng mở tài khoản'],
  courseName: ['Khóa học', 'Nội dung tập huấn', 'Tên khóa học', 'Lớp', 'Tên lớp', 'Lớp tập huấn', 'Chuyên đề', 'Nội dung'],
  completedOn: ['Ngày hoàn thành', 'Ngày tập huấn', 'Thời gian tập huấn', 'Ngày học', 'Ngày cấp chứng nhận', 'Ngày kết thúc'],
  organisationName: [
    'Tên tổ chức', 'Tên doanh nghiệp', 'Tên đơn vị', 'Tên', 'Tên cơ sở', 'Tên hộ kinh doanh', 'Tên cơ quan',
    'Tên công ty', 'Tên DN', 'Doanh nghiệp', 'Tổ chức',
  ],
  taxCode: ['Mã số thuế', 'MST', 'Mã số doanh nghiệp', 'Mã số DN', 'Mã DN', 'Mã số ĐKKD'],
  organisationKind: ['Loại hình', 'Loại hình doanh nghiệp', 'Loại hình tổ chức', 'Loại hình hoạt động', 'Ngành nghề', 'Loại'],
};

export interface SourcePreset {
  required: readonly ImportField[];
  /** Each inner list is one way to identify a row; at least one must be complete. */
  requiredAnyOf?: readonly (readonly ImportField[])[];
  optional: readonly ImportField[];
}

// A person on an account, insurance or VNeID list is found by citizen ID, or failing that by
// name and birth date together.
const PERSON_KEY: readonly (readonly ImportField[])[] = [['citizenId'], ['fullName', 'birthDate']];
const PLACE: readonly ImportField[] = ['address', 'unit', 'neighbourhood'];

/**
 * What each source must and may carry. Status columns (poverty status, VNeID level) are optional
 * because many offices send one file per status ("Danh sách hộ nghèo"); the import then asks for
 * the status of the whole file.
 */
export const SOURCE_PRESETS: Record<SourceType, SourcePreset> = {
  residence_list: {
    required: ['fullName', 'birthDate'],
    optional: ['sex', 'citizenId', 'phone', 'householdCode', 'relationToHead', 'residenceType', ...PLACE],
  },
  vneid_activation: {
    required: [],
    requiredAnyOf: PERSON_KEY,
    optional: ['vneidLevel', 'sex', 'phone', ...PLACE],
  },
  epayment_accounts: {
    required: [],
    requiredAnyOf: PERSON_KEY,
    optional: ['accountKind', 'sex', 'phone', ...PLACE],
  },
  social_insurance: {
    required: [],
    requiredAnyOf: PERSON_KEY,
    optional: ['sex', 'phone', ...PLACE],
  },
  telecom_2g: {
    required: ['phone'],
    optional: ['fullName', 'birthDate', 'citizenId', 'sex', ...PLACE],
  },
  poverty_list: {
    required: ['fullName'],
    optional: [
      'povertyStatus', 'povertyListYear', 'birthDate', 'sex', 'citizenId', 'householdCode', 'relationToHead', 'phone',
      ...PLACE,
    ],
  },
  training_roster: {
    required: ['fullName'],
    optional: ['courseName', 'completedOn', 'birthDate', 'sex', 'citizenId', 'phone', ...PLACE],
  },
  organisation_list: {
    required: ['organisationName'],
    optional: ['taxCode', 'organisationKind', 'phone', ...PLACE],
  },
};

/** Every field a source can carry, required ones first. */
export function sourceFields(source: SourceType): ImportField[] {
  const preset = SOURCE_PRESETS[source];
  return [...new Set([...preset.required, ...(preset.requiredAnyOf ?? []).flat(), ...preset.optional])];
}

// Folded once: matching runs for every uploaded sheet.
const FOLDED_ALIASES: ReadonlyMap<ImportField, readonly string[]> = new Map(
  (Object.entries(FIELD_ALIASES) as [ImportField, readonly string[]][]).map(([field, aliases]) => [
    field,
    [...new Set(aliases.map(foldHeaderText))],
  ]),
);

/**
 * Words that, in a longer header, mean the column is about someone or something else: "Họ tên
 * chủ hộ" is the head's name on a per-person list, "Ngày sinh của mẹ" the mother's birth date.
 * Only containment matches are vetoed; an exact alias always counts.
 */
const CONTAINED_VETO: Partial<Record<ImportField, readonly string[]>> = {
  fullName: ['chu ho', 'cha', 'me', 'bo', 'vo', 'chong', 'nguoi giam ho', 'nguoi dai dien', 'to chuc', 'doanh nghiep', 'don vi', 'ngan hang', 'khoa hoc', 'lop'],
  birthDate: ['chu ho', 'cha', 'me', 'bo', 'vo', 'chong'],
  citizenId: ['chu ho', 'cha', 'me', 'bo', 'vo', 'chong', 'ngay cap', 'noi cap'],
  phone: ['chu ho', 'nguoi than', 'co dinh'],
  address: ['email', 'thu dien tu'],
  povertyListYear: ['sinh'],
};

// Exact matches outrank every containment; among either kind a longer alias is more specific.
const EXACT_BONUS = 1000;
const LEADING_BONUS = 100;

function contains(header: string, phrase: string): boolean {
  return ` ${header} `.includes(` ${phrase} `);
}

function bestFieldFor(header: string, fields: readonly ImportField[]): { field: ImportField; score: number } | null {
  if (header === '') return null;
  let best: { field: ImportField; score: number } | null = null;
  for (const field of fields) {
    const vetoed = (CONTAINED_VETO[field] ?? []).some((word) => contains(header, word));
    for (const alias of FOLDED_ALIASES.get(field) ?? []) {
      let score = 0;
      if (header === alias) score = EXACT_BONUS + alias.length;
      // A header names its subject first: "Địa chỉ (xã, phường)" is an address, not a ward.
      else if (!vetoed && contains(header, alias)) score = alias.length + (header.startsWith(`${alias} `) ? LEADING_BONUS : 0);
      if (score > 0 && (best === null || score > best.score)) best = { field, score };
    }
  }
  return best;
}

export interface HeaderMatch {
  /** The field read from each column, or null for a column to ignore. */
  columns: (ImportField | null)[];
  /**
   * Required fields with no column. For "at least one of" groups, the fields still lacking from
   * the alternative closest to complete (on a tie, the one with more columns found, then the
   * first listed).
   */
  missing: ImportField[];
  /** Non-empty headers left without a field, except those a saved mapping says to ignore. */
  unmatched: string[];
  /** Fields that more than one column claimed; only the best-matching column keeps the field. */
  duplicates: ImportField[];
}

/**
 * Matches a sheet's header cells to the fields of a source. `saved` maps a column index to a
 * field, or to null to ignore the column, and wins over matching; fields it assigns are not
 * given to any other column.
 */
export function matchHeaders(
  headers: readonly string[],
  source: SourceType,
  saved?: Partial<Record<number, ImportField | null>>,
): HeaderMatch {
  const fields = sourceFields(source);
  const columns: (ImportField | null)[] = headers.map(() => null);
  const duplicates = new Set<ImportField>();
  const claimed = new Set<ImportField>();
  const ignored = new Set<number>();

  headers.forEach((_header, index) => {
    if (saved === undefined || !Object.hasOwn(saved, index)) return;
    const field = saved[index];
    if (field === null || field === undefined) {
      ignored.add(index);
      return;
    }
    if (claimed.has(field)) {
      duplicates.add(field);
      return;
    }
    claimed.add(field);
    columns[index] = field;
  });

  const candidates = headers
    .map((header, index) => ({ index, match: bestFieldFor(foldHeaderText(String(header ?? '')), fields) }))
    .filter((entry) => !ignored.has(entry.index) && columns[entry.index] === null && entry.match !== null);
  // Best matches claim their fields first; on a tie the leftmost column wins.
  candidates.sort((a, b) => (b.match?.score ?? 0) - (a.match?.score ?? 0) || a.index - b.index);
  const autoClaimed = new Set<ImportField>();
  for (const { index, match } of candidates) {
    if (match === null) continue;
    if (autoClaimed.has(match.field)) {
      duplicates.add(match.field);
      continue;
    }
    // A field the user placed by hand is not a duplicate of a guess.
    if (claimed.has(match.field)) continue;
    claimed.add(match.field);
    autoClaimed.add(match.field);
    columns[index] = match.field;
  }

  const unmatched = headers
    .map((header, index) => ({ header: String(header ?? '').trim(), index }))
    .filter(({ header, index }) => header !== '' && columns[index] === null && !ignored.has(index))
    .map(({ header }) => header);

  return { columns, missing: missingFields(source, claimed), unmatched, duplicates: [...duplicates] };
}

/** Required fields no column maps to yet: the web's mapping step and the server ask the same question. */
export function missingFields(source: SourceType, present: ReadonlySet<ImportField>): ImportField[] {
  const preset = SOURCE_PRESETS[source];
  const missing = preset.required.filter((field) => !present.has(field));
  const alternatives = preset.requiredAnyOf ?? [];
  if (alternatives.length > 0) {
    const options = alternatives.map((group) => ({
      lacking: group.filter((field) => !present.has(field)),
      found: group.filter((field) => present.has(field)).length,
    }));
    if (options.every((option) => option.lacking.length > 0)) {
      // Fewest fields to add; on a tie, the alternative the sheet has started on.
      const closest = options.reduce((best, option) =>
        option.lacking.length < best.lacking.length ||
        (option.lacking.length === best.lacking.length && option.found > best.found)
          ? option
          : best,
      );
      for (const field of closest.lacking) if (!missing.includes(field)) missing.push(field);
    }
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Coded values
// ---------------------------------------------------------------------------------------------

/** Folded, with punctuation turned to spaces: "Đã kích hoạt (mức 2)." → "da kich hoat muc 2". */
function valueKey(text: string): string {
  return foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function has(key: string, phrase: string): boolean {
  return ` ${key} `.includes(` ${phrase} `);
}

function emptyReason<T>(what: string): Normalised<T> {
  return { ok: false, reason: `Chưa nhập ${what}` };
}

/**
 * A VNeID account state as lists write it:
 *   'level2'  "Mức 2", "2", "Đã kích hoạt mức 2", "ĐDĐT mức 2", "M2", "Level 2"
 *   'level1'  "Mức 1", "1", "Đã kích hoạt mức 1"; also "Đã kích hoạt" with no level, the lower
 *             bound of what it states (an activated account is at least level 1), so level-2
 *             counts are never inflated by a guess
 *   'issued'  "Chưa kích hoạt", "Đã cấp", "Đã đăng ký", "Chờ kích hoạt": the police create the
 *             account when the ID card is made, and the citizen has not activated it yet
 *   'none'    "Chưa đăng ký", "Chưa có tài khoản", "Không", "Không có"
 */
export function normaliseVneidLevel(raw: string | number | null | undefined): Normalised<VneidLevel> {
  if (raw === null || raw === undefined) return emptyReason('mức tài khoản định danh');
  const text = String(raw).trim();
  const key = valueKey(text);
  if (key === '') return emptyReason('mức tài khoản định danh');

  // "Mức 2", "mức độ 2", "M2", "Level 2", "2", "Đã kích hoạt mức 2".
  const level = /(?:^| )(?:muc|muc do|level|lv|m|l|cap do)? ?(\d+)$/u.exec(key)?.[1] ?? null;
  const notYet = has(key, 'chua') || has(key, 'cho');
  if (has(key, 'khong') || (has(key, 'chua') && (has(key, 'dang ky') || has(key, 'co') || has(key, 'cap')))) {
    return { ok: true, value: 'none' };
  }
  if (notYet && (has(key, 'kich hoat') || has(key, 'xac thuc'))) return { ok: true, value: 'issued' };
  if (level === '2') return { ok: true, value: 'level2' };
  if (level === '1') return { ok: true, value: 'level1' };
  if (level !== null) return { ok: false, reason: `Mức tài khoản định danh "${text}" không có; chỉ có mức 1 và mức 2` };
  if (has(key, 'da kich hoat') || key === 'kich hoat' || key === 'co' || key === 'da co') return { ok: true, value: 'level1' };
  if (has(key, 'da cap') || has(key, 'da dang ky') || key === 'dang ky') return { ok: true, value: 'issued' };
  return { ok: false, reason: `Mức tài khoản định danh "${text}" không rõ; cần ghi "Mức 1", "Mức 2", "Chưa kích hoạt" hoặc "Chưa đăng ký"` };
}

const POVERTY_ABBREVIATIONS: ReadonlyMap<string, PovertyStatus> = new Map([
  ['hn', 'poor'],
  ['n', 'poor'],
  ['hcn', 'near_poor'],
  ['cn', 'near_poor'],
  ['can', 'near_poor'],
  ['k', 'none'],
  ['khong', 'none'],
]);

/**
 * A household's poverty classification: "Hộ nghèo", "nghèo", "HN" → poor; "Cận nghèo", "Hộ cận
 * nghèo", "HCN" → near_poor; "Không", "Thoát nghèo", "Hộ có mức sống trung bình" → none (a
 * household that left the list this year is no longer poor).
 */
export function normalisePovertyStatus(raw: string | null | undefined): Normalised<PovertyStatus> {
  if (raw === null || raw === undefined) return emptyReason('phân loại hộ');
  const text = raw.trim();
  const key = valueKey(text);
  if (key === '') return emptyReason('phân loại hộ');
  const abbreviation = POVERTY_ABBREVIATIONS.get(key);
  if (abbreviation !== undefined) return { ok: true, value: abbreviation };
  if (has(key, 'thoat') || has(key, 'khong') || has(key, 'muc song trung binh') || key === 'binh thuong') {
    return { ok: true, value: 'none' };
  }
  if (has(key, 'can ngheo')) return { ok: true, value: 'near_poor' };
  if (has(key, 'ngheo')) return { ok: true, value: 'poor' };
  return { ok: false, reason: `Phân loại hộ "${text}" không rõ; cần ghi "Hộ nghèo", "Hộ cận nghèo" hoặc "Không"` };
}

// Looked up before folding, where folding would merge words of different meaning.
const RELATION_WITH_MARKS: ReadonlyMap<string, RelationToHead> = new Map([
  ['bà', 'relative'], // grandmother
  ['ba', 'parent'], // father, in southern speech ("Ba", "Má")
  ['chú', 'relative'],
  ['chủ', 'head'],
]);

const RELATIONS: ReadonlyMap<string, RelationToHead> = new Map(
  (
    [
      ['head', ['chu ho', 'ch', 'ban than', 'la chu ho']],
      ['spouse', ['vo', 'chong', 'vo chong', 'vk', 'ck']],
      ['child', ['con', 'con trai', 'con gai', 'con ruot', 'con de', 'con nuoi', 'con rieng', 'con trai ruot', 'con gai ruot']],
      [
        'parent',
        ['cha', 'me', 'bo', 'ba', 'ma', 'tia', 'cha de', 'me de', 'bo de', 'cha ruot', 'me ruot', 'bo ruot', 'cha me', 'bo me', 'cha nuoi', 'me nuoi'],
      ],
      ['grandchild', ['chau', 'chau noi', 'chau ngoai', 'chau ruot']],
      ['sibling', ['anh', 'chi', 'em', 'anh trai', 'chi gai', 'em trai', 'em gai', 'anh ruot', 'chi ruot', 'em ruot', 'anh chi em']],
      [
        'relative',
        [
          'ong', 'ong noi', 'ong ngoai', 'ba noi', 'ba ngoai', 'cu', 'cu noi', 'cu ngoai', 'chat', 'chit',
          'con dau', 'con re', 'chau dau', 'chau re', 'anh re', 'chi dau', 'em dau', 'em re', 'anh ho', 'chi ho', 'em ho',
          'chau ho', 'cha vo', 'me vo', 'bo vo', 'cha chong', 'me chong', 'bo chong', 'co', 'di', 'cau', 'mo', 'thim',
          'bac', 'duong', 'chu', 'nguoi than', 'ho hang', 'ba con', 'anh chong', 'chi chong', 'em chong', 'anh vo',
          'chi vo', 'em vo',
        ],
      ],
      ['other', ['khac', 'o nho', 'o ghep', 'nguoi o nho', 'o tro', 'nguoi o tro', 'ban', 'giup viec', 'nguoi giup viec', 'nguoi lam thue']],
    ] as const
  ).flatMap(([relation, names]) => names.map((name) => [name, relation] as const)),
);

/**
 * A person's relation to the head of household, as written in residence records: "Chủ hộ"/"CH",
 * "Vợ"/"Chồng", "Con"/"Con trai"/"Con gái", "Cha"/"Mẹ"/"Bố" (and "Ba"/"Má" in the south),
 * "Cháu", "Anh"/"Chị"/"Em", and in-laws, grandparents and other kin as 'relative' ("Con dâu",
 * "Con rể", "Ông", "Bà"). A trailing "chủ hộ"/"của chủ hộ" ("Vợ chủ hộ") and "thứ 2" are ignored.
 * "Ba" without a mark is read as father; "Bà" with one as grandmother.
 */
export function normaliseRelationToHead(raw: string | null | undefined): Normalised<RelationToHead> {
  if (raw === null || raw === undefined) return emptyReason('quan hệ với chủ hộ');
  const text = raw.trim();
  if (text === '') return emptyReason('quan hệ với chủ hộ');
  const marked = RELATION_WITH_MARKS.get(text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' '));
  if (marked !== undefined) return { ok: true, value: marked };
  const key = valueKey(text);
  const direct = RELATIONS.get(key);
  if (direct !== undefined) return { ok: true, value: direct };
  const trimmed = key
    .replace(/ thu \d+$/u, '')
    .replace(/ (?:cua )?(?:chu ho|ch)$/u, '')
    .trim();
  const relation = RELATIONS.get(trimmed);
  if (relation !== undefined) return { ok: true, value: relation };
  return { ok: false, reason: `Quan hệ với chủ hộ "${text}" không rõ` };
}

// KT1–KT4 are the pre-2021 registration classes: KT1 and KT2 permanent (in and outside the
// district), KT3 and KT4 temporary (long and short stay).
const RESIDENCE_TYPES: ReadonlyMap<string, ResidenceType> = new Map([
  ['thuong tru', 'permanent'],
  ['tt', 'permanent'],
  ['dang ky thuong tru', 'permanent'],
  ['kt1', 'permanent'],
  ['kt2', 'permanent'],
  ['tam tru', 'temporary'],
  ['ttr', 'temporary'],
  ['tam tru dai han', 'temporary'],
  ['tam tru ngan han', 'temporary'],
  ['dang ky tam tru', 'temporary'],
  ['kt3', 'temporary'],
  ['kt4', 'temporary'],
]);

/**
 * Permanent or temporary residence: "Thường trú"/"TT" → permanent, "Tạm trú"/"TTr" → temporary.
 * "Tạm vắng" (registered here but away) and "Lưu trú" (a stay of days) are neither and are refused.
 */
export function normaliseResidenceType(raw: string | null | undefined): Normalised<ResidenceType> {
  if (raw === null || raw === undefined) return emptyReason('loại cư trú');
  const text = raw.trim();
  const key = valueKey(text);
  if (key === '') return emptyReason('loại cư trú');
  const type = RESIDENCE_TYPES.get(key);
  if (type !== undefined) return { ok: true, value: type };
  if (has(key, 'tam vang') || has(key, 'luu tru')) {
    return { ok: false, reason: `Loại cư trú "${text}" không phải thường trú hay tạm trú; cần xem lại người này` };
  }
  return { ok: false, reason: `Loại cư trú "${text}" không rõ; cần ghi "Thường trú" hoặc "Tạm trú"` };
}
