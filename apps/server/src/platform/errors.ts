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
  ACCOUNT_LOCKED: {
    status: 423,
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần; hãy thử lại sau',
    en: 'Account locked after repeated failed sign-ins; try again later',
  },
  TOO_MANY_REQUESTS: { status: 429, vi: 'Quá nhiều yêu cầu; hãy thử lại sau ít phút', en: 'Too many requests; try again shortly' },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống; đã ghi nhận để xử lý', en: 'Internal error; it has been logged' },
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
