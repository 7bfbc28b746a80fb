import { describe, expect, it } from 'vitest';
import {
  HISTORY_START,
  anniversary,
  householdContributions,
  ledgerDeltas,
  organisationContributions,
  parseLedgerDeltas,
  residentContributions,
  type Contribution,
  type FactInput,
  type ResidentInput,
} from './contributions.ts';

let nextFact = 1;
const fact = (indicator: string, value: string, observedOn: string, extra: Partial<FactInput> = {}): FactInput => ({
  id: nextFact++,
  indicator,
  value,
  observedOn,
  correctsFactId: null,
  ...extra,
});

const resident = (overrides: Partial<ResidentInput> = {}): ResidentInput => ({
  id: 1,
  unitCode: '26740',
  neighbourhoodId: null,
  birthDate: '1980-05-01',
  birthYear: 1980,
  status: 'living',
  leftOn: null,
  facts: [],
  ...overrides,
});

const spans = (contributions: Contribution[], key: string) => contributions.filter((c) => c.key === key).map((c) => [c.from, c.to]);

describe('residentContributions', () => {
  it('counts a living adult among residents, eligible residents and adults from the start of the history', () => {
    const out = residentContributions(resident());
    expect(spans(out, 'residents')).toEqual([[HISTORY_START, null]]);
    expect(spans(out, 'eligible_residents')).toEqual([[HISTORY_START, null]]);
    expect(spans(out, 'adults')).toEqual([[HISTORY_START, null]]);
  });

  it('adds a young person to the adults on their 18th birthday, and with only a birth year on 1 January', () => {
    expect(spans(residentContributions(resident({ birthDate: '2008-12-01', birthYear: 2008 })), 'adults')).toEqual([['2026-12-01', null]]);
    expect(spans(residentContributions(resident({ birthDate: null, birthYear: 2009 })), 'adults')).toEqual([['2027-01-01', null]]);
    expect(spans(residentContributions(resident({ birthDate: null, birthYear: 2009 })), 'eligible_residents')).toEqual([[HISTORY_START, null]]);
  });

  it('takes a leap-day birthday to 1 March in other years', () => {
    expect(anniversary('2008-02-29', 2008, 18)).toBe('2026-03-01');
    expect(anniversary('2008-02-29', 2008, 20)).toBe('2028-02-29');
  });

  it('counts a measure from the day a fact said so until a later fact said otherwise', () => {
    const out = residentContributions(
      resident({ facts: [fact('epayment_account', 'true', '2026-03-01'), fact('epayment_account', 'false', '2026-05-01'), fact('epayment_account', 'true', '2026-07-01')] }),
    );
    expect(spans(out, 'adults|epayment_account')).toEqual([
      ['2026-03-01', '2026-05-01'],
      ['2026-07-01', null],
    ]);
  });

  it('sets aside a corrected or retracted fact for all time', () => {
    const wrong = fact('smartphone', 'true', '2026-02-01');
    const corrected = residentContributions(resident({ facts: [wrong, fact('smartphone', 'false', '2026-02-01', { correctsFactId: wrong.id })] }));
    expect(spans(corrected, 'adults|smartphone')).toEqual([]);
    const imported = fact('smartphone', 'true', '2026-02-01');
    const retracted = residentContributions(resident({ facts: [imported, fact('smartphone', 'true', '2026-03-01', { correctsFactId: imported.id, retracts: true })] }));
    expect(spans(retracted, 'adults|smartphone')).toEqual([]);
  });

  it('counts VNeID only once activated, and the identity element only with the card as well', () => {
    const out = residentContributions(
      resident({ facts: [fact('vneid', 'issued', '2026-01-10'), fact('citizen_id_card', 'true', '2026-01-10'), fact('vneid', 'level2', '2026-04-01')] }),
    );
    expect(spans(out, 'adults|vneid')).toEqual([['2026-04-01', null]]);
    expect(spans(out, 'adults|identity_met')).toEqual([['2026-04-01', null]]);
  });

  it('ends every count on the day the resident died or moved away', () => {
    const out = residentContributions(resident({ status: 'deceased', leftOn: '2026-06-15', facts: [fact('smartphone', 'true', '2026-01-01')] }));
    expect(spans(out, 'adults')).toEqual([[HISTORY_START, '2026-06-15']]);
    expect(spans(out, 'adults|smartphone')).toEqual([['2026-01-01', '2026-06-15']]);
    // Gone without a date: counted as gone for the whole history rather than guessed.
    expect(residentContributions(resident({ status: 'moved_away', leftOn: null }))).toEqual([]);
  });

  it('counts a 2G-only user from the first such report and as replaced once they have a smartphone', () => {
    const out = residentContributions(resident({ facts: [fact('phone_2g_only', 'true', '2026-02-01'), fact('smartphone', 'true', '2026-05-01')] }));
    expect(spans(out, 'phone_2g_users')).toEqual([['2026-02-01', null]]);
    expect(spans(out, 'phone_2g_users|phone_2g_replaced')).toEqual([['2026-05-01', null]]);
    expect(spans(out, 'phone_2g_users|phone_2g_only')).toEqual([['2026-02-01', null]]);
  });
});

