import { describe, expect, it } from 'vitest';
import { absoluteInviteUrl, validateQuota, validateTeam, validInviteUses } from './field-forms';

describe('campaign forms', () => {
  it('asks for a unit and a team name of 2 to 120 characters, spaces not counted', () => {
    expect(validateTeam('', 'Tổ 1')).toEqual({ unit: { key: 'teamForm.unitRequired' } });
    expect(validateTeam('26740', '  a ')).toEqual({ name: { key: 'teamForm.nameShort' } });
    expect(validateTeam('26740', 'x'.repeat(121))).toEqual({ name: { key: 'teamForm.nameLong' } });
    expect(validateTeam('26740', '  Tổ công nghệ số khu phố 3 ')).toEqual({});
  });

  it('asks for a phase, a whole-number target, and an own deadline no later than the phase', () => {
    expect(validateQuota(undefined, '10', '')).toEqual({ phase: { key: 'quotas.phaseRequired' } });
    expect(validateQuota('2026-06-30', '12,5', '').target).toEqual({ key: 'quotas.targetInvalid' });
    expect(validateQuota('2026-06-30', '-3', '').target).toBeDefined();
    expect(validateQuota('2026-06-30', '100001', '').target).toBeDefined();
    expect(validateQuota('2026-06-30', '0', '')).toEqual({});
    expect(validateQuota('2026-06-30', '40', '2026-07-01').deadline).toEqual({ key: 'quotas.deadlineAfterPhase', params: { date: '2026-06-30' } });
    expect(validateQuota('2026-06-30', '40', '2026-06-30')).toEqual({});
    // "31/02/2026" typed: no day, and not to be taken for an empty field (the phase's deadline).
    expect(validateQuota('2026-06-30', '40', '', true)).toEqual({ deadline: { key: 'quotas.deadlineInvalid' } });
  });

  it('lets an invite be used by 1 to 200 people', () => {
    expect(['1', ' 200 ', '17'].map(validInviteUses)).toEqual([true, true, true]);
    expect(['0', '201', '2.5', '', 'abc', '-1'].map(validInviteUses)).toEqual([false, false, false, false, false, false]);
  });

  it('makes the invite link absolute on this server, so a phone scanning the code can open it', () => {
    expect(absoluteInviteUrl('/field/join#abc', 'https://cds.example.vn')).toBe('https://cds.example.vn/field/join#abc');
    expect(absoluteInviteUrl('https://other.example/field/join#abc', 'https://cds.example.vn')).toBe('https://other.example/field/join#abc');
  });
});
