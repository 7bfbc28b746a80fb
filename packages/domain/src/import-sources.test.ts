import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldHeaderText } from './import-normalise.ts';
import {
  FIELD_ALIASES,
  type ImportField,
  matchHeaders,
  normalisePovertyStatus,
  normaliseRelationToHead,
  normaliseResidenceType,
  normaliseVneidLevel,
  SOURCE_LABELS,
  SOURCE_PRESETS,
  SOURCE_TYPES,
  sourceFields,
} from './import-sources.ts';

describe('source types', () => {
  it('labels every source in Vietnamese and English', () => {
    expect(Object.keys(SOURCE_LABELS).sort()).toEqual([...SOURCE_TYPES].sort());
    expect(SOURCE_LABELS.residence_list.vi).toBe('Danh sách cư trú (Công an)');
    expect(SOURCE_LABELS.telecom_2g.vi).toBe('Thuê bao chỉ dùng 2G (nhà mạng)');
  });

  it('gives every source a way to identify a row', () => {
    for (const source of SOURCE_TYPES) {
      const preset = SOURCE_PRESETS[source];
      expect(preset.required.length + (preset.requiredAnyOf?.length ?? 0)).toBeGreaterThan(0);
    }
  });

  it('never lets one header spelling mean two fields within a source', () => {
    for (const source of SOURCE_TYPES) {
      const seen = new Map<string, ImportField>();
      for (const field of sourceFields(source)) {
        for (const alias of FIELD_ALIASES[field]) {
          const key = foldHeaderText(alias);
          const other = seen.get(key);
          if (other !== undefined && other !== field) throw new Error(`${source}: "${alias}" is both ${other} and ${field}`);
          seen.set(key, field);
        }
      }
    }
  });
});

