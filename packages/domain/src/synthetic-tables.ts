/**
 * Reference tables for the synthetic population: names, streets, places of birth and carrier
 * shares. Weights are relative (they need not sum to 100). Every figure is approximate and
 * meant only to make demo data look like Ho Chi Minh City; none of it describes a real person.
 */
import type { Carrier } from './phone.ts';

export type Weighted<T> = readonly (readonly [value: T, weight: number])[];

/**
 * Surnames with their commonly cited national shares (Nguyễn 38.4%, Trần 12.1%, Lê 9.5%,
 * Phạm 7.0%, Hoàng/Huỳnh 5.1%, Phan 4.5%, Vũ/Võ 3.9%, Đặng 2.1%, Bùi 2.0%, Đỗ 1.4%, Hồ 1.3%,
 * Ngô 1.3%, Dương 1.0%, Lý 0.5%). The pairs Hoàng/Huỳnh and Vũ/Võ are one name spelt the
 * southern way in the South, so in this city the southern spelling takes the larger part.
 * The tail shares the remaining ~10% (assumed).
 */
export const SURNAMES: Weighted<string> = [
  ['Nguyễn', 38.4], ['Trần', 12.1], ['Lê', 9.5], ['Phạm', 7.0], ['Huỳnh', 3.4], ['Hoàng', 1.7],
  ['Phan', 4.5], ['Võ', 2.6], ['Vũ', 1.3], ['Đặng', 2.1], ['Bùi', 2.0], ['Đỗ', 1.4], ['Hồ', 1.3],
  ['Ngô', 1.3], ['Dương', 1.0], ['Lý', 0.5], ['Trương', 0.9], ['Đinh', 0.6], ['Lâm', 0.6],
  ['Mai', 0.5], ['Đoàn', 0.5], ['Tô', 0.4], ['Lưu', 0.4], ['Cao', 0.4], ['Châu', 0.4],
  ['Trịnh', 0.4], ['Lương', 0.4], ['Hà', 0.3], ['Thái', 0.3], ['Tạ', 0.3], ['Quách', 0.2],
  ['Phùng', 0.2], ['La', 0.2], ['Kiều', 0.1], ['Tăng', 0.2], ['Diệp', 0.1], ['Văn', 0.2],
  ['Triệu', 0.2], ['Đào', 0.4], ['Vương', 0.2], ['Thân', 0.1], ['Từ', 0.1], ['Nghiêm', 0.1],
];

/**
 * Middle names shift with the generation: "Văn" for men and "Thị" for women dominated names
 * given before about 1990 and have become far less common since (assumed shares).
 */
export const MIDDLE_NAMES_MALE_OLDER: Weighted<string> = [
  ['Văn', 45], ['Hữu', 7], ['Đức', 7], ['Minh', 8], ['Quốc', 6], ['Thanh', 6], ['Công', 5],
  ['Hoàng', 4], ['Ngọc', 3], ['Xuân', 3], ['Trọng', 3], ['Tấn', 4], ['Phước', 2], ['Thành', 2],
];
export const MIDDLE_NAMES_MALE_YOUNGER: Weighted<string> = [
  ['Văn', 14], ['Minh', 14], ['Gia', 10], ['Quốc', 8], ['Hoàng', 8], ['Đức', 7], ['Anh', 6],
  ['Tuấn', 4], ['Bảo', 6], ['Nhật', 5], ['Đăng', 4], ['Hữu', 4], ['Thành', 4], ['Duy', 4],
  ['Khánh', 3], ['Trọng', 3], ['Thiên', 3], ['Phúc', 3],
];
export const MIDDLE_NAMES_FEMALE_OLDER: Weighted<string> = [
  ['Thị', 62], ['Ngọc', 8], ['Thanh', 6], ['Thu', 5], ['Kim', 5], ['Hồng', 4], ['Mỹ', 3],
  ['Bích', 2], ['Xuân', 2], ['Minh', 2], ['Thúy', 2],
];
export const MIDDLE_NAMES_FEMALE_YOUNGER: Weighted<string> = [
  ['Thị', 24], ['Ngọc', 12], ['Thanh', 6], ['Thu', 5], ['Kim', 4], ['Mỹ', 5], ['Bảo', 7],
  ['Khánh', 6], ['Phương', 5], ['Minh', 5], ['Gia', 5], ['Quỳnh', 4], ['Thùy', 4], ['Hoài', 2],
  ['Diệu', 3], ['Tường', 2], ['Yến', 1],
];
/** A second middle name after "Thị", as in "Nguyễn Thị Ngọc Hân" (assumed 12% of Thị names). */
export const SECOND_MIDDLE_AFTER_THI_SHARE = 0.12;
export const SECOND_MIDDLE_NAMES_FEMALE: readonly string[] = ['Ngọc', 'Thanh', 'Thu', 'Kim', 'Mỹ', 'Hồng', 'Bích', 'Minh', 'Thúy', 'Diễm'];

