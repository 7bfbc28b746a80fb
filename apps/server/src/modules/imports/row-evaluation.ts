import {
  checkCitizenId,
  classifyNonPersonRow,
  foldVietnamese,
  normaliseBirthDate,
  normaliseFullName,
  normalisePhone,
  normalisePovertyStatus,
  normaliseRelationToHead,
  normaliseResidenceType,
  normaliseSex,
  normaliseVneidLevel,
  standardiseAddress,
  type Gazetteer,
  type ImportField,
  type Indicator,
  type Sex,
  type SourceType,
} from '@cds/domain';

// One data record of a source list, read into what it says about a person, or the reasons it
// cannot be used. Pure: matching against the registry and writing happen in import-file.service.ts.

export interface RowPerson {
  fullName: string | null;
  birthDate: string | null;
  birthYear: number | null;
  sex: Sex | null;
  citizenId: string | null;
  legacyId: string | null;
  phone: string | null;
  phoneCarrier: string | null;
  street: string | null;
  unitCode: string | null;
  householdCode: string | null;
  relationToHead: 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'relative' | 'other' | null;
  residenceType: 'permanent' | 'temporary' | null;
  povertyStatus: 'poor' | 'near_poor' | 'none' | null;
  povertyListYear: number | null;
}

export type OrganisationKind = 'business' | 'cooperative' | 'agency' | 'organisation';

/** What an organisation list says about one organisation. */
export interface RowOrganisation {
  name: string;
  taxCode: string | null;
  kind: OrganisationKind;
  /** The address as the list writes it, kept whole: the registry shows it as is. */
  address: string | null;
  unitCode: string;
}

export interface RowFact {
  indicator: Indicator;
  value: string;
  /** When the source says it happened; the import date when it does not say. */
  observedOn?: string;
}

export type RowOutcome =
  | { status: 'skipped'; reasons: string[] }
  | { status: 'rejected'; reasons: string[]; unitCode: string | null }
  | { status: 'review'; reasons: string[]; person: RowPerson | null; unitCandidates: string[] }
  | { status: 'usable'; person: RowPerson; facts: RowFact[] }
  | { status: 'organisation'; organisation: RowOrganisation; facts: RowFact[] };

export interface RowContext {
  source: SourceType;
  columns: readonly (ImportField | null)[];
  headers: readonly string[];
  today: string;
  gazetteer: Gazetteer;
  defaultUnitCode: string | null;
  /** The unit codes of the importing province, for a "Phường/Xã" column written as a code. */
  unitCodes: ReadonlySet<string>;
  /** A person chose the unit of an address that the old names left ambiguous. */
  unitOverride?: string | undefined;
}

const FIELD_LABELS: Record<ImportField, string> = {
  fullName: 'Họ tên', birthDate: 'Ngày sinh', sex: 'Giới tính', citizenId: 'Số CCCD', phone: 'Số điện thoại', address: 'Địa chỉ',
  householdCode: 'Mã hộ', relationToHead: 'Quan hệ với chủ hộ', residenceType: 'Loại cư trú', unit: 'Phường/Xã', neighbourhood: 'Khu phố/Ấp',
  povertyStatus: 'Phân loại hộ', povertyListYear: 'Năm danh sách', vneidLevel: 'Mức định danh', accountKind: 'Loại tài khoản',
  courseName: 'Khóa học', completedOn: 'Ngày hoàn thành', organisationName: 'Tên tổ chức', taxCode: 'Mã số thuế', organisationKind: 'Loại hình',
};

/** The reason, led by the field's name unless the reason already names it. */
function labelled(field: ImportField, reason: string): string {
  const label = FIELD_LABELS[field];
  return reason.toLowerCase().startsWith(label.toLowerCase()) ? reason : `${label}: ${reason}`;
}

/** What each source list says, beyond who the person is. */
function factsOf(source: SourceType, cell: (field: ImportField) => string, reasons: string[], today: string): RowFact[] {
  switch (source) {
    case 'vneid_activation': {
      const raw = cell('vneidLevel');
      // A list of activations without a level column says "activated": the lowest level that means, so level-2 counts are not inflated.
      if (!raw) return [{ indicator: 'vneid', value: 'level1' }];
      const level = normaliseVneidLevel(raw);
      if (!level.ok) {
        reasons.push(labelled('vneidLevel', level.reason));
        return [];
      }
      return [{ indicator: 'vneid', value: level.value }];
    }
    case 'epayment_accounts':
      return [{ indicator: 'epayment_account', value: 'true' }];
    case 'social_insurance':
      return [{ indicator: 'social_insurance_vneid', value: 'true' }];
    case 'telecom_2g':
      // The operator's list says the subscriber's phone is 2G-only: a device to replace.
      return [{ indicator: 'phone_2g_only', value: 'true' }];
    case 'training_roster': {
      const raw = cell('completedOn');
      if (!raw) return [{ indicator: 'basic_skills_trained', value: 'true' }];
      // A completion date is read like any other date in these lists: day first, never in the future.
      const completed = normaliseBirthDate(raw, today);
      if (!completed.ok || !completed.value.date) {
        reasons.push(labelled('completedOn', completed.ok ? `"${raw}" cần đủ ngày, tháng, năm` : completed.reason));
        return [];
      }
      return [{ indicator: 'basic_skills_trained', value: 'true', observedOn: completed.value.date }];
    }
    default:
      return [];
  }
}

