import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpilledStringTable } from './spilled-strings.ts';

describe('SpilledStringTable', () => {
  it('gives back every string it was given, in any order of reading', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 300 }), (strings, reads) => {
        const table = new SpilledStringTable();
        try {
          for (const text of strings) table.push(text);
          expect(table.length).toBe(strings.length);
          for (const r of reads) if (strings.length > 0) expect(table.get(r % strings.length)).toBe(strings[r % strings.length]);
          expect(table.get(strings.length)).toBeUndefined();
        } finally {
          table.close();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('reads back across its write buffer and read window: Vietnamese text, long strings, the first strings again', () => {
    const table = new SpilledStringTable();
    try {
      const made: string[] = [];
      // ~12 MB of text: several 1 MB write flushes and 4 MB read windows.
      for (let i = 0; i < 200_000; i++) {
        const text = i % 50_000 === 7 ? 'Đường Nguyễn Thị Minh Khai '.repeat(200_000) : `Nguyễn Văn Ánh ${i} — Phường Sài Gòn`;
        made.push(text);
        table.push(text);
      }
      for (let i = 0; i < made.length; i += 997) expect(table.get(i)).toBe(made[i]);
      // A workbook's common strings ("Nam", "Nữ") sit at the start and are read on every row.
      for (let round = 0; round < 3; round++) for (const i of [0, 1, 2, 150_000, 7, 50_007]) expect(table.get(i)).toBe(made[i]);
    } finally {
      table.close();
    }
  });
});