export const GIVEN_NAMES_MALE: readonly string[] = [
  'An', 'Bảo', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Đức', 'Hải', 'Hào', 'Hiếu', 'Hoàng', 'Hùng',
  'Huy', 'Hưng', 'Khang', 'Khánh', 'Khoa', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Minh', 'Nam', 'Nghĩa',
  'Nhân', 'Phát', 'Phong', 'Phúc', 'Quang', 'Sơn', 'Tài', 'Tâm', 'Thắng', 'Thành', 'Thiện', 'Thịnh',
  'Toàn', 'Trí', 'Trung', 'Tuấn', 'Tùng', 'Vinh', 'Việt', 'Vũ', 'Quân', 'Tín', 'Hậu',
];
export const GIVEN_NAMES_FEMALE: readonly string[] = [
  'An', 'Anh', 'Ánh', 'Châu', 'Chi', 'Diễm', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hân',
  'Hiền', 'Hoa', 'Hương', 'Hồng', 'Huyền', 'Lan', 'Liên', 'Linh', 'Loan', 'Mai', 'My', 'Nga',
  'Ngân', 'Ngọc', 'Nhi', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Quỳnh', 'Tâm', 'Thảo', 'Thanh',
  'Thủy', 'Thư', 'Trâm', 'Trang', 'Trinh', 'Tuyết', 'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến', 'Thơ',
];

/** Streets common across the city, including the merged Bình Dương and Bà Rịa–Vũng Tàu areas. */
export const STREET_NAMES: readonly string[] = [
  'Nguyễn Trãi', 'Lê Lợi', 'Trần Hưng Đạo', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Cách Mạng Tháng Tám',
  'Điện Biên Phủ', 'Nguyễn Thị Minh Khai', 'Võ Văn Tần', 'Lê Văn Sỹ', 'Phan Đăng Lưu',
  'Nguyễn Văn Cừ', 'Nguyễn Đình Chiểu', 'Trường Chinh', 'Âu Cơ', 'Lạc Long Quân', 'Quang Trung',
  'Nguyễn Oanh', 'Phạm Văn Đồng', 'Kha Vạn Cân', 'Lê Văn Việt', 'Huỳnh Tấn Phát', 'Nguyễn Văn Linh',
  'Tô Ký', 'Lê Trọng Tấn', 'Tân Kỳ Tân Quý', 'Hậu Giang', 'Kinh Dương Vương', 'An Dương Vương',
  'Ba Tháng Hai', 'Nguyễn Tri Phương', 'Hoàng Văn Thụ', 'Cộng Hòa', 'Bạch Đằng', 'Xô Viết Nghệ Tĩnh',
  'Đinh Tiên Hoàng', 'Phan Xích Long', 'Nguyễn Kiệm', 'Lê Đức Thọ', 'Thống Nhất', 'Nguyễn Ảnh Thủ',
  'Tỉnh Lộ 10', 'Hương Lộ 2', 'Lê Văn Lương', 'Nguyễn Hữu Thọ', 'Phan Văn Trị', 'Nguyễn Duy Trinh',
  'Đỗ Xuân Hợp', 'Lũy Bán Bích', 'Bình Long', 'Mã Lò', 'Tỉnh Lộ 8', 'Phú Lợi', 'Nguyễn Văn Tiết',
  '30 Tháng 4', 'Lê Hồng Phong', 'Trần Phú', 'Nguyễn An Ninh',
];

/**
 * Province of birth registration (the first three ID digits) for people not born in the
 * generated province, weighted towards the merged provinces (074 Bình Dương, 077 Bà Rịa–Vũng
 * Tàu) and the Mekong Delta and central provinces that supply most migrants to the city
 * (assumed weights: the broad pattern is well known, the numbers are not taken from a source).
 */
