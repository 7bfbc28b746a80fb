import type { ElementStatus, FactView, ResidentDetail, ResidentSummary } from '@cds/contract';
import { residents } from '@cds/db';
import { ELEMENTS, ELEMENT_INDICATORS, ageOn, elementState, isEligibleAdult, maskCitizenId, maskPhone, type Indicator } from '@cds/domain';
import type { PersonalDataVault } from '../../platform/personal-data-vault.ts';
import type { Actor } from '../access/actor.ts';
import { may } from '../access/policy.ts';

// What of a resident leaves the server, for whom. Citizen IDs and phones are always masked here;
// the full value only leaves through the logged reveal operation.

export type ResidentRow = typeof residents.$inferSelect;

/** The fields a detail view shows; the audit log names them for each read. */
export const DETAIL_FIELDS = ['fullName', 'birthDate', 'sex', 'citizenId(masked)', 'phone(masked)', 'relationToHead', 'residenceType', 'status', 'elements'];
export const SUMMARY_FIELDS = ['fullName', 'birthYear', 'sex', 'citizenId(masked)', 'relationToHead', 'status'];

function maskedCitizenId(row: ResidentRow, vault: PersonalDataVault): string | null {
  if (row.citizenIdEnc) return maskCitizenId(vault.decrypt(row.citizenIdEnc));
  if (row.legacyIdEnc) return maskCitizenId(vault.decrypt(row.legacyIdEnc));
  return null;
}

export function presentResidentSummary(row: ResidentRow, vault: PersonalDataVault): ResidentSummary {
  return {
    id: row.id,
    householdId: row.householdId,
    unitCode: row.unitCode,
    fullName: row.fullName,
    birthYear: row.birthYear,
    sex: row.sex,
    citizenId: maskedCitizenId(row, vault),
    relationToHead: row.relationToHead,
    status: row.status,
  };
}

export function presentElements(current: Map<Indicator, FactView> | undefined, age: number): ElementStatus[] {
  return ELEMENTS.map((element) => {
    const values: Partial<Record<Indicator, string>> = {};
    const indicators = ELEMENT_INDICATORS[element].map((indicator) => {
      const fact = current?.get(indicator) ?? null;
      if (fact) values[indicator] = fact.value;
      return { indicator, value: fact?.value ?? null, fact };
    });
    return { element, state: elementState(element, values, age), indicators };
  });
}

export function presentResidentDetail(
  row: ResidentRow,
  current: Map<Indicator, FactView> | undefined,
  actor: Actor,
  vault: PersonalDataVault,
  today: string,
): ResidentDetail {
  const age = ageOn(today, row.birthDate, row.birthYear);
  return {
    ...presentResidentSummary(row, vault),
    birthDate: row.birthDate,
    age,
    phone: row.phone ? maskPhone(row.phone) : null,
    phoneCarrier: row.phoneCarrier,
    residenceType: row.residenceType,
    eligible: isEligibleAdult(row, today),
    elements: presentElements(current, age),
    canReveal: {
      citizenId: Boolean(row.citizenIdEnc || row.legacyIdEnc) && may.revealCitizenId(actor, row.id),
      phone: Boolean(row.phone) && may.revealPhone(actor, row.id),
    },
  };
}
