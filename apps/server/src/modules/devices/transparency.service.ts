import type { Writable } from 'node:stream';
import type { AllocationView, DeviceSupportPublic, PledgeView, SponsorPortal } from '@cds/contract';
import { deviceAllocations, devicePledges, sponsors } from '@cds/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { AppDeps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentAllocation, selectAllocations } from './allocation-view.ts';
import { presentPledge, sponsorOfActor } from './sponsors.service.ts';
import { listStock } from './sponsors.service.ts';

// What the public, sponsors and officials see of the programme. The public page and the sponsor
// portal are counts: no query here that serves them selects a household, a resident or an IMEI,
// except the first name and unit of recipients who agreed to be shown to their sponsor.

type Counts = { pledged: number; received: number; allocated: number; handedOver: number };
const num = (v: unknown) => Number(v ?? 0);

/** Counts by unit and by sponsor, for GET /api/public/device-support (no sign-in). */
export async function publicDeviceSupport(deps: AppDeps): Promise<DeviceSupportPublic> {
  // The public page is the city's own: one deployment may hold other provinces' rows (a national
  // registry), which are not this city's to publish.
  const province = deps.config.provinceCode;
  const { rows: byUnit } = await deps.db.execute<{ unit_code: string; unit_name: string; pledged: number; received: number; allocated: number; handed_over: number }>(sql`
    WITH pledged AS (SELECT delivery_unit_code AS unit_code, sum(quantity) AS n FROM device_pledges WHERE status = 'open' AND delivery_unit_code IS NOT NULL GROUP BY 1),
    received AS (SELECT unit_code, sum(received) AS n FROM device_stock GROUP BY 1),
    given AS (SELECT unit_code, count(*) FILTER (WHERE status <> 'cancelled') AS allocated, count(*) FILTER (WHERE status = 'handed_over') AS handed_over
              FROM device_allocations GROUP BY 1),
    touched AS (SELECT unit_code FROM pledged UNION SELECT unit_code FROM received UNION SELECT unit_code FROM given)
    SELECT u.code AS unit_code, u.name AS unit_name, COALESCE(p.n, 0)::int AS pledged, COALESCE(r.n, 0)::int AS received,
      COALESCE(g.allocated, 0)::int AS allocated, COALESCE(g.handed_over, 0)::int AS handed_over
    FROM touched t JOIN units u ON u.code = t.unit_code AND u.province_code = ${province}
    LEFT JOIN pledged p ON p.unit_code = t.unit_code LEFT JOIN received r ON r.unit_code = t.unit_code LEFT JOIN given g ON g.unit_code = t.unit_code
    ORDER BY u.code`);
  const { rows: bySponsor } = await deps.db.execute<{ id: number; name: string; kind: 'business' | 'union' | 'organisation' | 'individual'; show_publicly: boolean; pledged: number; received: number; allocated: number; handed_over: number }>(sql`
    SELECT s.id, s.name, s.kind, s.show_publicly,
      COALESCE((SELECT sum(p.quantity) FROM device_pledges p WHERE p.sponsor_id = s.id AND p.status = 'open'), 0)::int AS pledged,
      COALESCE((SELECT sum(p.received) FROM device_pledges p WHERE p.sponsor_id = s.id), 0)::int AS received,
      (SELECT count(*) FROM device_allocations a JOIN device_stock st ON st.id = a.stock_id JOIN device_pledges p ON p.id = st.pledge_id
        WHERE p.sponsor_id = s.id AND a.status <> 'cancelled')::int AS allocated,
      (SELECT count(*) FROM device_allocations a JOIN device_stock st ON st.id = a.stock_id JOIN device_pledges p ON p.id = st.pledge_id
        WHERE p.sponsor_id = s.id AND a.status = 'handed_over')::int AS handed_over
    FROM sponsors s
    WHERE s.province_code = ${province} AND EXISTS (SELECT 1 FROM device_pledges p WHERE p.sponsor_id = s.id)
    ORDER BY s.id`);
  const sponsorsOut = bySponsor.map((s) => ({
    sponsorId: num(s.id),
    // An individual who did not agree to be named is thanked without a name.
    name: s.show_publicly ? s.name : 'Nhà hảo tâm',
    kind: s.kind,
    pledged: num(s.pledged),
    received: num(s.received),
    allocated: num(s.allocated),
    handedOver: num(s.handed_over),
  }));
  const totals = sponsorsOut.reduce<Counts>(
    (sum, s) => ({ pledged: sum.pledged + s.pledged, received: sum.received + s.received, allocated: sum.allocated + s.allocated, handedOver: sum.handedOver + s.handedOver }),
    { pledged: 0, received: 0, allocated: 0, handedOver: 0 },
  );
  return {
    asOf: new Date().toISOString(),
    totals,
    byUnit: byUnit.map((u) => ({ unitCode: u.unit_code, unitName: u.unit_name, pledged: num(u.pledged), received: num(u.received), allocated: num(u.allocated), handedOver: num(u.handed_over) })),
    bySponsor: sponsorsOut,
  };
}