describe('matchHeaders', () => {
  it('matches a police residence list regardless of case, diacritics, stars, numbering and line breaks', () => {
    const headers = ['STT', '1. HỌ VÀ TÊN (*)', 'Ngày tháng\nnăm sinh', 'gioi tinh', 'Số CCCD/CMND', 'Quan hệ với chủ hộ', 'Nơi thường trú', 'Ghi chú'];
    const result = matchHeaders(headers, 'residence_list');
    expect(result.columns).toEqual([null, 'fullName', 'birthDate', 'sex', 'citizenId', 'relationToHead', 'address', null]);
    expect(result.missing).toEqual([]);
    expect(result.unmatched).toEqual(['STT', 'Ghi chú']);
    expect(result.duplicates).toEqual([]);
  });

  it('finds an alias inside a longer header', () => {
    const result = matchHeaders(['Họ tên', 'Số CCCD/CMND của công dân', 'Ngày sinh (dd/mm/yyyy)'], 'residence_list');
    expect(result.columns).toEqual(['fullName', 'citizenId', 'birthDate']);
  });

  it('prefers an exact alias to one contained in another header, and the longest containment', () => {
    // "Năm" (list year) is inside "Năm sinh", which is itself a birth-date alias.
    expect(matchHeaders(['Họ tên', 'Năm sinh', 'Năm'], 'poverty_list').columns).toEqual(['fullName', 'birthDate', 'povertyListYear']);
    // "Địa chỉ" beats "Xã" inside "Địa chỉ (xã, phường)".
    expect(matchHeaders(['Địa chỉ (xã, phường)'], 'residence_list').columns).toEqual(['address']);
  });

  it('does not read the head of household’s name or ID as the person’s', () => {
    const result = matchHeaders(['Họ và tên', 'Họ tên chủ hộ', 'Ngày sinh', 'Số CCCD chủ hộ'], 'residence_list');
    expect(result.columns).toEqual(['fullName', null, 'birthDate', null]);
    expect(result.unmatched).toEqual(['Họ tên chủ hộ', 'Số CCCD chủ hộ']);
    // Nor the list year out of the head's birth date.
    expect(matchHeaders(['Họ tên', 'Ngày tháng năm sinh chủ hộ'], 'poverty_list').columns).toEqual(['fullName', null]);
  });

  it('gives a field to one column only and reports the duplicate', () => {
    const result = matchHeaders(['Họ tên', 'Ngày sinh', 'SĐT', 'Số điện thoại liên hệ'], 'residence_list');
    // Both are exact; the longer alias is the more specific.
    expect(result.columns).toEqual(['fullName', 'birthDate', null, 'phone']);
    expect(result.duplicates).toEqual(['phone']);
    expect(result.unmatched).toEqual(['SĐT']);
  });

  it('only offers the fields of the chosen source', () => {
    const result = matchHeaders(['Tên', 'Mã số thuế', 'Loại hình'], 'organisation_list');
    expect(result.columns).toEqual(['organisationName', 'taxCode', 'organisationKind']);
    expect(matchHeaders(['Tên', 'Mã số thuế'], 'residence_list').columns).toEqual(['fullName', null]);
  });

  it('lists required fields that no column carries', () => {
    expect(matchHeaders(['Họ tên', 'Địa chỉ'], 'residence_list').missing).toEqual(['birthDate']);
    expect(matchHeaders(['Ghi chú'], 'telecom_2g').missing).toEqual(['phone']);
  });

  it('accepts either way of identifying a person on a VNeID list', () => {
    expect(matchHeaders(['Số định danh cá nhân', 'Mức định danh'], 'vneid_activation').missing).toEqual([]);
    expect(matchHeaders(['Họ tên', 'Ngày sinh', 'Mức định danh'], 'vneid_activation').missing).toEqual([]);
    // Name alone: the closest alternative lacks only the birth date.
    expect(matchHeaders(['Họ tên', 'Mức định danh'], 'vneid_activation').missing).toEqual(['birthDate']);
    expect(matchHeaders(['Mức định danh'], 'vneid_activation').missing).toEqual(['citizenId']);
  });

  it('lets a saved mapping override matching, including ignoring a column', () => {
    const headers = ['Họ tên', 'Cột A', 'Ngày sinh', 'SĐT'];
    const result = matchHeaders(headers, 'residence_list', { 1: 'citizenId', 3: null, 0: 'fullName' });
    expect(result.columns).toEqual(['fullName', 'citizenId', 'birthDate', null]);
    expect(result.unmatched).toEqual([]);
    expect(result.duplicates).toEqual([]);
  });

  it('lets a saved field win over a column that would have matched it', () => {
    const result = matchHeaders(['Số CCCD', 'CCCD mới', 'Họ tên', 'Ngày sinh'], 'residence_list', { 1: 'citizenId' });
    expect(result.columns).toEqual([null, 'citizenId', 'fullName', 'birthDate']);
    expect(result.unmatched).toEqual(['Số CCCD']);
  });

  it('never gives one field to two columns, whatever the headers', () => {
    const alias = fc.constantFrom(...Object.values(FIELD_ALIASES).flat(), 'STT', 'Ghi chú', '');
    const decorated = fc.tuple(alias, fc.constantFrom('', ' (*)', '\n', '1. ', ':')).map(([text, extra]) =>
      extra === '1. ' ? extra + text.toUpperCase() : text + extra,
    );
    fc.assert(
      fc.property(fc.array(decorated, { maxLength: 12 }), fc.constantFrom(...SOURCE_TYPES), (headers, source) => {
        const result = matchHeaders(headers, source);
        const assigned = result.columns.filter((field) => field !== null);
        expect(new Set(assigned).size).toBe(assigned.length);
        expect(result.columns).toHaveLength(headers.length);
      }),
    );
  });
});

describe('normaliseVneidLevel', () => {
  it('reads level 2 in its common spellings', () => {
    for (const raw of ['Mức 2', 'mức 2', '2', 'Đã kích hoạt mức 2', 'MUC 2', 'M2', 'Level 2', 'ĐDĐT mức 2', 'Mức độ 2']) {
      expect(normaliseVneidLevel(raw)).toEqual({ ok: true, value: 'level2' });
    }
    expect(normaliseVneidLevel(2)).toEqual({ ok: true, value: 'level2' });
  });

  it('reads level 1, and "activated" without a level as its lower bound, level 1', () => {
    for (const raw of ['Mức 1', '1', 'Đã kích hoạt mức 1', 'Đã kích hoạt', 'đã kích hoạt']) {
      expect(normaliseVneidLevel(raw)).toEqual({ ok: true, value: 'level1' });
    }
  });

  it('reads an account not yet activated as issued, and no account as none', () => {
    for (const raw of ['Chưa kích hoạt', 'chua kich hoat', 'Chưa kích hoạt mức 2', 'Chờ kích hoạt', 'Đã cấp']) {
      expect(normaliseVneidLevel(raw)).toEqual({ ok: true, value: 'issued' });
    }
    for (const raw of ['Chưa đăng ký', 'Chưa có tài khoản', 'Không', 'Không có']) {
      expect(normaliseVneidLevel(raw)).toEqual({ ok: true, value: 'none' });
    }
  });

  it('rejects levels that do not exist and unclear text', () => {
    expect(normaliseVneidLevel('Mức 3')).toEqual({ ok: false, reason: 'Mức tài khoản định danh "Mức 3" không có; chỉ có mức 1 và mức 2' });
    expect(normaliseVneidLevel('???').ok).toBe(false);
    expect(normaliseVneidLevel('').ok).toBe(false);
  });
});

