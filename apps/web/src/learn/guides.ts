/**
 * What to do for each thing the registry says a resident still lacks: short steps in plain words,
 * and the course that teaches it. Shown on "Công dân số của tôi" for the missing parts only.
 */
export interface Guide {
  title: string;
  steps: string[];
  course?: string;
  /** The resident can ask for help with this from the page itself. */
  action?: 'device' | 'visit';
}

export const GUIDES: Record<string, Guide> = {
  citizen_id_card: {
    title: 'Làm thẻ căn cước',
    steps: ['Đến công an phường, xã nơi bạn cư trú (mang giấy tờ tùy thân đang có).', 'Cán bộ chụp ảnh, lấy vân tay và hẹn ngày trả thẻ.', 'Nhận thẻ tại nơi làm hoặc qua bưu điện.'],
    action: 'visit',
  },
  vneid: {
    title: 'Kích hoạt định danh điện tử VNeID mức 2',
    steps: ['Cài ứng dụng VNeID từ CH Play hoặc App Store.', 'Mang thẻ căn cước gắn chip đến công an phường, xã để được kích hoạt mức 2.', 'Đăng nhập VNeID, đặt mật khẩu và mã bảo vệ 6 số; không đưa cho ai.'],
    course: 'vneid',
  },
  smartphone: {
    title: 'Có điện thoại thông minh',
    steps: ['Nếu gia đình khó khăn, bạn có thể đề nghị hỗ trợ thiết bị ngay trên trang này.', 'Nếu đã có máy, học cách dùng trong khoá "Dùng điện thoại thông minh".'],
    course: 'dien-thoai-thong-minh',
    action: 'device',
  },
  phone_2g_only: {
    title: 'Đổi điện thoại chỉ dùng 2G',
    steps: ['Sóng 2G đang được tắt dần; máy chỉ có 2G sẽ không gọi được.', 'Ra cửa hàng nhà mạng để được hỗ trợ đổi máy 4G, hoặc đề nghị hỗ trợ thiết bị trên trang này.'],
    action: 'device',
  },
  epayment_account: {
    title: 'Mở tài khoản thanh toán hoặc ví điện tử',
    steps: ['Mở tài khoản ngân hàng hoặc ví điện tử đứng tên chính bạn.', 'Xác thực bằng thẻ căn cước và khuôn mặt theo hướng dẫn của ứng dụng.', 'Tập quét mã VietQR để trả tiền an toàn.'],
    course: 'vi-dien-tu-qr',
  },
  public_service_account: {
    title: 'Dùng Cổng Dịch vụ công quốc gia',
    steps: ['Vào dichvucong.gov.vn.', 'Đăng nhập bằng tài khoản VNeID.', 'Tra cứu và nộp hồ sơ ngay tại nhà.'],
    course: 'dich-vu-cong-truc-tuyen',
  },
  social_insurance_vneid: {
    title: 'Tích hợp thẻ bảo hiểm y tế vào VNeID',
    steps: ['Mở VNeID, vào mục giấy tờ.', 'Chọn tích hợp thông tin bảo hiểm y tế và gửi yêu cầu.', 'Khi đi khám, mở VNeID để đưa thẻ.'],
    course: 'vneid',
  },
  vssid_installed: { title: 'Cài ứng dụng VssID', steps: ['Cài VssID – Bảo hiểm xã hội số.', 'Đăng nhập và tra cứu quá trình đóng bảo hiểm.'], course: 'vssid' },
  etax_account: { title: 'Dùng eTax Mobile', steps: ['Cài eTax Mobile.', 'Đăng nhập bằng mã số thuế (số định danh cá nhân).', 'Tra cứu và nộp thuế, phí ngay trên điện thoại.'], course: 'thue-dien-tu' },
  digital_signature: { title: 'Có chữ ký số cá nhân', steps: ['Đăng ký chữ ký số từ xa với một nhà cung cấp được cấp phép.', 'Dùng để ký hồ sơ trực tuyến.'], course: 'chu-ky-so' },
  health_record_updated: { title: 'Cập nhật sổ sức khoẻ điện tử', steps: ['Mở VNeID, vào mục sổ sức khoẻ điện tử.', 'Kiểm tra thông tin và báo cơ sở y tế nếu sai.'], course: 'vneid' },
  basic_skills_trained: { title: 'Học kỹ năng số cơ bản', steps: ['Học một khoá bất kỳ trên trang này và làm bài kiểm tra.', 'Học hết lộ trình cơ bản để được xác nhận.'], course: 'dien-thoai-thong-minh' },
  city_app_installed: { title: 'Cài ứng dụng Công dân số của Thành phố', steps: ['Cài ứng dụng của Thành phố từ kho ứng dụng.', 'Đăng nhập bằng VNeID để gửi phản ánh, nhận thông báo.'], course: 'ung-dung-cong-dan-so' },
  digital_literacy_certified: {
    title: 'Được xác nhận đạt kỹ năng số cơ bản',
    steps: ['Học xong các khoá có dấu "Cơ bản".', 'Đạt bài kiểm tra của từng khoá: giấy chứng nhận lộ trình được cấp ngay.'],
  },
};

/** Current warnings about scams aimed at residents; each links to the lesson that explains it. */
export const SCAM_ALERTS: { title: string; body: string }[] = [
  {
    title: 'Gọi điện xưng là công an, yêu cầu cài ứng dụng "dịch vụ công"',
    body: 'Công an không gọi điện bắt cài ứng dụng hay chuyển tiền. Cúp máy, gọi lại số của công an phường, xã để hỏi.',
  },
  { title: 'Tin nhắn báo trúng thưởng, kèm đường link lạ', body: 'Không bấm vào link. Không nhập mật khẩu, mã OTP vào trang lạ. Xoá tin nhắn.' },
  { title: '"Việc nhẹ lương cao", làm nhiệm vụ online', body: 'Không có việc nào bắt bạn nạp tiền trước. Đã nạp thì dừng lại ngay, báo ngân hàng và công an.' },
  { title: 'Gọi video giả người thân nhờ chuyển tiền', body: 'Hình và giọng có thể bị làm giả. Gọi lại số quen của người thân trước khi chuyển.' },
];