/** Vietnamese names put the given name last: the first name a sponsor may see is the last word. */
const givenName = (fullName: string) => fullName.trim().split(/\s+/).at(-1) ?? '';

/**
 * A sponsor's own pledges and where their devices went, by unit and day. Recipients appear only
 * when they agreed at the handover (consent_to_sponsor), and then only first name and unit.
 */
export async function sponsorPortal(deps: AppDeps, actor: Actor): Promise<SponsorPortal> {
  requireThat(may.readSponsorPortal(actor));
  const sponsor = await sponsorOfActor(deps, actor);
  const pledgeRows = await deps.db
    .select({
      pledge: devicePledges,
      sponsorName: sponsors.name,
      allocated: sql<number>`(SELECT count(*)::int FROM device_allocations a JOIN device_stock s ON s.id = a.stock_id WHERE s.pledge_id = ${devicePledges.id} AND a.status <> 'cancelled')`,
      handedOver: sql<number>`(SELECT count(*)::int FROM device_allocations a JOIN device_stock s ON s.id = a.stock_id WHERE s.pledge_id = ${devicePledges.id} AND a.status = 'handed_over')`,
    })
    .from(devicePledges)
    .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
    .where(eq(devicePledges.sponsorId, sponsor.id))
    .orderBy(desc(devicePledges.pledgedAt), desc(devicePledges.id));
  const ids = pledgeRows.map((r) => r.pledge.id);
  const { rows: unitRows } = ids.length === 0 ? { rows: [] } : await deps.db.execute<{
    pledge_id: number; unit_code: string; unit_name: string; received: number; allocated: number; handed_over: number; first_on: string | null; last_on: string | null; in_use: number;
  }>(sql`
    SELECT s.pledge_id, s.unit_code, u.name AS unit_name, s.received,
      count(a.id) FILTER (WHERE a.status <> 'cancelled')::int AS allocated,
      count(a.id) FILTER (WHERE a.status = 'handed_over')::int AS handed_over,
      min(a.handed_over_on)::text AS first_on, max(a.handed_over_on)::text AS last_on,
      count(a.id) FILTER (WHERE a.follow_up_in_use)::int AS in_use
    FROM device_stock s JOIN units u ON u.code = s.unit_code
    LEFT JOIN device_allocations a ON a.stock_id = s.id
    WHERE s.pledge_id = ANY(${sql.param(ids)}::bigint[])
    GROUP BY s.pledge_id, s.unit_code, u.name, s.received
    ORDER BY s.unit_code`);
  const { rows: consented } = ids.length === 0 ? { rows: [] } : await deps.db.execute<{ pledge_id: number; full_name: string; unit_name: string; handed_over_on: string; household_id: number; unit_code: string }>(sql`
    SELECT s.pledge_id, r.full_name, u.name AS unit_name, a.handed_over_on::text, a.household_id, a.unit_code
    FROM device_allocations a
    JOIN device_stock s ON s.id = a.stock_id
    JOIN units u ON u.code = a.unit_code
    JOIN residents r ON r.province_code = a.province_code AND r.id = a.resident_id
    WHERE s.pledge_id = ANY(${sql.param(ids)}::bigint[]) AND a.status = 'handed_over' AND a.consent_to_sponsor
    ORDER BY a.handed_over_on, a.id`);
  if (consented.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'read',
      recordType: 'household',
      recordIds: consented.map((c) => Number(c.household_id)),
      unitCodes: consented.map((c) => c.unit_code),
      fields: ['recipient.firstName (consented)'],
    });
  }
  return {
    sponsor: { id: sponsor.id, name: sponsor.name, kind: sponsor.kind },
    pledges: pledgeRows.map((r) => ({
      ...presentPledge(r),
      units: unitRows
        .filter((u) => Number(u.pledge_id) === r.pledge.id)
        .map((u) => ({
          unitCode: u.unit_code,
          unitName: u.unit_name,
          received: num(u.received),
          allocated: num(u.allocated),
          handedOver: num(u.handed_over),
          firstHandoverOn: u.first_on,
          lastHandoverOn: u.last_on,
          inUseAtFollowUp: num(u.in_use),
        })),
      consentedRecipients: consented
        .filter((c) => Number(c.pledge_id) === r.pledge.id)
        .map((c) => ({ firstName: givenName(c.full_name), unitName: c.unit_name, handedOverOn: c.handed_over_on })),
    })),
  };
}

const STATUS_VI: Record<AllocationView['status'], string> = {
  allocated: 'Đã phân bổ',
  scheduled: 'Đã hẹn bàn giao',
  handed_over: 'Đã bàn giao',
  cancelled: 'Đã huỷ',
};