describe('normalisePovertyStatus', () => {
  it('reads poor, near-poor and neither', () => {
    for (const raw of ['Hộ nghèo', 'nghèo', 'HN', 'hộ nghèo đa chiều']) expect(normalisePovertyStatus(raw)).toEqual({ ok: true, value: 'poor' });
    for (const raw of ['Cận nghèo', 'Hộ cận nghèo', 'HCN', 'hcn']) expect(normalisePovertyStatus(raw)).toEqual({ ok: true, value: 'near_poor' });
    for (const raw of ['Không', 'Thoát nghèo', 'Hộ thoát cận nghèo', 'Không thuộc hộ nghèo', 'Hộ có mức sống trung bình']) {
      expect(normalisePovertyStatus(raw)).toEqual({ ok: true, value: 'none' });
    }
  });

  it('rejects empty and unknown values, naming them', () => {
    expect(normalisePovertyStatus(' ')).toEqual({ ok: false, reason: 'Chưa nhập phân loại hộ' });
    expect(normalisePovertyStatus('Khá giả').ok).toBe(false);
  });
});

describe('normaliseRelationToHead', () => {
  const cases: [string, string][] = [
    ['Chủ hộ', 'head'], ['CH', 'head'], ['chu ho', 'head'],
    ['Vợ', 'spouse'], ['Chồng', 'spouse'], ['Vợ chủ hộ', 'spouse'],
    ['Con', 'child'], ['Con trai', 'child'], ['Con gái', 'child'], ['Con thứ 2', 'child'], ['Con của chủ hộ', 'child'],
    ['Cha', 'parent'], ['Mẹ', 'parent'], ['Bố', 'parent'], ['Ba', 'parent'], ['Má', 'parent'],
    ['Cháu', 'grandchild'], ['Cháu nội', 'grandchild'],
    ['Anh', 'sibling'], ['Chị', 'sibling'], ['Em', 'sibling'], ['Em gái', 'sibling'],
    ['Ông', 'relative'], ['Bà', 'relative'], ['Bà nội', 'relative'], ['Con dâu', 'relative'], ['Con rể', 'relative'], ['Chú', 'relative'],
    ['Ở nhờ', 'other'], ['Khác', 'other'],
  ];

  it.each(cases)('reads "%s" as %s', (raw, relation) => {
    expect(normaliseRelationToHead(raw)).toEqual({ ok: true, value: relation });
  });

  it('tells grandmother "Bà" from southern "Ba" (father) by the mark', () => {
    expect(normaliseRelationToHead('bà')).toEqual({ ok: true, value: 'relative' });
    expect(normaliseRelationToHead('ba')).toEqual({ ok: true, value: 'parent' });
  });

  it('rejects empty and unknown relations, naming them', () => {
    expect(normaliseRelationToHead('')).toEqual({ ok: false, reason: 'Chưa nhập quan hệ với chủ hộ' });
    expect(normaliseRelationToHead('Hàng xóm')).toEqual({ ok: false, reason: 'Quan hệ với chủ hộ "Hàng xóm" không rõ' });
  });
});

describe('normaliseResidenceType', () => {
  it('reads permanent and temporary residence and their abbreviations', () => {
    for (const raw of ['Thường trú', 'thuong tru', 'TT', 'KT1']) expect(normaliseResidenceType(raw)).toEqual({ ok: true, value: 'permanent' });
    for (const raw of ['Tạm trú', 'TTr', 'TTR', 'KT3']) expect(normaliseResidenceType(raw)).toEqual({ ok: true, value: 'temporary' });
  });

  it('refuses statuses that are neither', () => {
    const result = normaliseResidenceType('Tạm vắng');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('"Tạm vắng"');
    expect(normaliseResidenceType(undefined)).toEqual({ ok: false, reason: 'Chưa nhập loại cư trú' });
  });

  it('never throws on arbitrary text, for any coded value', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        for (const normalise of [normaliseResidenceType, normaliseRelationToHead, normalisePovertyStatus, normaliseVneidLevel]) {
          expect(typeof normalise(raw).ok).toBe('boolean');
        }
      }),
    );
  });
});