// A list writes a household's address on each member's row, one after the other: the last
// addresses' readings are kept per import (a few thousand, then started afresh), which spares
// most rows the gazetteer walk. The reading depends only on the text and the gazetteer.
const ADDRESSES_KEPT = 4096;
const addressCache = new WeakMap<Gazetteer, Map<string, ReturnType<typeof standardiseAddress>>>();
function locate(address: string, context: RowContext): ReturnType<typeof standardiseAddress> {
  let cache = addressCache.get(context.gazetteer);
  if (!cache) addressCache.set(context.gazetteer, (cache = new Map()));
  let located = cache.get(address);
  if (!located) {
    if (cache.size >= ADDRESSES_KEPT) cache.clear();
    located = standardiseAddress(address, context.gazetteer);
    cache.set(address, located);
  }
  return located;
}

export function evaluateRow(cells: readonly string[], context: RowContext): RowOutcome {
  const nonPerson = classifyNonPersonRow(cells, context.headers);
  if (nonPerson) {
    const why = { blank: 'Dòng trống', total: 'Dòng tổng cộng', header: 'Dòng tiêu đề lặp lại' }[nonPerson];
    return { status: 'skipped', reasons: [why] };
  }
  const cell = (field: ImportField): string => {
    const index = context.columns.indexOf(field);
    return index < 0 ? '' : (cells[index] ?? '').trim();
  };
  if (context.source === 'organisation_list') return evaluateOrganisation(cell, context);
  const reasons: string[] = [];
  const person: RowPerson = {
    fullName: null, birthDate: null, birthYear: null, sex: null, citizenId: null, legacyId: null, phone: null, phoneCarrier: null,
    street: null, unitCode: null, householdCode: null, relationToHead: null, residenceType: null, povertyStatus: null, povertyListYear: null,
  };

  const rawName = cell('fullName');
  if (rawName) {
    const name = normaliseFullName(rawName);
    if (name.ok) person.fullName = name.value;
    else reasons.push(labelled('fullName', name.reason));
  }
  const rawBirth = cell('birthDate');
  if (rawBirth) {
    const birth = normaliseBirthDate(rawBirth, context.today);
    if (birth.ok) {
      person.birthDate = birth.value.date;
      person.birthYear = birth.value.year;
    } else reasons.push(labelled('birthDate', birth.reason));
  }
  const rawSex = cell('sex');
  if (rawSex) {
    const sex = normaliseSex(rawSex);
    if (sex.ok) person.sex = sex.value;
    else reasons.push(labelled('sex', sex.reason));
  }
  const rawId = cell('citizenId');
  if (rawId) {
    const id = checkCitizenId(rawId, { birthYear: person.birthYear, sex: person.sex });
    if (!id.ok) reasons.push(labelled('citizenId', id.message));
    else if (id.kind === 'citizen_id') person.citizenId = id.value;
    else person.legacyId = id.value;
  }
  const rawPhone = cell('phone');
  if (rawPhone) {
    const phone = normalisePhone(rawPhone);
    if (phone.ok) {
      person.phone = phone.value;
      person.phoneCarrier = phone.carrier;
    } else reasons.push(labelled('phone', phone.message));
  }
  const rawRelation = cell('relationToHead');
  if (rawRelation) {
    const relation = normaliseRelationToHead(rawRelation);
    if (relation.ok) person.relationToHead = relation.value;
    else reasons.push(labelled('relationToHead', relation.reason));
  }
  const rawResidence = cell('residenceType');
  if (rawResidence) {
    const residence = normaliseResidenceType(rawResidence);
    if (residence.ok) person.residenceType = residence.value;
    else reasons.push(labelled('residenceType', residence.reason));
  }
  const rawPoverty = cell('povertyStatus');
  if (rawPoverty) {
    const poverty = normalisePovertyStatus(rawPoverty);
    if (poverty.ok) person.povertyStatus = poverty.value;
    else reasons.push(labelled('povertyStatus', poverty.reason));
  }
  const rawYear = cell('povertyListYear');
  if (rawYear) {
    const year = Number(rawYear);
    if (Number.isInteger(year) && year >= 2000 && year <= Number(context.today.slice(0, 4))) person.povertyListYear = year;
    else reasons.push(`${FIELD_LABELS.povertyListYear}: "${rawYear}" không phải năm hợp lệ`);
  }
  person.householdCode = cell('householdCode') || null;

  // Where the person lives: an explicit unit column first, then the address, then the file's default.
  let unitCandidates: string[] = [];
  const rawUnit = cell('unit');
  const rawAddress = cell('address');
  if (rawUnit && context.unitCodes.has(rawUnit)) person.unitCode = rawUnit;
  const located = rawAddress || rawUnit ? locate([rawAddress, rawUnit].filter(Boolean).join(', '), context) : null;
  if (located) {
    person.street = located.street;
    if (!person.unitCode && located.status === 'matched') person.unitCode = located.unitCode;
    if (!person.unitCode && located.status === 'ambiguous') unitCandidates = [...located.candidates];
  }
  if (context.unitOverride) {
    person.unitCode = context.unitOverride;
    unitCandidates = [];
  }
  if (!person.unitCode && unitCandidates.length === 0 && context.defaultUnitCode) person.unitCode = context.defaultUnitCode;

  const facts = factsOf(context.source, cell, reasons, context.today);

  // Operators' lists name subscribers by their number alone; a phone is then the person's only key.
  const phoneIdentifies = context.source === 'telecom_2g' && person.phone !== null;
  if (!person.fullName && !person.citizenId && !phoneIdentifies) reasons.push('Thiếu cả họ tên và số CCCD: không biết là ai');
  if (context.source === 'residence_list') {
    if (!person.fullName) reasons.push(`${FIELD_LABELS.fullName}: bắt buộc trong danh sách cư trú`);
    if (person.birthYear === null && !reasons.some((r) => r.startsWith(FIELD_LABELS.birthDate))) reasons.push(`${FIELD_LABELS.birthDate}: bắt buộc trong danh sách cư trú`);
  }
  if (reasons.length > 0) return { status: 'rejected', reasons, unitCode: person.unitCode };
  if (unitCandidates.length > 0) {
    return { status: 'review', reasons: [located?.reason ?? 'Địa chỉ cũ thuộc nhiều đơn vị mới: cần cán bộ chọn'], person, unitCandidates };
  }
  if (!person.unitCode && context.source === 'residence_list') {
    return { status: 'rejected', reasons: [located?.reason ?? 'Không xác định được phường/xã từ địa chỉ'], unitCode: null };
  }
  return { status: 'usable', person, facts };
}

