import { FieldVisit } from '@cds/contract';
import { describe, expect, it } from 'vitest';
import { sampleHousehold } from './field-fixtures';
import { buildVisit, emptyDraft, isoWithOffset, newId, newPersonDraft, validateDraft, type VisitDraft } from './visit-draft';

const ids = () => ({ clientVisitId: newId(), visitedAt: isoWithOffset(new Date('2026-12-02T03:04:05Z')) });
const opts = { isNewHousehold: false, currentYear: 2026 };

function doneWithConsent(): VisitDraft {
  const draft = emptyDraft(sampleHousehold(1));
  return { ...draft, outcome: 'done', consent: true };
}

describe('visit form', () => {
  it('asks for an outcome before anything else', () => {
    expect(validateDraft(emptyDraft(sampleHousehold(1)), opts)).toEqual({ outcome: 'Chọn kết quả lần thăm' });
  });

  it('records only the outcome without consent, even when members were ticked', () => {
    const draft = { ...doneWithConsent(), consent: false };
    draft.members[0]!.present = true;
    draft.members[0]!.actions = ['city_app_installed'];
    expect(validateDraft(draft, opts)).toEqual({});
    const visit = buildVisit(draft, sampleHousehold(1), ids());
    expect(visit).toMatchObject({ outcome: 'done', consent: false, members: [], newPeople: [], needs: [] });
    expect(FieldVisit.safeParse(visit).success).toBe(true);
  });

  it('with consent, sends who was home, the corrected values only, actions and the training topic', () => {
    const draft = doneWithConsent();
    const head = draft.members[0]!;
    head.present = true;
    head.values = { ...head.values, vneid: 'level2', smartphone: 'true', basic_skills_trained: 'true' };
    head.actions = ['vneid_level2', 'trained'];
    head.trainingTopic = '  Nộp hồ sơ trên Cổng DVC ';
    const visit = buildVisit(draft, sampleHousehold(1), ids());
    expect(visit.members[0]).toEqual({ residentId: 11, present: true, observed: { vneid: 'level2', basic_skills_trained: 'true' }, actions: ['vneid_level2', 'trained'], trainingTopic: 'Nộp hồ sơ trên Cổng DVC' });
    expect(visit.members[1]).toEqual({ residentId: 12, present: false, observed: {}, actions: [] });
    expect(FieldVisit.safeParse(visit).success).toBe(true);
  });

  it('says in Vietnamese what is missing: someone at home, a training topic, a new person’s details, the help needed', () => {
    const draft = doneWithConsent();
    expect(validateDraft(draft, opts).present).toMatch(/ít nhất một người/);
    draft.members[0]!.present = true;
    draft.members[0]!.actions = ['trained'];
    draft.newPeople = [{ ...newPersonDraft(newId()), fullName: 'A', birthYear: '2031', phone: '12ab' }];
    draft.needHelp = true;
    const errors = validateDraft(draft, opts);
    expect(errors['member.11.trainingTopic']).toBe('Ghi nội dung đã hướng dẫn');
    expect(errors['new.0.fullName']).toMatch(/Ghi họ và tên/);
    expect(errors['new.0.birthYear']).toBe('Năm sinh là 4 chữ số, từ 1900 đến 2026');
    expect(errors['new.0.relationToHead']).toBe('Chọn quan hệ với chủ hộ');
    expect(errors['new.0.phone']).toMatch(/Số điện thoại không đúng/);
    expect(errors.helpDetail).toBe('Ghi rõ cần hỗ trợ việc gì');
  });

  it('builds a new household found at the door with its new people, valid for the server', () => {
    const draft: VisitDraft = { ...emptyDraft(null), outcome: 'done', consent: true, address: '15/3 hẻm 42 Lê Lợi' };
    draft.newPeople = [{ ...newPersonDraft(newId()), fullName: 'Lê  Văn Tám', birthYear: '1990', sex: 'male', relationToHead: 'head', phone: '0912 345 678' }];
    draft.needDevice = true;
    expect(validateDraft(draft, { ...opts, isNewHousehold: true })).toEqual({});
    const visit = buildVisit(draft, null, ids());
    expect(visit).toMatchObject({ householdId: null, newHousehold: { address: '15/3 hẻm 42 Lê Lợi' }, needs: [{ kind: 'device' }] });
    expect(visit.newPeople[0]).toMatchObject({ fullName: 'Lê Văn Tám', birthYear: 1990, phone: '0912345678' });
    expect(FieldVisit.safeParse(visit).success).toBe(true);
  });

  it('needs an address for a new household', () => {
    expect(validateDraft({ ...emptyDraft(null), outcome: 'nobody_home' }, { ...opts, isNewHousehold: true }).address).toMatch(/Ghi địa chỉ/);
  });

  it('marks a nobody-home visit as needing a return, without personal data', () => {
    const visit = buildVisit({ ...emptyDraft(sampleHousehold(1)), outcome: 'nobody_home' }, sampleHousehold(1), ids());
    expect(visit.needs).toEqual([{ kind: 'return_visit' }]);
    expect(visit.consent).toBe(false);
    expect(FieldVisit.safeParse(visit).success).toBe(true);
  });

  it('writes the visit time with the phone’s offset', () => {
    expect(isoWithOffset(new Date('2026-12-02T03:04:05.006Z'))).toMatch(/^2026-12-0[12]T\d\d:\d\d:05\.006[+-]\d\d:\d\d$/);
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
