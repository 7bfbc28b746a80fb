import { residents, users } from '@cds/db';
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Actor } from '../modules/access/actor.ts';
import { importSourceFile, type ImportSummary } from '../modules/imports/import-file.service.ts';
import type { AppDeps } from '../platform/deps.ts';
import { DEMO_LOGINS } from './demo-data.ts';

const OFFICIAL = 'saigon';

/**
 * A residence list as a ward receives it, with the usual trouble: a title block, semicolons, a
 * blank row and a totals row, an impossible date, an ID Excel turned into 7.9E+10, an old ward
 * (Đa Kao) now split between two wards, and a person without ID who is already in the registry
 * (`lookAlike`, written without diacritics as an office would).
 */
export function demoResidenceList(lookAlike: { fullName: string; birthDate: string } | null): string {
  const [y, m, d] = (lookAlike?.birthDate ?? '1960-01-01').split('-');
  return [
    'UBND PHƯỜNG SÀI GÒN;;;;;;;',
    'DANH SÁCH NHÂN KHẨU CƯ TRÚ (BỔ SUNG THÁNG 11);;;;;;;',
    ';;;;;;;',
    'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Số điện thoại;Địa chỉ thường trú;Mã hộ',
    '1;Nguyễn Văn Hùng;12/03/1985;Nam;079085990001;0903 990 001;12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM;HK-DEMO-01',
    "2;trần  thị mai;1987;nữ;'079187990002;+84 168 990 0002;12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM;HK-DEMO-01",
    '3;Lê Minh Tuấn;31/02/1990;Nam;;;88 Nguyễn Thái Bình, Phường Sài Gòn;HK-DEMO-02',
    '4;Phạm Thị Hoa;05/07/1978;Nữ;7.9178E+10;;9 Hàm Nghi, Phường Sài Gòn;HK-DEMO-03',
    ';;;;;;;',
    '5;Bùi Bích Châu;15/06/1965;Nữ;;;10 Đinh Tiên Hoàng, P. Đa Kao, Q.1;HK-DEMO-04',
    ...(lookAlike ? [`6;${lookAlike.fullName.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')};${d}/${m}/${y};;;;Phường Sài Gòn;`] : []),
    'Tổng cộng;;;;;;;',
  ].join('\r\n');
}

/**
 * The demo ward official's first import, run through the same path as an upload, so that the
 * import list, its review queue and its quarantine have something to show on a new database.
 */
export async function seedDemoImport(deps: AppDeps): Promise<ImportSummary | null> {
  const login = DEMO_LOGINS.find((l) => l.username === OFFICIAL);
  const [user] = await deps.db.select().from(users).where(eq(users.username, OFFICIAL));
  if (!login || !user) return null;
  const actor: Actor = {
    userId: user.id, username: user.username, role: user.role, provinceCode: user.provinceCode, unitCodes: login.units,
    residentId: null, ip: null, userAgent: 'demo',
  };
  return importDemoList(deps, actor, login.units[0]!);
}

/** Imports demoResidenceList into `unit` as `actor`, with one of the unit's residents as the look-alike. */
export async function importDemoList(deps: AppDeps, actor: Actor, unit: string): Promise<ImportSummary> {
  const [known] = await deps.db
    .select({ fullName: residents.fullName, birthDate: residents.birthDate })
    .from(residents)
    .where(and(eq(residents.unitCode, unit), eq(residents.status, 'living'), isNull(residents.mergedIntoId), isNotNull(residents.birthDate)))
    .orderBy(asc(residents.id))
    .limit(1);
  const csv = demoResidenceList(known?.birthDate ? { fullName: known.fullName, birthDate: known.birthDate } : null);
  const bytes = new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
  return importSourceFile(deps, actor, { bytes, fileName: 'ds-nhan-khau-bo-sung-t11.csv', sourceType: 'residence_list', defaultUnitCode: unit });
}
