import { AppError } from './errors.ts';

// Keyset cursors: the sort key of the last row sent, base64url JSON. Opaque to clients, checked on the way in.

type Part = 'number' | 'string';
type Decoded<T extends readonly Part[]> = { [K in keyof T]: T[K] extends 'number' ? number : string };

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<const T extends readonly Part[]>(cursor: string | undefined, shape: T): Decoded<T> | null {
  if (!cursor) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  const ok =
    Array.isArray(values) &&
    values.length === shape.length &&
    values.every((v, i) => (shape[i] === 'number' ? Number.isSafeInteger(v) : typeof v === 'string'));
  if (!ok) throw new AppError('VALIDATION_FAILED', [{ path: 'querystring.cursor', message: 'Con trỏ trang không hợp lệ' }]);
  return values as Decoded<T>;
}
