/**
 * A refused send, read for an official: the visit as the app sent it is kept byte for byte, and may
 * be anything (an old app's shape, a truncated body), so every field is read defensively and shown
 * in words — never as raw JSON — with what could not be read named instead of thrown.
 */

export type ValuePair = { indicator: string; value: string };
export type MemberLine = { residentId: number | null; present: boolean | null; observed: ValuePair[]; actions: string[]; trainingTopic: string | null };
export type NewPersonLine = { fullName: string; birthYear: number | null; relationToHead: string | null; observed: ValuePair[]; actions: string[] };
export type NeedLine = { kind: string; residentId: number | null; detail: string | null };
/** A device handover sent from the field app (kind 'handover'): what it said, never its images. */
export type HandoverLine = {
  allocationId: number | null;
  imeiLast4: string | null;
  handedOverAt: string | null;
  confirmation: 'code' | 'signature' | null;
  hasPhoto: boolean;
  photoSkippedNote: string | null;
  consentToSponsor: boolean | null;
};

export type PayloadSummary = {
  /** Why nothing could be read, when the payload is not a visit at all. */
  problem: 'empty' | 'not_object' | null;
  householdId: number | null;
  newHouseholdAddress: string | null;
  visitedAt: string | null;
  outcome: string | null;
  consent: boolean | null;
  members: MemberLine[];
  newPeople: NewPersonLine[];
  needs: NeedLine[];
  note: string | null;
  handover: HandoverLine | null;
  /** Items left out past the display limit, so the reader knows the list is longer. */
  omitted: number;
};

/** Lists longer than this are cut: a visit allows 40 members, a hostile payload could hold a million. */
export const LIST_LIMIT = 40;
const TEXT_LIMIT = 200;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!t) return null;
  return t.length > TEXT_LIMIT ? `${t.slice(0, TEXT_LIMIT - 1)}…` : t;
}
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

function values(v: unknown): ValuePair[] {
  if (!isObj(v)) return [];
  return Object.entries(v)
    .slice(0, LIST_LIMIT)
    .flatMap(([indicator, value]) => {
      const s = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? text(String(value)) : null;
      return s === null ? [] : [{ indicator: indicator.slice(0, 60), value: s }];
    });
}

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.slice(0, LIST_LIMIT).flatMap((x) => {
    const s = text(x);
    return s === null ? [] : [s.slice(0, 60)];
  });
}

function list<T>(v: unknown, read: (item: Obj) => T, counter: { omitted: number }): T[] {
  if (!Array.isArray(v)) return [];
  counter.omitted += Math.max(0, v.length - LIST_LIMIT);
  return v.slice(0, LIST_LIMIT).filter(isObj).map(read);
}

export function summarisePayload(payload: unknown): PayloadSummary {
  const blank: PayloadSummary = {
    problem: null,
    householdId: null,
    newHouseholdAddress: null,
    visitedAt: null,
    outcome: null,
    consent: null,
    members: [],
    newPeople: [],
    needs: [],
    note: null,
    handover: null,
    omitted: 0,
  };
  if (payload === null || payload === undefined || payload === '') return { ...blank, problem: 'empty' };
  let value: unknown = payload;
  // A body that was kept as text (it did not parse on arrival, or was stored as a string) is tried once more.
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return { ...blank, problem: 'not_object' };
    }
  }
  if (!isObj(value)) return { ...blank, problem: 'not_object' };

  const counter = { omitted: 0 };
  const v = value;
  if (v.kind === 'handover') {
    // The code itself is not shown: it is the recipient's, and a wrong one says nothing useful.
    const imei = typeof v.imei === 'string' ? v.imei.replace(/\D/g, '') : '';
    return {
      ...blank,
      householdId: int(v.householdId),
      handover: {
        allocationId: int(v.allocationId),
        imeiLast4: imei.length >= 4 ? imei.slice(-4) : null,
        handedOverAt: text(v.handedOverAt),
        confirmation: typeof v.confirmationCode === 'string' ? 'code' : typeof v.signaturePng === 'string' ? 'signature' : null,
        hasPhoto: typeof v.photo === 'string' && v.photo.length > 0,
        photoSkippedNote: text(v.photoSkippedNote),
        consentToSponsor: bool(v.consentToSponsor),
      },
    };
  }
  return {
    ...blank,
    householdId: int(v.householdId),
    newHouseholdAddress: isObj(v.newHousehold) ? text(v.newHousehold.address) : null,
    visitedAt: text(v.visitedAt),
    outcome: text(v.outcome),
    consent: bool(v.consent),
    members: list(
      v.members,
      (m) => ({
        residentId: int(m.residentId),
        present: bool(m.present),
        observed: values(m.observed),
        actions: strings(m.actions),
        trainingTopic: text(m.trainingTopic),
      }),
      counter,
    ),
    newPeople: list(
      v.newPeople,
      (p) => ({
        fullName: text(p.fullName) ?? '—',
        birthYear: int(p.birthYear),
        relationToHead: text(p.relationToHead),
        observed: values(p.observed),
        actions: strings(p.actions),
      }),
      counter,
    ),
    needs: list(v.needs, (n) => ({ kind: text(n.kind) ?? '—', residentId: int(n.residentId), detail: text(n.detail) }), counter),
    note: text(v.note),
    omitted: counter.omitted,
  };
}