/** A unit's device report for its officials: stock, and every allocation with its household. */
export async function prepareUnitDeviceReport(deps: AppDeps, actor: Actor, unit: string | undefined) {
  requireThat(may.readDeviceReports(actor));
  if (!unit && actor.role !== 'unit_official') throw invalid('querystring.unit', 'Chọn đơn vị để xuất báo cáo');
  const unitCode = unit ?? actor.unitCodes[0];
  if (!unitCode) throw invalid('querystring.unit', 'Chọn đơn vị để xuất báo cáo');
  const stock = await listStock(deps, actor, { unit: unitCode });
  const rows = await selectAllocations(deps.db, and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.unitCode, unitCode), householdScope(actor)))
    .orderBy(desc(deviceAllocations.id))
    .limit(100_000);
  const allocations = rows.map(presentAllocation);
  await recordAudit(deps.db, actor, {
    action: 'export',
    recordType: 'household',
    recordIds: allocations.map((a) => a.householdId),
    unitCodes: [unitCode],
    fields: ['device_allocations', 'address', 'recipient.fullName'],
  });
  return { unitCode, stock, allocations, asOf: deps.today() };
}

export async function writeUnitDeviceReport(report: Awaited<ReturnType<typeof prepareUnitDeviceReport>>, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const stock = workbook.addWorksheet('Kho thiết bị');
  stock.addRow([`Thiết bị tài trợ — đơn vị ${report.unitCode} — ngày ${report.asOf}`]).font = { bold: true, size: 13 };
  stock.columns = [{ width: 10 }, { width: 36 }, { width: 28 }, { width: 8 }, { width: 10 }, { width: 10 }, { width: 14 }];
  const head = stock.addRow(['Mã lô', 'Nhà tài trợ', 'Mẫu máy', 'Mạng', 'Đã nhận', 'Còn lại', 'Nhận gần nhất']);
  head.font = { bold: true };
  for (const s of report.stock) stock.addRow([s.id, s.sponsorName, s.model ?? '(trợ giá)', s.network.toUpperCase(), s.received, s.available, s.lastReceivedOn ?? '']).commit();
  stock.commit();
  const sheet = workbook.addWorksheet('Phân bổ và bàn giao', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [{ width: 8 }, { width: 10 }, { width: 40 }, { width: 28 }, { width: 30 }, { width: 8 }, { width: 40 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 18 }, { width: 12 }, { width: 12 }];
  const h = sheet.addRow(['Mã', 'Mã hộ', 'Địa chỉ', 'Người nhận', 'Nhà tài trợ', 'Điểm', 'Lý do ưu tiên', 'Tình trạng', 'Ngày hẹn', 'Ngày giao', 'IMEI (4 số cuối)', 'Hạn kiểm tra', 'Còn dùng']);
  h.font = { bold: true };
  h.commit();
  for (const a of report.allocations) {
    sheet
      .addRow([
        a.id,
        a.householdId,
        a.address,
        a.recipient?.fullName ?? '',
        a.sponsorName,
        a.score,
        a.reasons.map((r) => `${r.label} (+${r.points})`).join('; '),
        STATUS_VI[a.status],
        a.scheduledFor ?? '',
        a.handedOverOn ?? '',
        a.imeiMasked ?? '',
        a.followUpDue ?? '',
        a.followUp ? (a.followUp.inUse ? 'Có' : 'Không') : '',
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** A sponsor's own report: their pledges and, per unit, what became of the devices. */
export async function writeSponsorReport(portal: SponsorPortal, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const sheet = workbook.addWorksheet('Cam kết tài trợ');
  sheet.addRow([`Báo cáo tài trợ thiết bị — ${portal.sponsor.name}`]).font = { bold: true, size: 13 };
  sheet.columns = [{ width: 10 }, { width: 28 }, { width: 8 }, { width: 10 }, { width: 30 }, { width: 10 }, { width: 11 }, { width: 11 }, { width: 14 }, { width: 14 }, { width: 14 }];
  const head = sheet.addRow(['Mã cam kết', 'Mẫu máy / trợ giá', 'Mạng', 'Số lượng', 'Đơn vị nhận', 'Đã nhận', 'Đã phân bổ', 'Đã bàn giao', 'Bàn giao đầu', 'Bàn giao cuối', 'Còn dùng sau 1 tháng']);
  head.font = { bold: true };
  const what = (p: PledgeView) => (p.kind === 'device' ? (p.model ?? '') : `Trợ giá ${p.subsidyPerDeviceVnd?.toLocaleString('vi-VN')} đ/máy`);
  for (const p of portal.pledges) {
    sheet.addRow([p.id, what(p), p.network.toUpperCase(), p.quantity, '(tổng)', p.received, p.allocated, p.handedOver, '', '', '']).font = { bold: true };
    for (const u of p.units) {
      sheet.addRow([p.id, '', '', '', u.unitName, u.received, u.allocated, u.handedOver, u.firstHandoverOn ?? '', u.lastHandoverOn ?? '', u.inUseAtFollowUp]).commit();
    }
  }
  sheet.commit();
  const thanks = workbook.addWorksheet('Người nhận đồng ý công khai');
  thanks.columns = [{ width: 10 }, { width: 20 }, { width: 30 }, { width: 14 }];
  const th = thanks.addRow(['Mã cam kết', 'Tên', 'Đơn vị', 'Ngày nhận']);
  th.font = { bold: true };
  for (const p of portal.pledges) for (const c of p.consentedRecipients) thanks.addRow([p.id, c.firstName, c.unitName, c.handedOverOn]).commit();
  thanks.commit();
  await workbook.commit();
}
