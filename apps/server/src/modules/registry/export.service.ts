import type { Writable } from 'node:stream';
import type { UnitDetail } from '@cds/contract';
import { households, neighbourhoods, residents } from '@cds/db';
import { ELEMENTS, type Element } from '@cds/domain';
import ExcelJS from 'exceljs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { residentScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getUnit } from '../units/units.service.ts';
import { currentFacts } from './facts.queries.ts';
import { presentResidentDetail } from './presenter.ts';

const CHUNK = 2000;

const RELATION_VI: Record<string, string> = {
  head: 'Chủ hộ', spouse: 'Vợ/chồng', child: 'Con', parent: 'Cha/mẹ', grandchild: 'Cháu', sibling: 'Anh/chị/em', relative: 'Họ hàng', other: 'Khác',
};
const STATUS_VI: Record<string, string> = { living: 'Đang cư trú', moved_away: 'Đã chuyển đi', deceased: 'Đã mất' };
const STATE_VI: Record<string, string> = { met: 'Đạt', partial: 'Đạt một phần', missing: 'Chưa đạt', unknown: 'Chưa rõ', not_applicable: 'Không áp dụng' };
const ELEMENT_VI: Record<Element, string> = { identity: 'Danh tính số', device: 'Phương tiện số', accounts: 'Tài khoản số', skills: 'Kỹ năng số' };

/**
 * Streams a unit's residents as an XLSX workbook, masked as on screen. The ids are selected and
 * written to the audit log first: the file is only produced once its reading is on record.
 */
export interface PreparedExport {
  unit: UnitDetail;
  ids: number[];
}

export async function prepareUnitExport(deps: AppDeps, actor: Actor, unitCode: string): Promise<PreparedExport> {
  requireThat(may.editRegistry(actor));
  const unit = await getUnit(deps, actor, unitCode);
  const idRows = await deps.db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.unitCode, unitCode), residentScope(actor)))
    .orderBy(asc(residents.nameFolded), asc(residents.id));
  const ids = idRows.map((r) => r.id);
  await recordAudit(deps.db, actor, {
    action: 'export',
    recordType: 'resident',
    recordIds: ids,
    unitCodes: [unitCode],
    fields: ['fullName', 'birthDate', 'sex', 'citizenId(masked)', 'phone(masked)', 'relationToHead', 'address', 'status', 'elements'],
  });
  return { unit, ids };
}

export async function writeUnitExport(deps: AppDeps, actor: Actor, { unit, ids }: PreparedExport, output: Writable): Promise<void> {
  const unitCode = unit.code;

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const sheet = workbook.addWorksheet(unit.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Họ và tên', width: 28 },
    { header: 'Ngày sinh', width: 12 },
    { header: 'Giới tính', width: 9 },
    { header: 'Số định danh (che)', width: 18 },
    { header: 'Điện thoại (che)', width: 15 },
    { header: 'Quan hệ với chủ hộ', width: 14 },
    { header: 'Địa chỉ hộ', width: 40 },
    { header: 'Khu phố/ấp', width: 14 },
    { header: 'Tình trạng', width: 13 },
    { header: 'Người lớn đủ điều kiện', width: 12 },
    ...ELEMENTS.map((element) => ({ header: ELEMENT_VI[element], width: 14 })),
  ];
  sheet.getRow(1).font = { bold: true };
  const today = deps.today();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const rows = await deps.db
      .select({ resident: residents, address: households.address, neighbourhood: neighbourhoods.name })
      .from(residents)
      .innerJoin(households, and(eq(households.provinceCode, residents.provinceCode), eq(households.id, residents.householdId)))
      .leftJoin(neighbourhoods, eq(neighbourhoods.id, households.neighbourhoodId))
      .where(and(inArray(residents.id, chunk), eq(residents.unitCode, unitCode)))
      .orderBy(asc(residents.nameFolded), asc(residents.id));
    const facts = await currentFacts(deps.db, unit.provinceCode, chunk);
    for (const row of rows) {
      const view = presentResidentDetail(row.resident, facts.get(row.resident.id), actor, deps.vault, today);
      sheet
        .addRow([
          view.fullName,
          view.birthDate ?? String(view.birthYear),
          view.sex === 'male' ? 'Nam' : view.sex === 'female' ? 'Nữ' : '',
          view.citizenId ?? '',
          view.phone ?? '',
          RELATION_VI[view.relationToHead] ?? view.relationToHead,
          row.address,
          row.neighbourhood ?? '',
          STATUS_VI[view.status] ?? view.status,
          view.eligible ? 'Có' : 'Không',
          ...view.elements.map((e) => STATE_VI[e.state] ?? e.state),
        ])
        .commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}

