import { describe, expect, it } from 'vitest';
import { LIST_LIMIT, summarisePayload } from './payload-summary';

describe('refused send summary', () => {
  it('reads a handover from the field app without its code or images', () => {
    const s = summarisePayload({
      kind: 'handover',
      clientHandoverId: '0d2c1f9e-3b7a-4a51-9d44-3f6f1c2b9a11',
      allocationId: 12,
      householdId: 42,
      handedOverAt: '2026-12-01T10:00:00+07:00',
      imei: '352099001761481',
      confirmationCode: '123456',
      photo: 'data:image/jpeg;base64,/9j/4AAQ',
      consentToSponsor: false,
    });
    expect(s).toMatchObject({ problem: null, householdId: 42, outcome: null, members: [] });
    expect(s.handover).toEqual({ allocationId: 12, imeiLast4: '1481', handedOverAt: '2026-12-01T10:00:00+07:00', confirmation: 'code', hasPhoto: true, photoSkippedNote: null, consentToSponsor: false });
    expect(JSON.stringify(s)).not.toContain('123456');
  });

  it('reads a whole visit: household, outcome, members with values and actions, new people, needs', () => {
    const s = summarisePayload({
      clientVisitId: '0d2c1f9e-3b7a-4a51-9d44-3f6f1c2b9a10',
      householdId: 42,
      visitedAt: '2026-12-01T09:30:00+07:00',
      outcome: 'done',
      consent: true,
      members: [
        { residentId: 7, present: true, observed: { vneid: 'level2', smartphone: 'true' }, actions: ['vneid_level2', 'trained'], trainingTopic: 'Dịch vụ công' },
        { residentId: 8, present: false },
      ],
      newPeople: [{ clientPersonId: 'x', fullName: 'Trần Thị Bé', birthYear: 2001, sex: 'female', relationToHead: 'child', observed: {}, actions: [] }],
      needs: [{ kind: 'device', residentId: 8, detail: 'Điện thoại 4G' }],
      note: '  Hẹn quay lại thứ Bảy ',
    });
    expect(s.problem).toBeNull();
    expect(s.householdId).toBe(42);
    expect(s.outcome).toBe('done');
    expect(s.consent).toBe(true);
    expect(s.members[0]).toEqual({
      residentId: 7,
      present: true,
      observed: [
        { indicator: 'vneid', value: 'level2' },
        { indicator: 'smartphone', value: 'true' },
      ],
      actions: ['vneid_level2', 'trained'],
      trainingTopic: 'Dịch vụ công',
    });
    expect(s.members[1]).toMatchObject({ residentId: 8, present: false, observed: [], actions: [] });
    expect(s.newPeople).toEqual([{ fullName: 'Trần Thị Bé', birthYear: 2001, relationToHead: 'child', observed: [], actions: [] }]);
    expect(s.needs).toEqual([{ kind: 'device', residentId: 8, detail: 'Điện thoại 4G' }]);
    expect(s.note).toBe('Hẹn quay lại thứ Bảy');
  });

  it('names a household found at the door by its address', () => {
    const s = summarisePayload({ householdId: null, newHousehold: { address: '12/3 Hẻm 45 Lê Lợi' }, outcome: 'done', consent: false });
    expect(s.householdId).toBeNull();
    expect(s.newHouseholdAddress).toBe('12/3 Hẻm 45 Lê Lợi');
    expect(s.consent).toBe(false);
  });

  it('says why when the payload is not a visit, instead of throwing', () => {
    expect(summarisePayload(null).problem).toBe('empty');
    expect(summarisePayload('').problem).toBe('empty');
    expect(summarisePayload([1, 2]).problem).toBe('not_object');
    expect(summarisePayload('{not json').problem).toBe('not_object');
    expect(summarisePayload(17).problem).toBe('not_object');
  });

  it('reads a visit kept as JSON text', () => {
    expect(summarisePayload(JSON.stringify({ householdId: 5, outcome: 'nobody_home' }))).toMatchObject({ householdId: 5, outcome: 'nobody_home' });
  });

  it('ignores fields of the wrong type and skips members that are not objects', () => {
    const s = summarisePayload({ householdId: '42', consent: 'yes', members: ['x', null, { residentId: 3.5, present: 'y', observed: { vneid: { deep: 1 } }, actions: [1, 'vssid_installed'] }] });
    expect(s.householdId).toBeNull();
    expect(s.consent).toBeNull();
    expect(s.members).toEqual([{ residentId: null, present: null, observed: [], actions: ['vssid_installed'], trainingTopic: null }]);
  });

  it('cuts long lists and long text, and counts what it left out', () => {
    const many = Array.from({ length: LIST_LIMIT + 5 }, (_, i) => ({ residentId: i + 1, present: true }));
    const s = summarisePayload({ members: many, note: 'a'.repeat(5000) });
    expect(s.members).toHaveLength(LIST_LIMIT);
    expect(s.omitted).toBe(5);
    expect(s.note?.length).toBeLessThanOrEqual(200);
    expect(s.note?.endsWith('…')).toBe(true);
  });
});
