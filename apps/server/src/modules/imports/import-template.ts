import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SOURCE_LABELS, SOURCE_PRESETS, sourceFields, type ImportField, type SourceType } from '@cds/domain';

/**
 * What the template says about a column. The header is one the preset matches exactly (a test
 * reads every template back through matchHeaders); choices are values the normalisers accept
 * (a test imports each one), offered as a drop-down that still lets a person type another spelling.
 */
interface ColumnGuide {
  header: string;
  how: string;
  example: string;
  width: number;
  /** Kept as text so that Excel neither drops a leading zero nor turns the number into 7.9E+10. */
  text?: true;
  choices?: readonly string[];
}

export const COLUMN_GUIDES: Record<ImportField, ColumnGuide> = {
  fullName: { header: 'Họ và tên', how: 'Họ tên đầy đủ, có dấu.', example: 'Nguyễn Thị Mai', width: 26 },
  // Text too: a date cell is read in the computer's own order (5/9 is 9 May on an English Excel);
  // typed as text it stays day first, as every list here writes it.
  birthDate: { header: 'Ngày sinh', how: 'Ngày/tháng/năm, VD 05/09/1987. Chỉ biết năm thì ghi năm.', example: '05/09/1987', width: 13, text: true },
  sex: { header: 'Giới tính', how: 'Nam hoặc Nữ.', example: 'Nữ', width: 10, choices: ['Nam', 'Nữ'] },
  citizenId: {
    header: 'Số CCCD',
    how: '12 chữ số của căn cước công dân. Người chỉ có CMND cũ thì ghi 9 số.',
    example: '079187001234',
    width: 16,
    text: true,
  },
  phone: { header: 'Số điện thoại', how: '10 chữ số. Số 11 số cũ (0168…, 0121…) được đổi sang số mới khi nhập.', example: '0903123456', width: 14, text: true },
  address: {
    header: 'Địa chỉ',
    how: 'Số nhà, đường, khu phố; thêm phường/xã khi tệp có nhiều đơn vị. Tên cũ (P. Bến Nghé, Q.1) vẫn đọc được.',
    example: '12 Đường Lê Lợi, Phường Sài Gòn',
    width: 40,
  },
  householdCode: { header: 'Mã hộ', how: 'Mã hộ hoặc số sổ hộ khẩu; những người cùng mã thuộc một hộ.', example: 'HK-000123', width: 14, text: true },
  relationToHead: {
    header: 'Quan hệ với chủ hộ',
    how: 'Chủ hộ, Vợ, Chồng, Con, Cha, Mẹ, Cháu, Anh, Chị, Em, Ông, Bà, Người thân (họ hàng khác) hoặc Khác (ở nhờ, ở trọ…).',
    example: 'Chủ hộ',
    width: 18,
    choices: ['Chủ hộ', 'Vợ', 'Chồng', 'Con', 'Cha', 'Mẹ', 'Cháu', 'Anh', 'Chị', 'Em', 'Ông', 'Bà', 'Người thân', 'Khác'],
  },
  residenceType: { header: 'Loại cư trú', how: 'Thường trú hoặc Tạm trú.', example: 'Thường trú', width: 13, choices: ['Thường trú', 'Tạm trú'] },
  unit: {
    header: 'Phường/Xã',
    how: 'Tên phường, xã, đặc khu (mới hoặc cũ) hoặc mã 5 số. Để trống khi cả tệp thuộc một đơn vị: chọn đơn vị lúc nhập.',
    example: 'Phường Sài Gòn',
    width: 18,
  },
  neighbourhood: { header: 'Khu phố/Ấp', how: 'Tên khu phố, ấp hoặc tổ dân phố.', example: 'Khu phố 3', width: 13 },
  povertyStatus: {
    header: 'Phân loại hộ',
    how: 'Hộ nghèo, Hộ cận nghèo, hoặc Không (hộ đã thoát nghèo). Để trống khi cả tệp cùng một loại: chọn lúc nhập.',
    example: 'Hộ nghèo',
    width: 15,
    choices: ['Hộ nghèo', 'Hộ cận nghèo', 'Không'],
  },
  povertyListYear: { header: 'Năm rà soát', how: 'Năm của danh sách hộ nghèo, cận nghèo.', example: '2025', width: 11, text: true },
  vneidLevel: {
    header: 'Mức định danh',
    how: 'Mức 1, Mức 2, Chưa kích hoạt (đã có tài khoản) hoặc Chưa đăng ký.',
    example: 'Mức 2',
    width: 15,
    choices: ['Mức 1', 'Mức 2', 'Chưa kích hoạt', 'Chưa đăng ký'],
  },
  accountKind: { header: 'Loại tài khoản', how: 'Tên ngân hàng hoặc ví điện tử.', example: 'Ví điện tử', width: 18 },
  courseName: { header: 'Khóa học', how: 'Tên khóa, lớp hoặc chuyên đề đã học.', example: 'Kỹ năng số cơ bản', width: 24 },
  completedOn: { header: 'Ngày hoàn thành', how: 'Ngày/tháng/năm, VD 15/10/2026.', example: '15/10/2026', width: 15, text: true },
  organisationName: {
    header: 'Tên tổ chức',
    how: 'Tên đầy đủ của doanh nghiệp, hợp tác xã, cơ quan hoặc tổ chức.',
    example: 'Công ty TNHH Minh Phát',
    width: 30,
  },
  taxCode: { header: 'Mã số thuế', how: '10 chữ số; chi nhánh thêm "-" và 3 chữ số.', example: '0312345678', width: 14, text: true },
  organisationKind: {
    header: 'Loại hình',
    how: 'Doanh nghiệp, Hợp tác xã, Cơ quan hoặc Tổ chức. Để trống nếu tên đã nói rõ (Công ty…, HTX…).',
    example: 'Doanh nghiệp',
    width: 15,
    choices: ['Doanh nghiệp', 'Hợp tác xã', 'Cơ quan', 'Tổ chức'],
  },
};

