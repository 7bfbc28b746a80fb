// The one catalogue of errors the API sends. Codes are stable: clients and tests rely on them.
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, vi: 'Bạn cần đăng nhập', en: 'You need to sign in' },
  INVALID_CREDENTIALS: { status: 401, vi: 'Tên đăng nhập hoặc mật khẩu không đúng', en: 'Wrong username or password' },
  CSRF_INVALID: {
    status: 403,
    vi: 'Mã chống giả mạo (CSRF) không hợp lệ; hãy tải lại trang',
    en: 'Missing or wrong CSRF token; reload the page',
  },
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You may not do this' },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy', en: 'Not found' },
  DUPLICATE_CITIZEN_ID: {
    status: 409,
    vi: 'Số định danh cá nhân này đã có trong sổ',
    en: 'This citizen ID number is already registered',
  },
  DUPLICATE_TAX_CODE: { status: 409, vi: 'Mã số thuế này đã có trong sổ', en: 'This tax code is already registered' },
  NEIGHBOURHOOD_NAME_TAKEN: {
    status: 409,
    vi: 'Đơn vị đã có khu phố/ấp cùng tên',
    en: 'The unit already has a neighbourhood of that name',
  },
  NEIGHBOURHOOD_MERGED: {
    status: 409,
    vi: 'Khu phố/ấp này đã được sáp nhập',
    en: 'This neighbourhood has already been merged',
  },
  // A merged record answers with the record it was merged into: the message names it, and the
  // issue { path: 'mergedIntoId', message: '<id>' } carries its id for clients.
  RESIDENT_MERGED: {
    status: 404,
    vi: 'Hồ sơ nhân khẩu này đã được gộp vào một hồ sơ khác',
    en: 'This resident record has been merged into another record',
  },
  MERGE_DIFFERENT_CITIZEN_IDS: {
    status: 409,
    vi: 'Hai hồ sơ có hai số định danh cá nhân khác nhau: đây là hai người, không thể gộp',
    en: 'The two records carry different citizen ID numbers: they are two people and cannot be merged',
  },
  MERGE_NOT_POSSIBLE: {
    status: 409,
    vi: 'Không thể gộp hai hồ sơ này',
    en: 'These two records cannot be merged',
  },
  MERGE_ALREADY_UNDONE: {
    status: 409,
    vi: 'Lần gộp này đã được hoàn tác',
    en: 'This merge has already been undone',
  },
  IMPORT_RUNNING: {
    status: 409,
    vi: 'Lần nhập này đang chạy; hãy đợi nó xong hoặc dừng hẳn rồi mới hoàn tác',
    en: 'This import is still running; wait for it to finish or stop before rolling it back',
  },
  IMPORT_ROLLED_BACK: { status: 409, vi: 'Lần nhập này đã được hoàn tác', en: 'This import has been rolled back' },
  ACCOUNT_LOCKED: {
    status: 423,
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần; hãy thử lại sau',
    en: 'Account locked after repeated failed sign-ins; try again later',
  },
  IMPORT_RUNNING_ELSEWHERE: {
    status: 409,
    vi: 'Tệp này đang được nhập ở một tiến trình khác; hãy chờ lần nhập đó xong',
    en: 'This file is being imported by another process; wait for that import to finish',
  },
  REPORT_LOCKED: {
    status: 409,
    vi: 'Số liệu đã được phê duyệt và khóa; không thể sửa',
    en: 'This reported figure is approved and locked',
  },
  REPORT_WRONG_STATE: {
    status: 409,
    vi: 'Số liệu không ở trạng thái cho phép thao tác này',
    en: 'The reported figure is not in a state that allows this',
  },
  UPLOAD_TOO_LARGE: { status: 413, vi: 'Tệp tải lên quá lớn', en: 'The uploaded file is too large' },
  TOO_MANY_REQUESTS: { status: 429, vi: 'Quá nhiều yêu cầu; hãy thử lại sau ít phút', en: 'Too many requests; try again shortly' },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống; đã ghi nhận để xử lý', en: 'Internal error; it has been logged' },
  // The door-to-door campaign.
  TEAM_NAME_TAKEN: { status: 409, vi: 'Đơn vị đã có tổ cùng tên', en: 'The unit already has a team of that name' },
  TEAM_ARCHIVED: { status: 409, vi: 'Tổ này đã giải thể', en: 'This team has been archived' },
  NOT_IN_TEAM: { status: 409, vi: 'Người này không thuộc tổ', en: 'This person is not a member of the team' },
  OUTSIDE_TEAM_AREA: {
    status: 409,
    vi: 'Hộ này không thuộc địa bàn được giao cho tổ',
    en: 'This household is not in the area given to the team',
  },
  INVITE_INVALID: {
    status: 410,
    vi: 'Mã mời không còn dùng được (đã hết hạn, đã dùng hết hoặc đã bị thu hồi)',
    en: 'This invite can no longer be used (expired, used up or revoked)',
  },
  USERNAME_TAKEN: { status: 409, vi: 'Tên đăng nhập này đã có người dùng', en: 'This username is taken' },
  DEVICE_REQUIRED: {
    status: 401,
    vi: 'Thiết bị chưa được đăng ký; hãy đăng nhập lại trên ứng dụng hiện trường',
    en: 'This device is not enrolled; sign in again in the field app',
  },
  DEVICE_REVOKED: {
    status: 403,
    vi: 'Thiết bị này đã bị thu hồi quyền đồng bộ; các phiếu chưa gửi được giữ lại để cán bộ xem xét',
    en: 'This device may no longer sync; its unsent visits are kept for review',
  },
  APP_OUTDATED: {
    status: 426,
    vi: 'Ứng dụng đã cũ; hãy cập nhật (các phiếu chưa gửi vẫn được giữ nguyên)',
    en: 'The app is out of date; update it (unsent visits are kept)',
  },
  ALREADY_DECIDED: { status: 409, vi: 'Việc này đã được quyết định', en: 'This has already been decided' },
  // Device support.
  DEVICE_ALREADY_ALLOCATED: {
    status: 409,
    vi: 'Hộ này đã được phân bổ thiết bị; mỗi hộ chỉ nhận một thiết bị',
    en: 'This household already has a device allocated; one device per household',
  },
  DEVICE_STOCK_EMPTY: { status: 409, vi: 'Lô thiết bị này đã hết', en: 'This stock has no device left' },
  DEVICE_NOT_ELIGIBLE: {
    status: 409,
    vi: 'Hộ này hiện không thuộc diện cần hỗ trợ thiết bị',
    en: 'This household does not currently need a device',
  },
  DEVICE_PLEDGE_EXCEEDED: {
    status: 409,
    vi: 'Số thiết bị nhận vượt quá số đã cam kết tài trợ',
    en: 'More devices received than were pledged',
  },
  DEVICE_PLEDGE_CANCELLED: { status: 409, vi: 'Cam kết tài trợ này đã bị huỷ', en: 'This pledge has been cancelled' },
  DEVICE_IMEI_TAKEN: { status: 409, vi: 'Số IMEI này đã được ghi cho một thiết bị khác', en: 'This IMEI is already recorded for another device' },
  DEVICE_BAD_CONFIRMATION: {
    status: 422,
    vi: 'Mã xác nhận của người nhận không đúng',
    en: 'The recipient’s confirmation code is wrong',
  },
  DEVICE_CONFIRMATION_LOCKED: {
    status: 423,
    vi: 'Nhập sai mã xác nhận quá nhiều lần; hãy hẹn lại lịch bàn giao để có mã mới',
    en: 'Too many wrong confirmation codes; schedule the handover again for a new code',
  },
  DEVICE_WRONG_STATE: {
    status: 409,
    vi: 'Phân bổ thiết bị không ở trạng thái cho phép thao tác này',
    en: 'The allocation is not in a state that allows this',
  },
  SPONSOR_NOT_LINKED: {
    status: 403,
    vi: 'Tài khoản này chưa được gắn với nhà tài trợ nào',
    en: 'This login is not linked to a sponsor',
  },
  // "Bình dân học vụ số".
  OTP_INVALID: { status: 401, vi: 'Mã xác nhận không đúng hoặc đã hết hạn', en: 'The code is wrong or has expired' },
  OTP_LOCKED: {
    status: 423,
    vi: 'Nhập sai mã quá nhiều lần: số điện thoại này tạm khoá đăng nhập; hãy thử lại sau',
    en: 'Too many wrong codes: sign-in with this phone is locked for a while',
  },
  OTP_TOO_SOON: { status: 429, vi: 'Mã vừa được gửi; hãy chờ một chút rồi gửi lại', en: 'A code was just sent; wait before asking again' },
  SMS_FAILED: { status: 502, vi: 'Chưa gửi được tin nhắn; hãy thử lại sau', en: 'The text message could not be sent' },
  OIDC_FAILED: {
    status: 401,
    vi: 'Đăng nhập qua tài khoản định danh không thành công; hãy thử lại',
    en: 'Sign-in through the identity provider failed',
  },
  LESSON_LOCKED: { status: 409, vi: 'Hãy học xong bài trước rồi học bài này', en: 'Finish the lesson before this one first' },
  QUIZ_LOCKED: { status: 409, vi: 'Hãy học xong tất cả các bài rồi làm bài kiểm tra', en: 'Finish every lesson before the quiz' },
  ATTEMPT_SUBMITTED: { status: 409, vi: 'Bài kiểm tra này đã nộp; hãy làm lượt mới', en: 'This attempt was already submitted' },
  RECORD_NOT_MATCHED: {
    status: 404,
    vi: 'Không tìm thấy hồ sơ khớp số định danh và ngày sinh này trong sổ của Thành phố',
    en: 'No registry record matches this citizen ID and birth date',
  },
  RECORD_LINKED_ELSEWHERE: {
    status: 409,
    vi: 'Hồ sơ này đã gắn với một tài khoản khác; hãy liên hệ công an hoặc UBND phường/xã',
    en: 'This record is already linked to another account',
  },
  RECORD_NOT_YOURS: {
    status: 409,
    vi: 'Định danh điện tử đã xác minh tài khoản này là của người có số định danh khác với số vừa nhập',
    en: 'The electronic identity proved this account belongs to someone with another citizen ID',
  },
  RECORD_LINK_REFUSED: {
    status: 409,
    vi: 'Cán bộ phường/xã đã xác định tài khoản này không phải của người có hồ sơ đó; nếu có nhầm lẫn, hãy mang giấy tờ tùy thân đến UBND phường/xã',
    en: 'An official found this account is not the person of that record; if that is a mistake, bring identity papers to the ward office',
  },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorIssue {
  path: string;
  message: string;
}

/** Thrown anywhere; the error handler turns it into the JSON body of the catalogue. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly issues?: ErrorIssue[],
    /** A more specific Vietnamese message than the catalogue's, e.g. naming the field. */
    readonly detailVi?: string,
  ) {
    super(errorCatalogue[code].en);
    this.status = errorCatalogue[code].status;
  }
}

export function errorBody(code: ErrorCode, issues?: ErrorIssue[], detailVi?: string) {
  const entry = errorCatalogue[code];
  return {
    error: {
      code,
      message: detailVi ?? entry.vi,
      messageEn: entry.en,
      ...(issues && issues.length > 0 ? { issues } : {}),
    },
  };
}

/** Bad input on one field, in the same shape as a schema failure. */
export function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', [{ path, message }], `${message} (${path})`);
}
