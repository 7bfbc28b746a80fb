import type { FieldAction, FieldHousehold, FieldVisit } from '@cds/contract';

export type Outcome = FieldVisit['outcome'];
type Relation = FieldVisit['newPeople'][number]['relationToHead'];

export interface MemberDraft {
  residentId: number;
  present: boolean;
  /** Starts as the registry's current values; what differs from them is sent as observed. */
  values: Record<string, string>;
  actions: FieldAction[];
  trainingTopic: string;
}

export interface NewPersonDraft {
  clientPersonId: string;
  fullName: string;
  birthYear: string;
  sex: '' | 'male' | 'female';
  relationToHead: '' | Relation;
  phone: string;
}

export interface VisitDraft {
  outcome: Outcome | null;
  consent: boolean;
  members: MemberDraft[];
  newPeople: NewPersonDraft[];
  needDevice: boolean;
  needReturn: boolean;
  needHelp: boolean;
  helpDetail: string;
  note: string;
  /** Only for a household first found at the door. */
  address: string;
}

export function emptyDraft(household: FieldHousehold | null): VisitDraft {
  return {
    outcome: null,
    consent: false,
    members: (household?.members ?? []).map((m) => ({ residentId: m.residentId, present: false, values: { ...m.current }, actions: [], trainingTopic: '' })),
    newPeople: [],
    needDevice: false,
    needReturn: false,
    needHelp: false,
    helpDetail: '',
    note: '',
    address: '',
  };
}

export function newPersonDraft(id: string): NewPersonDraft {
  return { clientPersonId: id, fullName: '', birthYear: '', sex: '', relationToHead: '', phone: '' };
}

/** Personal data (who was home, the four elements, new people, needs of a person) is recorded only with consent. */
export function recordsPersonalData(draft: VisitDraft): boolean {
  return draft.outcome === 'done' && draft.consent;
}

export type DraftErrors = Record<string, string>;

/** Vietnamese messages keyed by field, checked before the visit is saved; empty when it may be saved. */
export function validateDraft(draft: VisitDraft, options: { isNewHousehold: boolean; currentYear: number }): DraftErrors {
  const errors: DraftErrors = {};
  if (options.isNewHousehold && draft.address.trim().length < 5) errors.address = 'Ghi địa chỉ của hộ (ít nhất 5 ký tự): số nhà, hẻm, đường';
  if (!draft.outcome) errors.outcome = 'Chọn kết quả lần thăm';
  if (draft.note.trim().length > 1000) errors.note = 'Ghi chú tối đa 1000 ký tự';
  if (!recordsPersonalData(draft)) return errors;
  const anyone = draft.members.some((m) => m.present) || draft.newPeople.length > 0;
  if (!anyone) errors.present = 'Đánh dấu ít nhất một người có ở nhà, hoặc thêm người mới';
  for (const member of draft.members) {
    if (member.actions.length > 0 && !member.present) errors[`member.${member.residentId}.present`] = 'Chỉ ghi việc đã làm cho người có ở nhà';
    if (member.actions.includes('trained') && member.trainingTopic.trim().length < 2) errors[`member.${member.residentId}.trainingTopic`] = 'Ghi nội dung đã hướng dẫn';
    if (member.trainingTopic.trim().length > 200) errors[`member.${member.residentId}.trainingTopic`] = 'Nội dung tối đa 200 ký tự';
  }
  draft.newPeople.forEach((person, index) => {
    const key = `new.${index}`;
    const name = person.fullName.trim();
    if (name.length < 2) errors[`${key}.fullName`] = 'Ghi họ và tên (ít nhất 2 ký tự)';
    else if (name.length > 120) errors[`${key}.fullName`] = 'Họ và tên tối đa 120 ký tự';
    const year = Number(person.birthYear);
    if (!/^\d{4}$/.test(person.birthYear.trim()) || year < 1900 || year > options.currentYear) errors[`${key}.birthYear`] = `Năm sinh là 4 chữ số, từ 1900 đến ${options.currentYear}`;
    if (!person.relationToHead) errors[`${key}.relationToHead`] = 'Chọn quan hệ với chủ hộ';
    const phone = person.phone.replace(/[\s.-]/g, '');
    if (phone && !/^(\+84|0)\d{8,10}$/.test(phone)) errors[`${key}.phone`] = 'Số điện thoại không đúng (ví dụ 0912345678)';
  });
  if (draft.needHelp && draft.helpDetail.trim().length < 3) errors.helpDetail = 'Ghi rõ cần hỗ trợ việc gì';
  if (draft.helpDetail.trim().length > 500) errors.helpDetail = 'Tối đa 500 ký tự';
  return errors;
}

/** The visit as sent to the server. Without consent only the outcome (and a return visit, which names nobody) is kept. */
export function buildVisit(draft: VisitDraft, household: FieldHousehold | null, ids: { clientVisitId: string; visitedAt: string }): FieldVisit {
  if (!draft.outcome) throw new Error('buildVisit: no outcome');
  const personal = recordsPersonalData(draft);
  const note = draft.note.trim();
  const visit: FieldVisit = {
    clientVisitId: ids.clientVisitId,
    householdId: household ? household.id : null,
    visitedAt: ids.visitedAt,
    outcome: draft.outcome,
    consent: personal,
    members: [],
    newPeople: [],
    needs: [],
  };
  if (!household) visit.newHousehold = { address: draft.address.trim() };
  if (note) visit.note = note;
  if (draft.needReturn || draft.outcome === 'nobody_home') visit.needs.push({ kind: 'return_visit' });
  if (!personal) return visit;
  const current = new Map((household?.members ?? []).map((m) => [m.residentId, m.current]));
  visit.members = draft.members.map((m) => {
    const before = current.get(m.residentId) ?? {};
    const observed: Record<string, string> = {};
    for (const [indicator, value] of Object.entries(m.values)) if (before[indicator] !== value) observed[indicator] = value;
    const member: FieldVisit['members'][number] = { residentId: m.residentId, present: m.present, observed, actions: m.present ? m.actions : [] };
    const topic = m.trainingTopic.trim();
    if (m.present && topic && m.actions.includes('trained')) member.trainingTopic = topic;
    return member;
  });
  visit.newPeople = draft.newPeople.map((p) => {
    const person: FieldVisit['newPeople'][number] = {
      clientPersonId: p.clientPersonId,
      fullName: p.fullName.trim().replace(/\s+/g, ' '),
      birthYear: Number(p.birthYear),
      sex: p.sex || null,
      relationToHead: p.relationToHead || 'other',
      observed: {},
      actions: [],
    };
    const phone = p.phone.replace(/[\s.-]/g, '');
    if (phone) person.phone = phone;
    return person;
  });
  if (draft.needDevice) visit.needs.push({ kind: 'device' });
  if (draft.needHelp) visit.needs.push({ kind: 'help', detail: draft.helpDetail.trim() });
  return visit;
}

/** "2026-12-02T11:50:00.000+07:00": the phone's local time with its offset, so the server knows the visit's local day. */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** crypto.randomUUID exists only in secure contexts; the fallback is the same v4 layout from getRandomValues. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
