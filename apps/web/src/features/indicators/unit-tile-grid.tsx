import { useState } from 'react';
import { Link } from 'react-router';
import type { Ranking, RankingRow } from '@cds/contract';
import { useI18n } from '../../shared/i18n/i18n-context';
import { STATUSES, STATUS_LABEL, formatFigure } from './figure-format';
import { FORMER_DISTRICTS, FORMER_DISTRICT_OF } from './former-districts';

type ColourBy = 'status' | 'value';
const SHADES = 5;

/**
 * 0–4: how far along a unit is, for colouring by value. Shares are read on 0–100 (reversed for
 * "at most" targets, where less is better); counts against the target.
 */
function shadeOf(row: RankingRow, ranking: Ranking): number | null {
  if (row.value === null) return null;
  const { unit, direction } = ranking.indicator;
  let progress: number;
  if (unit === 'percent') progress = direction === 'at_most' ? 100 - row.value : row.value;
  else if (direction === 'at_most') progress = row.value <= row.target ? 100 : (100 * row.target) / row.value;
  else progress = row.target === 0 ? 100 : (100 * row.value) / row.target;
  return Math.max(0, Math.min(SHADES - 1, Math.floor((progress / 100) * SHADES)));
}

type Group = { key: string; title: string; rows: RankingRow[] };

/**
 * Groups by the former district (see former-districts.ts for where that comes from and why a
 * tile grid stands in for a map). A unit the table does not know, e.g. in another province's
 * data, goes under "other", in name order.
 */
function groupByDistrict(rows: readonly RankingRow[], otherTitle: string): Group[] {
  const groups = new Map<number, RankingRow[]>();
  const other: RankingRow[] = [];
  for (const row of rows) {
    const index = FORMER_DISTRICT_OF[row.code];
    if (index === undefined) other.push(row);
    else groups.set(index, [...(groups.get(index) ?? []), row]);
  }
  const byName = (a: RankingRow, b: RankingRow) => a.name.localeCompare(b.name, 'vi', { numeric: true });
  const provinceOrder = [...new Set(FORMER_DISTRICTS.map(([, province]) => province))];
  // Inner districts first, as the city lists them: Quận 1…12 and the named quận, then cities, towns, rural districts.
  const kindOrder = (name: string) => ['Quận', 'Thành phố', 'Thị xã', 'Huyện'].findIndex((kind) => name.startsWith(`${kind} `));
  const ordered: Group[] = [...groups.entries()]
    .sort(([a], [b]) => {
      const [da, pa] = FORMER_DISTRICTS[a] ?? ['', ''];
      const [db, pb] = FORMER_DISTRICTS[b] ?? ['', ''];
      return provinceOrder.indexOf(pa) - provinceOrder.indexOf(pb) || kindOrder(da) - kindOrder(db) || da.localeCompare(db, 'vi', { numeric: true });
    })
    .map(([index, list]) => ({ key: String(index), title: FORMER_DISTRICTS[index]?.[0] ?? '', rows: list.sort(byName) }));
  if (other.length > 0) ordered.push({ key: 'other', title: otherTitle, rows: other.sort(byName) });
  return ordered;
}

export function UnitTileGrid({ ranking, linkFor }: { ranking: Ranking; linkFor: (row: RankingRow) => string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [colourBy, setColourBy] = useState<ColourBy>('status');
  const groups = groupByDistrict(ranking.rows, t('tiles.other'));

  return (
    <div className="tile-grid-wrap">
      <div className="toolbar no-print">
        <fieldset className="segmented">
          <legend className="sr-only">{t('tiles.colourBy')}</legend>
          <span className="muted small" aria-hidden="true">
            {t('tiles.colourBy')}
          </span>
          {(['status', 'value'] as const).map((mode) => (
            <button key={mode} type="button" className="segmented-button" aria-pressed={colourBy === mode} onClick={() => setColourBy(mode)}>
              {t(mode === 'status' ? 'tiles.byStatus' : 'tiles.byValue')}
            </button>
          ))}
        </fieldset>
      </div>
      <ul className="tile-legend" aria-label={t('tiles.legend')}>
        {colourBy === 'status'
          ? STATUSES.map((s) => (
              <li key={s}>
                <span className={`legend-swatch tile-status-${s}`} aria-hidden="true" />
                {t(STATUS_LABEL[s])}
              </li>
            ))
          : [
              ...Array.from({ length: SHADES }, (_, i) => (
                <li key={i}>
                  <span className={`legend-swatch tile-shade-${i}`} aria-hidden="true" />
                  {t('tiles.shadeRange', { from: (i * 100) / SHADES, to: ((i + 1) * 100) / SHADES })}
                </li>
              )),
              <li key="none">
                <span className="legend-swatch tile-status-no_data" aria-hidden="true" />
                {t('target.status.no_data')}
              </li>,
            ]}
      </ul>
      <p className="muted small">{t(ranking.indicator.direction === 'at_most' ? 'tiles.shadeNoteAtMost' : 'tiles.shadeNote')}</p>
      <div className="tile-groups">
        {groups.map((g) => (
          <section key={g.key} className="tile-group" aria-label={g.title}>
            <h3 className="tile-group-title">{g.title}</h3>
            <ul className="tiles">
              {g.rows.map((row) => {
                const shade = shadeOf(row, ranking);
                const tone = colourBy === 'status' || shade === null ? `tile-status-${colourBy === 'status' ? row.status : 'no_data'}` : `tile-shade-${shade}`;
                const to = linkFor(row);
                const title = `${row.name}: ${formatFigure(i18n, row.value, ranking.indicator.unit)} · ${t(STATUS_LABEL[row.status])}`;
                const body = (
                  <>
                    <span className="tile-name">{row.name.replace(/^(Phường|Xã|Đặc khu) /, '')}</span>
                    <span className="tile-value">{formatFigure(i18n, row.value, ranking.indicator.unit)}</span>
                  </>
                );
                return (
                  <li key={row.code} className={`tile ${tone}`} title={title}>
                    {to ? (
                      <Link to={to} aria-label={title}>
                        {body}
                      </Link>
                    ) : (
                      <span aria-label={title}>{body}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