/** Marked on a required column's header; the header matching reads past it. */
export const REQUIRED_MARK = ' (*)';
/** Rows that carry the drop-downs: more than any one ward's list. */
const TEMPLATE_ROWS = 20_000;

const FILE_SLUGS: Record<SourceType, string> = {
  residence_list: 'danh-sach-cu-tru',
  vneid_activation: 'kich-hoat-vneid',
  epayment_accounts: 'tai-khoan-thanh-toan',
  social_insurance: 'bhxh-vssid',
  telecom_2g: 'thue-bao-2g',
  poverty_list: 'ho-ngheo-can-ngheo',
  training_roster: 'hoc-vien-tap-huan',
  organisation_list: 'to-chuc-doanh-nghiep',
};

export const templateFileName = (source: SourceType) => `mau-${FILE_SLUGS[source]}.xlsx`;

/** Which columns a row needs, in words: the required ones, and "A, or both B and C". */
function requirementText(source: SourceType): string {
  const preset = SOURCE_PRESETS[source];
  const header = (f: ImportField) => COLUMN_GUIDES[f].header;
  const parts = preset.required.map(header);
  if (preset.requiredAnyOf) {
    parts.push(preset.requiredAnyOf.map((group) => (group.length === 1 ? header(group[0]!) : `cả ${group.map(header).join(' lẫn ')}`)).join(', hoặc '));
  }
  return parts.length === 0 ? '' : `Mỗi dòng cần có: ${parts.join('; ')}.`;
}

type Validations = { add(range: string, validation: ExcelJS.DataValidation & { errorStyle?: string }): void };

/**
 * An empty list in the layout the import reads best: one header row, ID and phone columns kept as
 * text, drop-downs for coded values, and a second sheet saying how to fill each column. The data
 * sheet has no example row, so a template sent back unchanged imports nothing rather than a sample.
 */
export async function writeImportTemplate(source: SourceType, output: Writable): Promise<void> {
  const fields = sourceFields(source);
  const preset = SOURCE_PRESETS[source];
  const required = new Set<ImportField>(preset.required);
  const eitherOr = new Set<ImportField>((preset.requiredAnyOf ?? []).flat());
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Công dân số';
  const list = workbook.addWorksheet('Danh sách', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = fields.map((field) => {
    const guide = COLUMN_GUIDES[field];
    return { header: guide.header + (required.has(field) ? REQUIRED_MARK : ''), key: field, width: guide.width, ...(guide.text ? { style: { numFmt: '@' } } : {}) };
  });
  const header = list.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell, column) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE8F5' } };
    cell.note = COLUMN_GUIDES[fields[column - 1]!].how;
  });
  const validations = (list as unknown as { dataValidations: Validations }).dataValidations;
  fields.forEach((field, index) => {
    const choices = COLUMN_GUIDES[field].choices;
    if (!choices) return;
    const letter = list.getColumn(index + 1).letter;
    validations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${choices.join(',')}"`],
      // A warning, not a stop: other spellings ("CH", "nữ") are read too.
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: COLUMN_GUIDES[field].header,
      error: `Nên chọn một giá trị trong danh sách: ${choices.join(', ')}.`,
    });
  });

  const guide = workbook.addWorksheet('Hướng dẫn');
  guide.columns = [
    { header: 'Cột', key: 'header', width: 22 },
    { header: 'Bắt buộc', key: 'required', width: 16 },
    { header: 'Cách ghi', key: 'how', width: 70 },
    { header: 'Ví dụ', key: 'example', width: 32 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const field of fields) {
    const g = COLUMN_GUIDES[field];
    const need = required.has(field) ? 'Có' : eitherOr.has(field) ? 'Một trong hai cách (xem dưới)' : '';
    guide.addRow({ header: g.header, required: need, how: g.how, example: g.example }).alignment = { vertical: 'top', wrapText: true };
  }
  guide.addRow({});
  for (const line of [
    `Mẫu nhập: ${SOURCE_LABELS[source].vi}. ${requirementText(source)}`,
    'Điền từ dòng 2 của trang "Danh sách", mỗi dòng một người (hoặc một tổ chức). Không cần dòng tiêu đề, dòng tổng cộng.',
    'Tệp gốc của cơ quan khác vẫn nhập được: tên cột, thứ tự cột, dòng tiêu đề và bảng mã cũ (TCVN3, VNI) được nhận ra khi nhập.',
    'Dòng có lỗi không làm hỏng cả tệp: dòng đó được giữ lại để sửa và nhập lại.',
  ]) {
    guide.addRow({ header: line });
  }
  await workbook.xlsx.write(output);
}
