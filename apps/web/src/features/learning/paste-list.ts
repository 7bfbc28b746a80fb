import type { CompetitionMemberRow } from '@cds/contract';
import { foldVietnamese } from '../../shared/text-fold';

/**
 * A staff list pasted from a spreadsheet (cells separated by tabs) or typed (separated by ";" or
 * ","): full name, phone, unit code, then optionally the agency. A first line that reads like a
 * header ("Họ và tên…", no digits) is left out. Each row keeps its line, so rejected rows can be put back
 * in the box exactly as they were, for fixing.
 */
export function parsePastedList(text: string): { rows: CompetitionMemberRow[]; lines: string[] } {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '');
  const first = lines[0];
  // A header names the columns and has no digits; any person's line has a phone number.
  if (first !== undefined && !/\d/.test(first) && /ten|name/.test(foldVietnamese(first))) lines.shift();
  const rows = lines.map((line) => {
    const separator = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
    const [fullName = '', phone = '', unitCode = '', ...rest] = line.split(separator).map((cell) => cell.trim());
    const agency = rest.join(separator === '\t' ? ' ' : `${separator} `).trim();
    return agency ? { fullName, phone, unitCode, agency } : { fullName, phone, unitCode };
  });
  return { rows, lines };
}