// ---------------------------------------------------------------------------------------------
// Organisation lists
// ---------------------------------------------------------------------------------------------

const MAX_ORGANISATION_NAME_LENGTH = 300;

/**
 * A tax code as lists write it: "0301234567", "0301234567-001" (a branch), with spaces, dots or a
 * leading apostrophe. Nine digits are refused with a hint: a spreadsheet that read the code as a
 * number dropped its leading zero, and guessing it back could name another taxpayer.
 */
export function normaliseTaxCode(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  const text = raw.replace(/^\s*['’‘]/u, '').trim();
  const compact = text.replace(/[\s.]/gu, '').replace(/[–—_]/gu, '-');
  if (/^\d{10}(-\d{3})?$/u.test(compact)) return { ok: true, value: compact };
  // A branch written without its dash: 13 digits in a row.
  if (/^\d{13}$/u.test(compact)) return { ok: true, value: `${compact.slice(0, 10)}-${compact.slice(10)}` };
  if (/^\d{9}(-\d{3})?$/u.test(compact)) {
    return { ok: false, reason: `Mã số thuế "${text}" có 9 chữ số; có thể Excel đã bỏ số 0 ở đầu, cần ghi đủ 10 chữ số (định dạng ô là văn bản)` };
  }
  return { ok: false, reason: `Mã số thuế "${text}" không đúng dạng 10 chữ số hoặc 10 chữ số kèm "-" và 3 chữ số của chi nhánh` };
}

// Phrases, folded, in the order they are tried: the first that a kind cell (or, failing that, the
// name) contains decides. "Hợp tác xã" is tried before "tổ chức" and "doanh nghiệp" because a
// cooperative's name often carries both words.
const KIND_PHRASES: readonly (readonly [string, OrganisationKind])[] = [
  ['hop tac xa', 'cooperative'], ['htx', 'cooperative'], ['to hop tac', 'cooperative'], ['lien hiep hop tac xa', 'cooperative'],
  // "Sở", "Phòng", "Cục" are left out: short words that also occur in "Cơ sở …", "Phòng khám …";
  // a kind nobody can read is refused with a reason rather than guessed.
  ['co quan', 'agency'], ['ubnd', 'agency'], ['uy ban nhan dan', 'agency'], ['don vi su nghiep', 'agency'], ['co quan nha nuoc', 'agency'],
  ['doanh nghiep', 'business'], ['cong ty', 'business'], ['cty', 'business'], ['tnhh', 'business'], ['co phan', 'business'],
  ['dntn', 'business'], ['ho kinh doanh', 'business'], ['kinh doanh', 'business'], ['co so san xuat', 'business'],
  ['chi nhanh', 'business'], ['van phong dai dien', 'business'],
  ['to chuc', 'organisation'], ['hoi', 'organisation'], ['hiep hoi', 'organisation'], ['doan the', 'organisation'],
  ['quy', 'organisation'], ['to chuc xa hoi', 'organisation'], ['to chuc phi chinh phu', 'organisation'],
];

// In a name only phrases that name a legal form count: "Phòng khám …" is a business, "Quỹ tín dụng …" a cooperative's kin.
const NAME_PHRASES = new Set(['hop tac xa', 'htx', 'lien hiep hop tac xa', 'ubnd', 'uy ban nhan dan', 'cong ty', 'cty', 'tnhh', 'co phan', 'dntn', 'doanh nghiep', 'ho kinh doanh', 'hiep hoi']);

function kindFrom(text: string, inName: boolean): OrganisationKind | null {
  const key = ` ${foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  for (const [phrase, kind] of KIND_PHRASES) {
    if (inName && !NAME_PHRASES.has(phrase)) continue;
    if (key.includes(` ${phrase} `)) return kind;
  }
  return null;
}

function evaluateOrganisation(cell: (field: ImportField) => string, context: RowContext): RowOutcome {
  const reasons: string[] = [];
  const name = cell('organisationName').replace(/\s+/gu, ' ').trim();
  if (!name) reasons.push(`${FIELD_LABELS.organisationName}: bắt buộc trong danh sách tổ chức`);
  else if (!/\p{L}/u.test(name)) reasons.push(`${FIELD_LABELS.organisationName} "${name}" không có chữ cái nào`);
  else if (name.length > MAX_ORGANISATION_NAME_LENGTH) reasons.push(`${FIELD_LABELS.organisationName} dài ${name.length} ký tự; có thể nhiều ô đã bị gộp`);

  let taxCode: string | null = null;
  const rawTax = cell('taxCode');
  if (rawTax) {
    const checked = normaliseTaxCode(rawTax);
    if (checked.ok) taxCode = checked.value;
    else reasons.push(checked.reason);
  }

  const rawKind = cell('organisationKind');
  let kind: OrganisationKind | null = null;
  if (rawKind) {
    kind = kindFrom(rawKind, false);
    if (!kind) reasons.push(`${FIELD_LABELS.organisationKind} "${rawKind}" không rõ; cần ghi "Doanh nghiệp", "Hợp tác xã", "Cơ quan" hoặc "Tổ chức"`);
  }
  // Without a kind column the name usually says it ("Công ty TNHH …", "HTX …"); otherwise the
  // widest kind, which claims nothing about the body.
  if (!rawKind) kind = (name && kindFrom(name, true)) || 'organisation';

  let unitCode: string | null = null;
  let unitCandidates: string[] = [];
  const rawUnit = cell('unit');
  const rawAddress = cell('address');
  if (rawUnit && context.unitCodes.has(rawUnit)) unitCode = rawUnit;
  const located = rawAddress || rawUnit ? standardiseAddress([rawAddress, rawUnit].filter(Boolean).join(', '), context.gazetteer) : null;
  if (located && !unitCode) {
    if (located.status === 'matched') unitCode = located.unitCode;
    if (located.status === 'ambiguous') unitCandidates = located.candidates;
  }
  if (context.unitOverride) {
    unitCode = context.unitOverride;
    unitCandidates = [];
  }
  if (!unitCode && unitCandidates.length === 0 && context.defaultUnitCode) unitCode = context.defaultUnitCode;

  if (reasons.length > 0) return { status: 'rejected', reasons, unitCode };
  if (unitCandidates.length > 0) {
    return { status: 'review', reasons: [located?.reason ?? 'Địa chỉ cũ thuộc nhiều đơn vị mới: cần cán bộ chọn'], person: null, unitCandidates };
  }
  if (!unitCode) return { status: 'rejected', reasons: [located?.reason ?? 'Không xác định được phường/xã từ địa chỉ trụ sở'], unitCode: null };
  return { status: 'organisation', organisation: { name, taxCode, kind: kind ?? 'organisation', address: rawAddress || null, unitCode }, facts: [] };
}
