import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS as LOGGED_ACTIONS, AUDIT_RECORD_TYPES as LOGGED_RECORD_TYPES } from '@cds/contract';
import { en } from '../../shared/i18n/dictionary-en';
import { vi } from '../../shared/i18n/dictionary-vi';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES, auditFieldLabel } from './audit-api';

describe('the audit page’s words', () => {
  it('labels every action and record type the server logs, in both languages, and offers each as a filter', () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual([...LOGGED_ACTIONS].sort());
    expect([...AUDIT_RECORD_TYPES].sort()).toEqual([...LOGGED_RECORD_TYPES].sort());
    const words = (dictionary: Record<string, string>, prefix: string, codes: readonly string[]) => codes.map((code) => dictionary[`${prefix}.${code}`]);
    for (const dictionary of [vi, en] as Record<string, string>[]) {
      expect(words(dictionary, 'auditAction', LOGGED_ACTIONS).every((w) => typeof w === 'string' && w.length > 0 && !w.includes('_'))).toBe(true);
      expect(words(dictionary, 'recordType', LOGGED_RECORD_TYPES).every((w) => typeof w === 'string' && w.length > 0 && !w.includes('_'))).toBe(true);
    }
  });

  it('says logged fields in words: record fields in either spelling, indicators, elements, paths, and how a value was shown', () => {
    const dictionary = vi as Record<string, string>;
    const label = (prefix: string, raw: string) => dictionary[`${prefix}.${raw}`] ?? raw;
    const t = (key: string) => dictionary[key] ?? key;
    expect(auditFieldLabel('members.phone(masked)', label, t)).toBe('Thành viên › Điện thoại (ẩn)');
    expect(auditFieldLabel('members.citizenId(last4)', label, t)).toBe('Thành viên › Số định danh (4 số cuối)');
    expect(auditFieldLabel('device_allocations.recipient', label, t)).toBe('Phân bổ thiết bị › Người nhận');
    expect(auditFieldLabel('recipient.firstName (consented)', label, t)).toBe('Người nhận › Tên (người nhận đã đồng ý)');
    expect(auditFieldLabel('smartphone', label, t)).toBe(dictionary['indicator.smartphone']);
    expect(auditFieldLabel('elements.identity', label, t)).toBe('Bốn yếu tố › Danh tính số');
  });
});
