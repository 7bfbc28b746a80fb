import { createTestDatabase } from '@cds/db/test-database';
import { foldVietnamese } from '@cds/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsPattern } from './like-pattern.ts';

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

const folded = async (text: string) => {
  const { rows } = await handle.db.execute<{ folded: string }>(sql`SELECT fold_vietnamese(${text}::text) AS folded`);
  return rows[0]?.folded;
};

describe('fold_vietnamese() in the database', () => {
  it('folds addresses in the database exactly as foldVietnamese does', async () => {
    const addresses = [
      'Số 12 Đường Lê Lợi, Phường Sài Gòn',
      'TỔ 5, KHU PHỐ ĐÔNG HÒA',
      '  Hẻm 34/7   Nguyễn Thị Minh Khai ',
      'Ấp Phước Hội, Xã Long Điền',
      'Chung cư Ưng Văn Khiêm, Tầng 9, Căn hộ 912',
      'Đặng Thị Hoà, thôn Ỷ La',
      'ỳ ỹ ỵ Ỳ Ỹ Ỵ ơ ờ ớ ở ỡ ợ Ơ Ờ Ớ Ở Ỡ Ợ ư ừ ứ ử ữ ự Ư Ừ Ứ Ử Ữ Ự',
    ];
    for (const address of addresses) expect(await folded(address), address).toBe(foldVietnamese(address));
  });

  it('folds text typed as letters and combining marks, and Unicode spaces, as foldVietnamese does', async () => {
    const typed = [
      'Số 17 Đường Hòa Hưng Tây'.normalize('NFD'),
      // A composed ê followed by a combining dot below, as some keyboards send ệ.
      'Nguy\u00ea\u0323n Văn Ti\u00ea\u0323p',
      'Số\u00a017\u00a0Đường\u202fLê\u3000Lợi\ufeff',
    ];
    for (const text of typed) {
      expect(await folded(text), JSON.stringify(text)).toBe(foldVietnamese(text));
    }
    expect(await folded(typed[0]!)).toBe('so 17 duong hoa hung tay');
  });

  it('takes %, _ and \\ in a search literally', async () => {
    const { rows } = await handle.db.execute<{ a: boolean; b: boolean }>(sql`
      SELECT 'nha 100% moi' LIKE ${containsPattern('100%')} AS a, 'nha 100 moi' LIKE ${containsPattern('100%')} AS b`);
    expect(rows[0]).toEqual({ a: true, b: false });
  });
});
