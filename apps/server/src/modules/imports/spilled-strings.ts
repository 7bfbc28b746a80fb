import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WRITE_BUFFER_BYTES = 1 << 20;
const READ_WINDOW_BYTES = 4 << 20;
/** Strings read from outside the window, kept: "Nam", "Nữ", "Chủ hộ" and ward names recur on every row. */
const HOT_CACHE_ENTRIES = 20_000;

/**
 * An append-only list of strings kept in a temporary file, with only their offsets in memory:
 * an XLSX workbook's shared-strings table (every distinct name, address and ID typed as text)
 * is about as big as the data, so held in memory it would grow with the file. A streaming
 * writer numbers strings in order of first use, so the rows being read point at strings near
 * the end of the table; one read window serves them, and the few strings used on every row
 * (sexes, relations, ward names) are kept in a small cache.
 */
export class SpilledStringTable {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cds-strings-'));
  private readonly fd = openSync(join(this.dir, 'strings'), 'w+');
  // offsets[i] .. offsets[i + 1] is string i in the file (as written, plus the pending buffer).
  private offsets = new Float64Array(1 << 16);
  private count = 0;
  private written = 0;
  private pending = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private pendingLength = 0;
  private readonly window = Buffer.allocUnsafe(READ_WINDOW_BYTES);
  private windowStart = 0;
  private windowEnd = 0;
  private readonly hot = new Map<number, string>();
  private closed = false;

  get length(): number {
    return this.count;
  }

  push(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.pendingLength + bytes > this.pending.length) this.flush();
    if (bytes > this.pending.length) {
      writeSync(this.fd, Buffer.from(text), 0, bytes, this.written);
      this.written += bytes;
    } else {
      this.pending.write(text, this.pendingLength);
      this.pendingLength += bytes;
    }
    if (this.count + 1 >= this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.count++;
    this.offsets[this.count] = this.offsets[this.count - 1]! + bytes;
  }

  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const start = this.offsets[index]!;
    const end = this.offsets[index + 1]!;
    if (start >= this.written) return this.pending.toString('utf8', start - this.written, end - this.written);
    if (start >= this.windowStart && end <= this.windowEnd) {
      return this.window.toString('utf8', start - this.windowStart, end - this.windowStart);
    }
    const cached = this.hot.get(index);
    if (cached !== undefined) return cached;
    const text = this.read(start, end);
    if (this.hot.size >= HOT_CACHE_ENTRIES) this.hot.clear();
    this.hot.set(index, text);
    return text;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    writeSync(this.fd, this.pending, 0, this.pendingLength, this.written);
    this.written += this.pendingLength;
    this.pendingLength = 0;
  }

  /** Moves the window to start at `start` when the string fits in it; a longer one is read alone. */
  private read(start: number, end: number): string {
    if (end > this.written) this.flush();
    if (end - start > READ_WINDOW_BYTES) {
      const bytes = Buffer.allocUnsafe(end - start);
      readSync(this.fd, bytes, 0, bytes.length, start);
      return bytes.toString('utf8');
    }
    const length = readSync(this.fd, this.window, 0, READ_WINDOW_BYTES, start);
    this.windowStart = start;
    this.windowEnd = start + length;
    return this.window.toString('utf8', 0, end - start);
  }
}
