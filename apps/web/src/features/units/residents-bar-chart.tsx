import { useId } from 'react';
import type { UnitSummary } from '@cds/contract';
import { useElementWidth } from '../../shared/components/use-element-width';
import { useI18n } from '../../shared/i18n/i18n-context';

const ROW = 28;
const BAR = 18;
const TOP_N = 15;

/** Residents in the registry per unit, the largest first: a plain SVG, the table below holds every figure. */
export function ResidentsBarChart({ units }: { units: readonly UnitSummary[] }) {
  const { t, number } = useI18n();
  const titleId = useId();
  const { ref, width } = useElementWidth<HTMLDivElement>();

  // Units with nobody in the registry yet would only add empty rows.
  const rows = units
    .filter((u) => u.residents > 0)
    .sort((a, b) => b.residents - a.residents || a.name.localeCompare(b.name, 'vi'))
    .slice(0, TOP_N);
  const max = Math.max(1, ...rows.map((u) => u.residents));
  const labelWidth = Math.min(170, Math.round(width * 0.36));
  const valueWidth = 64;
  const barSpace = Math.max(40, width - labelWidth - valueWidth - 12);
  const height = rows.length * ROW + 4;

  return (
    <figure className="card chart-card">
      <figcaption id={titleId} className="card-title">
        {t('units.chartTitle', { n: rows.length })}
      </figcaption>
      <div ref={ref} className="chart-box">
        {rows.length === 0 ? (
          <p className="muted small">{t('units.chartEmpty')}</p>
        ) : (
          <svg width={width} height={height} role="img" aria-labelledby={titleId} className="bar-chart">
            {rows.map((u, i) => {
              const y = i * ROW + 2;
              const w = Math.max(u.residents > 0 ? 2 : 0, Math.round((u.residents / max) * barSpace));
              return (
                <g key={u.code}>
                  <title>{`${u.fullName}: ${number(u.residents)}`}</title>
                  <text x={labelWidth - 8} y={y + BAR / 2} dy="0.35em" textAnchor="end" className="bar-label">
                    {u.name.length > 22 ? `${u.name.slice(0, 21)}…` : u.name}
                  </text>
                  <rect x={labelWidth} y={y} width={w} height={BAR} rx={4} className="bar" />
                  <text x={labelWidth + w + 6} y={y + BAR / 2} dy="0.35em" className="bar-value">
                    {number(u.residents)}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </figure>
  );
}
