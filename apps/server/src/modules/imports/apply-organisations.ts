import { foldVietnamese } from '@cds/domain';
import type { ImportRowUndo } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { may } from '../access/policy.ts';
import type { EvaluatedRecord } from './apply-chunk.ts';
import { textArray, type Tx } from './chunk-lookups.ts';
import type { Final } from './row-outcomes.ts';
import type { RowOrganisation } from './row-evaluation.ts';

interface KnownOrganisation {
  id: number;
  unitCode: string;
  name: string;
  nameFolded: string;
  taxCode: string | null;
  address: string | null;
}

/**
 * The rows of an organisation list. Matching: the tax code first (it names one taxpayer); a
 * registered body with the same tax code but another name waits for a person, as does a body of
 * the same name in the same unit without a tax code match: a likely match is never merged
 * silently. Unmatched bodies are created in the actor's area; a matched one only gains the
 * address it lacked, recorded on the row so a rollback can take it back.
 */
export async function applyOrganisations(
  tx: Tx,
  actor: Actor,
  rows: readonly { record: EvaluatedRecord; organisation: RowOrganisation }[],
): Promise<Map<number, Final>> {
  const province = actor.provinceCode;
  const finals = new Map<number, Final>();
  const taxCodes = [...new Set(rows.flatMap((r) => (r.organisation.taxCode ? [r.organisation.taxCode] : [])))];
  const names = [...new Set(rows.map((r) => foldVietnamese(r.organisation.name)))];
  const { rows: found } = await tx.execute<{ id: number; unit_code: string; name: string; name_folded: string; tax_code: string | null; address: string | null }>(sql`
    SELECT id, unit_code, name, name_folded, tax_code, address FROM organisations
    WHERE province_code = ${province}
      AND (tax_code IN (SELECT unnest(${textArray(taxCodes)}::text[])) OR name_folded IN (SELECT unnest(${textArray(names)}::text[])))`);
  const byTax = new Map<string, KnownOrganisation>();
  const byName = new Map<string, KnownOrganisation[]>();
  const remember = (o: KnownOrganisation) => {
    if (o.taxCode) byTax.set(o.taxCode, o);
    byName.set(o.nameFolded, [...(byName.get(o.nameFolded) ?? []), o]);
  };
  for (const o of found) remember({ id: Number(o.id), unitCode: o.unit_code, name: o.name, nameFolded: o.name_folded, taxCode: o.tax_code, address: o.address });

  const review = (reasons: string[], unitCode: string, candidates: number[]): Final => ({ status: 'review', reasons, residentId: null, unitCode, candidates, keepCells: true });
  const rejected = (reasons: string[], unitCode: string | null): Final => ({ status: 'rejected', reasons, residentId: null, unitCode, candidates: [], keepCells: true });

  for (const { record, organisation: o } of rows) {
    const folded = foldVietnamese(o.name);
    const decision = record.decision;
    let known: KnownOrganisation | undefined;
    if (decision && 'residentId' in decision) {
      // On an organisation row the decision's id names an organisation (the candidates of the row).
      const [chosen] = (
        await tx.execute<{ id: number; unit_code: string; name: string; name_folded: string; tax_code: string | null; address: string | null }>(sql`
          SELECT id, unit_code, name, name_folded, tax_code, address FROM organisations WHERE province_code = ${province} AND id = ${decision.residentId}`)
      ).rows;
      if (chosen) known = { id: Number(chosen.id), unitCode: chosen.unit_code, name: chosen.name, nameFolded: chosen.name_folded, taxCode: chosen.tax_code, address: chosen.address };
    }
    const newBody = decision !== undefined && 'newPerson' in decision;
    if (!known && o.taxCode) {
      const sameTax = byTax.get(o.taxCode);
      if (sameTax && sameTax.nameFolded !== folded && !newBody) {
        finals.set(record.record, review([`Mã số thuế ${o.taxCode} đã có trong sổ với tên "${sameTax.name}"; cần cán bộ xác nhận là cùng tổ chức`], sameTax.unitCode, [sameTax.id]));
        continue;
      }
      if (sameTax && sameTax.nameFolded !== folded) {
        // A person said it is another body, but a tax code names one taxpayer: it cannot be registered twice.
        finals.set(record.record, rejected([`Mã số thuế ${o.taxCode} đã thuộc tổ chức "${sameTax.name}"; không thể đăng ký tổ chức khác cùng mã số thuế`], o.unitCode));
        continue;
      }
      known = sameTax;
    }
    if (!known && !newBody) {
      const sameName = (byName.get(folded) ?? []).filter((c) => c.unitCode === o.unitCode && (!o.taxCode || c.taxCode !== o.taxCode));
      if (sameName.length > 0) {
        finals.set(
          record.record,
          review([`Có thể trùng với ${sameName.length} tổ chức đã có (cùng tên, cùng phường/xã${o.taxCode ? ', khác hoặc chưa có mã số thuế' : ''}); cần cán bộ xác nhận`], o.unitCode, sameName.map((c) => c.id)),
        );
        continue;
      }
    }
    if (known) {
      if (!may.workInUnit(actor, known.unitCode)) {
        finals.set(record.record, rejected([OUT_OF_SCOPE_ORGANISATION], known.unitCode));
        continue;
      }
      // Only what the registry lacks is filled in; a value it holds is never overwritten by a list.
      const fill: { address?: string; tax_code?: string } = {};
      if (!known.address && o.address) fill.address = o.address;
      if (!known.taxCode && o.taxCode && !byTax.has(o.taxCode)) fill.tax_code = o.taxCode;
      let undo: ImportRowUndo | null = null;
      if (fill.address !== undefined || fill.tax_code !== undefined) {
        await tx.execute(sql`
          UPDATE organisations SET address = COALESCE(${fill.address ?? null}, address), tax_code = COALESCE(${fill.tax_code ?? null}, tax_code), updated_at = now()
          WHERE province_code = ${province} AND id = ${known.id}`);
        const before = Object.fromEntries(Object.keys(fill).map((k) => [k, null]));
        undo = { table: 'organisations', id: known.id, before, after: fill };
        if (fill.address) known.address = fill.address;
        if (fill.tax_code) {
          known.taxCode = fill.tax_code;
          byTax.set(fill.tax_code, known);
        }
      }
      finals.set(record.record, { status: 'applied', reasons: [], residentId: null, unitCode: known.unitCode, candidates: [], keepCells: false, organisationId: known.id, undo });
      continue;
    }
    if (!may.workInUnit(actor, o.unitCode)) {
      finals.set(record.record, rejected([OUT_OF_SCOPE_ORGANISATION], o.unitCode));
      continue;
    }
    const { rows: inserted } = await tx.execute<{ id: number }>(sql`
      INSERT INTO organisations (province_code, unit_code, name, name_folded, kind, tax_code, address)
      VALUES (${province}, ${o.unitCode}, ${o.name}, ${folded}, ${o.kind}, ${o.taxCode}, ${o.address}) RETURNING id`);
    const id = Number(inserted[0]?.id);
    // Later rows of the chunk with the same tax code or name find the body just created.
    remember({ id, unitCode: o.unitCode, name: o.name, nameFolded: folded, taxCode: o.taxCode, address: o.address });
    finals.set(record.record, { status: 'applied', reasons: [], residentId: null, unitCode: o.unitCode, candidates: [], keepCells: false, organisationId: id, createdRecord: true });
  }
  return finals;
}

const OUT_OF_SCOPE_ORGANISATION = 'Tổ chức thuộc đơn vị ngoài phạm vi của tài khoản nhập';