describe('householdContributions', () => {
  it('counts a household while a member lives in it, with a device while any member has one', () => {
    const out = householdContributions({
      id: 1,
      unitCode: '26740',
      neighbourhoodId: 7,
      povertyStatus: 'poor',
      povertyListYear: 2026,
      members: [
        resident({ id: 1, status: 'deceased', leftOn: '2026-08-01', facts: [fact('smartphone', 'true', '2026-03-01')] }),
        resident({ id: 2, facts: [fact('smartphone', 'true', '2026-06-01')] }),
      ],
    });
    expect(spans(out, 'households')).toEqual([[HISTORY_START, null]]);
    expect(spans(out, 'households|member_smartphone')).toEqual([['2026-03-01', null]]);
    expect(spans(out, 'poor_households')).toEqual([['2026-01-01', null]]);
  });

  it('stops counting a household whose members have all left', () => {
    const out = householdContributions({
      id: 1,
      unitCode: '26740',
      neighbourhoodId: null,
      povertyStatus: 'none',
      povertyListYear: null,
      members: [resident({ status: 'moved_away', leftOn: '2026-04-01' })],
    });
    expect(spans(out, 'households')).toEqual([[HISTORY_START, '2026-04-01']]);
  });
});

describe('organisationContributions', () => {
  it('counts an organisation and its activated VNeID account', () => {
    const out = organisationContributions({ id: 1, unitCode: '26740', neighbourhoodId: null, facts: [fact('vneid', 'level2', '2026-02-02')] });
    expect(spans(out, 'organisations')).toEqual([[HISTORY_START, null]]);
    expect(spans(out, 'organisations|vneid')).toEqual([['2026-02-02', null]]);
  });
});

describe('ledgerDeltas', () => {
  it('writes +1 at the start and −1 at the end, for the city, the unit and its neighbourhood', () => {
    const deltas = parseLedgerDeltas(ledgerDeltas([{ unitCode: '26740', neighbourhoodId: 7, key: 'adults', from: '2026-01-01', to: '2026-02-01' }], '79'));
    expect(deltas).toEqual(
      expect.arrayContaining([
        { unitCode: '79', neighbourhoodId: 0, key: 'adults', day: '2026-01-01', delta: 1 },
        { unitCode: '79', neighbourhoodId: 0, key: 'adults', day: '2026-02-01', delta: -1 },
        { unitCode: '26740', neighbourhoodId: 0, key: 'adults', day: '2026-01-01', delta: 1 },
        { unitCode: '26740', neighbourhoodId: 0, key: 'adults', day: '2026-02-01', delta: -1 },
        { unitCode: '26740', neighbourhoodId: 7, key: 'adults', day: '2026-01-01', delta: 1 },
        { unitCode: '26740', neighbourhoodId: 7, key: 'adults', day: '2026-02-01', delta: -1 },
      ]),
    );
    expect(deltas).toHaveLength(6);
  });

  it('cancels out to nothing when the same contributions are added and taken away', () => {
    const contributions = residentContributions(resident({ facts: [fact('smartphone', 'true', '2026-01-01')] }));
    const both = ledgerDeltas(contributions, '79', -1, ledgerDeltas(contributions, '79'));
    expect(both.size).toBe(0);
  });
});
