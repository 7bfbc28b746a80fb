import { checkCitizenId, foldVietnamese, normalisePersonName, normalisePhone, type Sex } from '@cds/domain';
import type { PersonalDataVault } from '../../platform/personal-data-vault.ts';
import { invalid } from '../../platform/errors.ts';

// Turns what a person typed about a resident into the stored columns, or throws a
// VALIDATION_FAILED that names the field and the reason in Vietnamese.

export interface ResidentFieldsInput {
  fullName?: string | undefined;
  birthDate?: string | null | undefined;
  birthYear?: number | undefined;
  sex?: Sex | null | undefined;
  citizenId?: string | null | undefined;
  phone?: string | null | undefined;
}

export interface ResidentColumns {
  fullName?: string;
  nameFolded?: string;
  birthDate?: string | null;
  birthYear?: number;
  sex?: Sex | null;
  citizenIdHash?: string | null;
  citizenIdEnc?: string | null;
  citizenIdLast4?: string | null;
  legacyIdHash?: string | null;
  legacyIdEnc?: string | null;
  phone?: string | null;
  phoneCarrier?: string | null;
}

export function residentColumns(
  input: ResidentFieldsInput,
  existing: { birthDate: string | null; birthYear: number; sex: Sex | null } | null,
  vault: PersonalDataVault,
  today: string,
): ResidentColumns {
  const out: ResidentColumns = {};
  if (input.fullName !== undefined) {
    const name = normalisePersonName(input.fullName);
    if (name.length < 2) throw invalid('body.fullName', 'Họ tên quá ngắn');
    out.fullName = name;
    out.nameFolded = foldVietnamese(name);
  }
  if (input.birthDate !== undefined || input.birthYear !== undefined) {
    const birthDate = input.birthDate ?? null;
    if (birthDate && birthDate > today) throw invalid('body.birthDate', 'Ngày sinh ở tương lai');
    const yearFromDate = birthDate ? Number(birthDate.slice(0, 4)) : undefined;
    if (yearFromDate !== undefined && input.birthYear !== undefined && input.birthYear !== yearFromDate) {
      throw invalid('body.birthYear', `Năm sinh ${input.birthYear} không khớp ngày sinh ${birthDate}`);
    }
    const birthYear = yearFromDate ?? input.birthYear;
    if (birthYear === undefined) throw invalid('body.birthYear', 'Cần ngày sinh hoặc năm sinh');
    if (birthYear > Number(today.slice(0, 4))) throw invalid('body.birthYear', 'Năm sinh ở tương lai');
    out.birthDate = birthDate;
    out.birthYear = birthYear;
  } else if (!existing) {
    throw invalid('body.birthYear', 'Cần ngày sinh hoặc năm sinh');
  }
  if (input.sex !== undefined) out.sex = input.sex;

  if (input.citizenId !== undefined) {
    out.citizenIdHash = out.citizenIdEnc = out.citizenIdLast4 = out.legacyIdHash = out.legacyIdEnc = null;
    if (input.citizenId) {
      const checked = checkCitizenId(input.citizenId, {
        birthYear: out.birthYear ?? existing?.birthYear ?? null,
        sex: out.sex !== undefined ? out.sex : (existing?.sex ?? null),
      });
      if (!checked.ok) throw invalid('body.citizenId', checked.message);
      if (checked.kind === 'citizen_id') {
        out.citizenIdHash = vault.hash(checked.value);
        out.citizenIdEnc = vault.encrypt(checked.value);
        out.citizenIdLast4 = checked.value.slice(-4);
      } else {
        out.legacyIdHash = vault.hash(checked.value);
        out.legacyIdEnc = vault.encrypt(checked.value);
      }
    }
  }
  if (input.phone !== undefined) {
    out.phone = out.phoneCarrier = null;
    if (input.phone) {
      const checked = normalisePhone(input.phone);
      if (!checked.ok) throw invalid('body.phone', checked.message);
      out.phone = checked.value;
      out.phoneCarrier = checked.carrier;
    }
  }
  return out;
}
