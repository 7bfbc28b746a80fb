import { describe, expect, it } from 'vitest';
import { parsePastedList } from './paste-list';

describe('parsePastedList', () => {
  it('reads spreadsheet cells, skips a header and keeps each line for fixing', () => {
    const { rows, lines } = parsePastedList('Họ và tên\tĐiện thoại\tMã đơn vị\tCơ quan\nTrần Thị Bình\t0912 345 678\t26740\tUBND phường\n\nLê Văn Cường\t0987654321\t26743\n');
    expect(rows).toEqual([
      { fullName: 'Trần Thị Bình', phone: '0912 345 678', unitCode: '26740', agency: 'UBND phường' },
      { fullName: 'Lê Văn Cường', phone: '0987654321', unitCode: '26743' },
    ]);
    expect(lines).toEqual(['Trần Thị Bình\t0912 345 678\t26740\tUBND phường', 'Lê Văn Cường\t0987654321\t26743']);
  });

  it('reads typed lines separated by semicolons or commas, and keeps a first line that is a person', () => {
    expect(parsePastedList('Ngô Văn Tên; 0912000111; 26740\nĐỗ Thị Phương, 0933000222, 26740, Trường THCS').rows).toEqual([
      { fullName: 'Ngô Văn Tên', phone: '0912000111', unitCode: '26740' },
      { fullName: 'Đỗ Thị Phương', phone: '0933000222', unitCode: '26740', agency: 'Trường THCS' },
    ]);
  });
});
