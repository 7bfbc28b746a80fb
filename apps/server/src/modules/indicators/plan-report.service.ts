import type { IndicatorFigure, PlanIndicators, Ranking } from '@cds/contract';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AppDeps } from '../../platform/deps.ts';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { planIndicators } from './plans.service.ts';
import { rankAreas } from './ranking.service.ts';

export const STATUS_VI: Record<IndicatorFigure['status'], string> = {
  met: 'Đạt',
  on_track: 'Đúng tiến độ',
  at_risk: 'Có nguy cơ',
  behind: 'Chậm',
  no_data: 'Chưa có số liệu',
};
const KIND_VI: Record<IndicatorFigure['kind'], string> = { computed: 'Tính từ sổ', reported: 'Đơn vị báo cáo', derived: 'Công thức' };

export interface PlanReport {
  overview: PlanIndicators;
  /** Per indicator: every unit of the city, or every neighbourhood of the unit. */
  rankings: Ranking[];
}

/** Everything a report holds, worked out before any byte is sent so a refusal is still a JSON error. */
export async function preparePlanReport(deps: AppDeps, actor: Actor, planId: string, query: { unit?: string | undefined; asOf?: string | undefined }): Promise<PlanReport> {
  const overview = await planIndicators(deps, actor, planId, query);
  const rankings = await rankAreas(deps, actor, planId, overview.indicators.map((i) => i.id), { unit: query.unit, asOf: overview.asOf });
  await recordAudit(deps.db, actor, { action: 'export', recordType: 'plan_report', unitCodes: query.unit ? [query.unit] : [], detail: { planId, asOf: overview.asOf } });
  return { overview, rankings };
}

const shown = (value: number | null, unit: IndicatorFigure['unit']) => (value === null ? '' : unit === 'percent' ? value / 100 : value);

/** A summary sheet, then one sheet per indicator with a row per unit (or neighbourhood). */
export async function writePlanWorkbook({ overview, rankings }: PlanReport, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const summary = workbook.addWorksheet('Tổng hợp', { views: [{ state: 'frozen', ySplit: 3 }] });
  summary.addRow([`${overview.plan} — ${overview.areaName} — số liệu ngày ${overview.asOf}`]).font = { bold: true, size: 13 };
  summary.addRow([overview.method]).commit();
  summary.columns = [
    { key: 'id', width: 30 },
    { key: 'name', width: 60 },
    { key: 'kind', width: 16 },
    { key: 'deadline', width: 12 },
    { key: 'numerator', width: 12 },
    { key: 'denominator', width: 12 },
    { key: 'value', width: 11 },
    { key: 'target', width: 10 },
    { key: 'status', width: 16 },
    { key: 'projected', width: 14 },
    { key: 'reportedBy', width: 18 },
  ];
  // A city's reported figure is the sum of the units that have an approved report: the count
  // says how much of the city it stands for.
  const header = summary.addRow(['Mã', 'Chỉ tiêu', 'Loại', 'Hạn', 'Tử số', 'Mẫu số', 'Giá trị', 'Chỉ tiêu', 'Tình trạng', 'Dự báo đến hạn', 'Số đơn vị đã báo cáo']);
  header.font = { bold: true };
  header.commit();
  for (const figure of overview.indicators) {
    const row = summary.addRow([
      figure.id,
      figure.name,
      KIND_VI[figure.kind],
      figure.deadline,
      figure.numerator ?? '',
      figure.denominator ?? '',
      shown(figure.value, figure.unit),
      shown(figure.target, figure.unit),
      STATUS_VI[figure.status],
      shown(figure.projected, figure.unit),
      figure.reportedBy ?? '',
    ]);
    if (figure.unit === 'percent') for (const column of [7, 8, 10]) row.getCell(column).numFmt = '0.0%';
    row.commit();
  }
  summary.commit();
  rankings.forEach((ranking, index) => {
    // Sheet names: at most 31 characters, unique, none of : \ / ? * [ ].
    const sheet = workbook.addWorksheet(`${index + 1}. ${ranking.indicator.id}`.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([ranking.indicator.name]).font = { bold: true };
    sheet.columns = [{ width: 12 }, { width: 34 }, { width: 12 }, { width: 12 }, { width: 11 }, { width: 10 }, { width: 16 }, { width: 14 }];
    const head = sheet.addRow([ranking.level === 'units' ? 'Mã đơn vị' : 'Mã khu phố/ấp', 'Tên', 'Tử số', 'Mẫu số', 'Giá trị', 'Chỉ tiêu', 'Tình trạng', 'Dự báo đến hạn']);
    head.font = { bold: true };
    head.commit();
    for (const r of ranking.rows) {
      const row = sheet.addRow([r.code, r.name, r.numerator ?? '', r.denominator ?? '', shown(r.value, ranking.indicator.unit), shown(r.target, ranking.indicator.unit), STATUS_VI[r.status], shown(r.projected, ranking.indicator.unit)]);
      if (ranking.indicator.unit === 'percent') for (const column of [5, 6, 8]) row.getCell(column).numFmt = '0.0%';
      row.commit();
    }
    sheet.commit();
  });
  await workbook.commit();
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One line per area and indicator, the area itself first: for spreadsheets and scripts. */
export function planCsv({ overview, rankings }: PlanReport): string {
  const lines = [['area_code', 'area_name', 'indicator_id', 'indicator_name', 'kind', 'numerator', 'denominator', 'value', 'target', 'status', 'deadline', 'as_of', 'units_reported'].join(',')];
  for (const figure of overview.indicators) {
    lines.push(
      [overview.unit ?? 'city', overview.areaName, figure.id, figure.name, figure.kind, figure.numerator, figure.denominator, figure.value, figure.target, figure.status, figure.deadline, overview.asOf, figure.reportedBy]
        .map(csvCell)
        .join(','),
    );
  }
  for (const ranking of rankings) {
    for (const r of ranking.rows) {
      lines.push(
        [r.code, r.name, ranking.indicator.id, ranking.indicator.name, ranking.indicator.kind, r.numerator, r.denominator, r.value, r.target, r.status, ranking.indicator.deadline, overview.asOf, null]
          .map(csvCell)
          .join(','),
      );
    }
  }
  // A byte-order mark so Excel opens the Vietnamese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
