// Test data for the field app's unit tests (not imported by the app).
import type { FieldBundle, FieldHousehold } from '@cds/contract';
import { waitingFields, type OutboxVisitRow } from './db';

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function sampleHousehold(id: number, patch: Partial<FieldHousehold> = {}): FieldHousehold {
  return {
    id,
    unitCode: '26740',
    address: `${id} Lê Lợi, Khu phố ${id}`,
    neighbourhoodName: 'Khu phố 1',
    poverty: 'none',
    members: [
      {
        residentId: id * 10 + 1,
        fullName: 'Nguyễn Văn Hùng',
        birthYear: 1980,
        sex: 'male',
        relationToHead: 'head',
        citizenIdMasked: '********1234',
        phoneMasked: null,
        current: { citizen_id_card: 'true', vneid: 'level1', smartphone: 'true' },
      },
      {
        residentId: id * 10 + 2,
        fullName: 'Trần Thị Đào',
        birthYear: 1984,
        sex: 'female',
        relationToHead: 'spouse',
        citizenIdMasked: null,
        phoneMasked: null,
        current: {},
      },
    ],
    lastVisit: null,
    needsReturn: false,
    ...patch,
  };
}

export function sampleBundle(ids: number[]): FieldBundle {
  return {
    user: { userId: 7, displayName: 'Tình nguyện viên', role: 'volunteer' },
    team: { id: 1, name: 'Tổ công nghệ số KP1', unitName: 'Phường Sài Gòn' },
    households: ids.map((id) => sampleHousehold(id)),
    generatedAt: '2026-12-02T00:00:00.000Z',
    minAppVersion: '1.0.0',
  };
}

export function sampleRow(patch: Partial<OutboxVisitRow> = {}): OutboxVisitRow {
  const id = uuid();
  const householdId = patch.householdId === undefined ? 1 : patch.householdId;
  return {
    ...waitingFields({ id, householdId, label: '1 Lê Lợi' }),
    visit: { clientVisitId: id, householdId, visitedAt: '2026-12-02T09:00:00.000+07:00', outcome: 'done', consent: false, members: [], newPeople: [], needs: [] },
    createdAt: new Date(Date.UTC(2026, 11, 2, 2, 0, counter)).toISOString(),
    ...patch,
  };
}