export const OTHER_BIRTH_PROVINCES: Weighted<string> = [
  ['074', 7], ['077', 4], ['075', 2.5], ['080', 2.5], ['082', 1.8], ['083', 1.8], ['084', 1.2],
  ['086', 1.2], ['087', 1.6], ['089', 1.6], ['091', 1.2], ['092', 1.2], ['093', 0.7], ['094', 1.3],
  ['095', 0.9], ['096', 1.2], ['072', 1.0], ['070', 0.8], ['068', 0.6], ['066', 0.8], ['064', 0.5],
  ['062', 0.2], ['060', 0.9], ['058', 0.5], ['056', 0.5], ['054', 0.7], ['052', 1.3], ['051', 1.3],
  ['049', 1.1], ['048', 0.4], ['046', 0.7], ['045', 0.6], ['044', 0.6], ['042', 0.9], ['040', 1.6],
  ['038', 1.6], ['037', 0.4], ['036', 0.9], ['035', 0.3], ['034', 1.0], ['033', 0.4], ['031', 0.5],
  ['030', 0.5], ['027', 0.2], ['026', 0.2], ['025', 0.2], ['024', 0.2], ['022', 0.2], ['019', 0.2],
  ['017', 0.1], ['001', 1.3],
];

/**
 * Mobile subscriber shares by carrier: roughly Viettel 55%, VinaPhone 20%, MobiFone 18%, the
 * rest small (approximate shares reported by the telecoms authority in recent years; assumed).
 */
export const CARRIER_SHARES: Weighted<Carrier> = [
  ['viettel', 55], ['vinaphone', 20], ['mobifone', 18], ['vietnamobile', 4], ['itelecom', 1.5],
  ['reddi', 1], ['gmobile', 0.5],
];

/**
 * Default neighbourhood numbers when a unit gives no list: every unit has a Khu phố 1, fewer
 * reach 12, so low numbers weigh more.
 */
export const DEFAULT_NEIGHBOURHOODS: Weighted<string> = [
  ['Khu phố 1', 10], ['Khu phố 2', 10], ['Khu phố 3', 9], ['Khu phố 4', 9], ['Khu phố 5', 8],
  ['Khu phố 6', 8], ['Khu phố 7', 7], ['Khu phố 8', 6], ['Khu phố 9', 5], ['Khu phố 10', 4],
  ['Khu phố 11', 3], ['Khu phố 12', 2],
];

/**
 * Poor and near-poor household shares under the city's own multidimensional poverty standard
 * for 2021–2025 (assumed: about 3% and 4%, roughly the shares the city reported in that period).
 */
export const POVERTY_SHARES = { poor: 0.03, nearPoor: 0.04 } as const;

/**
 * How households are put together. Calibrated so that the generated population has a mean
 * household of about 3.2 people (about 14 million people in 4–5 million households gives
 * 2.8–3.5) and about 22% of people under 18; the individual shares are assumed.
 */
export const HOUSEHOLD_SHAPE = {
  /** Households headed by a woman (assumed, urban Vietnam is around a third). */
  femaleHeadShare: 0.42,
  /** Head's age: the decade starting at the value, then uniform within it (25–84). */
  headAgeDecades: [[25, 21], [35, 27], [45, 22], [55, 16], [65, 9], [75, 5]] as Weighted<number>,
  /** Share living alone, by the head's age up to the given bound. */
  livingAloneByHeadAge: [[34, 0.18], [59, 0.06], [74, 0.12], [200, 0.22]] as readonly (readonly [number, number])[],
  spouseShare: 0.84,
  /** Number of children living at home by the mother's age up to the given bound. */
  childrenByMotherAge: [
    [24, [[0, 50], [1, 40], [2, 10]]],
    [29, [[0, 25], [1, 45], [2, 26], [3, 4]]],
    [44, [[0, 10], [1, 30], [2, 44], [3, 16]]],
    [54, [[0, 16], [1, 34], [2, 36], [3, 14]]],
    [64, [[0, 35], [1, 40], [2, 20], [3, 5]]],
    [200, [[0, 45], [1, 40], [2, 15]]],
  ] as readonly (readonly [number, Weighted<number>])[],
  /** The mother's age at a birth, inclusive range. */
  motherAgeAtBirth: [20, 38] as const,
  /** Sex ratio at birth of about 105–110 boys per 100 girls in recent decades. */
  maleBirthShare: 0.51,
  /** Children taking the father's surname; the rest take the mother's. */
  fatherSurnameShare: 0.95,
  /** A grown child (24+) at home with a spouse and their children. */
  grandchildShare: 0.45,
  /** The head's parents living in (head up to 58). */
  parentShare: 0.12,
  siblingShare: 0.04,
  /** Lodgers, in permanent and in rented (temporary) households. */
  lodgerShare: 0.03,
  lodgerShareTemporary: 0.1,
  /** Households registered as temporary residents (tạm trú): mostly migrants renting rooms. */
  temporaryShare: 0.25,
  /**
   * Born (birth registered) in the generated province, by age group and residence type; the
   * rest come from other provinces. Gives roughly 35% from elsewhere overall.
   */
  bornHereAdult: { permanent: 0.72, temporary: 0.3 },
  bornHereMinor: { permanent: 0.92, temporary: 0.7 },
} as const;
