import type { FieldAction } from '@cds/contract';

// The four elements as a volunteer checks them at the door. Mirrors ELEMENT_INDICATORS,
// ELEMENT_REQUIRED and INDICATOR_VALUES of @cds/domain (indicators.test.ts keeps them equal); copied
// because the domain package's index would bring its large tables into the field app's first load.

export type ElementKey = 'identity' | 'device' | 'accounts' | 'skills';

const YES_NO = ['true', 'false'] as const;

export const FIELD_INDICATOR_VALUES: Record<string, readonly string[]> = {
  citizen_id_card: YES_NO,
  vneid: ['none', 'issued', 'level1', 'level2'],
  smartphone: YES_NO,
  phone_2g_only: YES_NO,
  epayment_account: YES_NO,
  public_service_account: YES_NO,
  social_insurance_vneid: YES_NO,
  vssid_installed: YES_NO,
  etax_account: YES_NO,
  digital_signature: YES_NO,
  health_record_updated: YES_NO,
  basic_skills_trained: YES_NO,
  city_app_installed: YES_NO,
  digital_literacy_certified: YES_NO,
};

export const FIELD_ELEMENTS: readonly { key: ElementKey; label: string; indicators: readonly string[]; required: readonly string[] }[] = [
  { key: 'identity', label: 'Định danh điện tử', indicators: ['citizen_id_card', 'vneid'], required: ['citizen_id_card', 'vneid'] },
  { key: 'device', label: 'Thiết bị', indicators: ['smartphone', 'phone_2g_only'], required: ['smartphone'] },
  {
    key: 'accounts',
    label: 'Tài khoản',
    indicators: ['epayment_account', 'public_service_account', 'social_insurance_vneid', 'vssid_installed', 'etax_account', 'digital_signature', 'health_record_updated'],
    required: ['epayment_account', 'public_service_account', 'social_insurance_vneid'],
  },
  {
    key: 'skills',
    label: 'Kỹ năng',
    indicators: ['basic_skills_trained', 'city_app_installed', 'digital_literacy_certified'],
    required: ['basic_skills_trained', 'city_app_installed', 'digital_literacy_certified'],
  },
];

export const INDICATOR_LABELS: Record<string, string> = {
  citizen_id_card: 'Thẻ Căn cước',
  vneid: 'Tài khoản VNeID',
  smartphone: 'Điện thoại thông minh',
  phone_2g_only: 'Chỉ dùng máy 2G',
  epayment_account: 'Tài khoản thanh toán điện tử',
  public_service_account: 'Tài khoản Cổng DVCQG',
  social_insurance_vneid: 'An sinh xã hội trên VNeID',
  vssid_installed: 'Ứng dụng VssID',
  etax_account: 'Thuế điện tử (eTax)',
  digital_signature: 'Chữ ký số',
  health_record_updated: 'Sổ sức khỏe điện tử',
  basic_skills_trained: 'Đã học kỹ năng số cơ bản',
  city_app_installed: 'Đã cài ứng dụng Công dân số',
  digital_literacy_certified: 'Đạt phổ cập tri thức số',
};

export const VALUE_LABELS: Record<string, string> = {
  true: 'Có',
  false: 'Không',
  none: 'Chưa có',
  issued: 'Đã cấp, chưa kích hoạt',
  level1: 'Mức 1',
  level2: 'Mức 2',
};

export const ACTION_LABELS: Record<FieldAction, string> = {
  city_app_installed: 'Cài ứng dụng Công dân số',
  vneid_activated: 'Kích hoạt VNeID',
  vneid_level2: 'Nâng VNeID lên mức 2',
  epayment_account_opened: 'Mở ví điện tử / tài khoản ngân hàng',
  public_service_account_made: 'Tạo tài khoản Cổng DVCQG',
  social_insurance_added: 'Tích hợp bảo hiểm xã hội vào VNeID',
  vssid_installed: 'Cài VssID',
  etax_set_up: 'Cài đặt thuế điện tử (eTax)',
  digital_signature_given: 'Cấp chữ ký số',
  health_record_updated: 'Cập nhật sổ sức khỏe điện tử',
  trained: 'Hướng dẫn kỹ năng số',
};
export const FIELD_ACTIONS = Object.keys(ACTION_LABELS) as FieldAction[];

export const RELATION_LABELS: Record<string, string> = {
  head: 'Chủ hộ',
  spouse: 'Vợ/chồng',
  child: 'Con',
  parent: 'Cha/mẹ',
  grandchild: 'Cháu',
  sibling: 'Anh/chị/em',
  relative: 'Họ hàng',
  other: 'Khác',
};

export const OUTCOME_LABELS: Record<string, string> = {
  done: 'Đã gặp, đã làm',
  nobody_home: 'Không có ai ở nhà',
  refused: 'Hộ từ chối',
  moved_away: 'Đã chuyển đi',
};

export type ElementState = 'met' | 'partial' | 'missing' | 'unknown';
export const ELEMENT_STATE_LABELS: Record<ElementState, string> = { met: 'Đạt', partial: 'Một phần', missing: 'Chưa đạt', unknown: 'Chưa rõ' };

function counts(indicator: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (indicator === 'vneid') return value === 'level1' || value === 'level2';
  if (indicator === 'phone_2g_only') return value === 'false';
  return value === 'true';
}

/** As elementState in @cds/domain, without the age rule (the volunteer sees everyone at the door). */
export function elementStateOf(required: readonly string[], values: Record<string, string>): ElementState {
  let known = 0;
  let positive = 0;
  for (const indicator of required) {
    const value = values[indicator];
    if (value === undefined) continue;
    known++;
    if (counts(indicator, value)) positive++;
  }
  if (positive === required.length) return 'met';
  if (positive > 0) return 'partial';
  return known > 0 ? 'missing' : 'unknown';
}
