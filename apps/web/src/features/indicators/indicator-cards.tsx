import { Link } from 'react-router';
import type { IndicatorFigure, PlanIndicators, PlanSummary, TargetStatusName } from '@cds/contract';
import { useI18n } from '../../shared/i18n/i18n-context';
import { STATUSES, STATUS_LABEL, barPosition, barScale, daysLeftText, formatFigure } from './figure-format';

export function StatusBadge({ status }: { status: TargetStatusName }) {
  const { t } = useI18n();
  return <span className={`badge target-badge target-${status}`}>{t(STATUS_LABEL[status])}</span>;
}

/** "≥ 100%" or "≤ 0": the target with the way it must be reached. */
export function TargetText({ figure }: { figure: Pick<IndicatorFigure, 'target' | 'direction' | 'unit'> }) {
  const i18n = useI18n();
  return (
    <>
      {figure.direction === 'at_most' ? '≤ ' : '≥ '}
      {formatFigure(i18n, figure.target, figure.unit)}
    </>
  );
}

/** The figure against its target: a bar to the value, a mark at the target and a faint one at the projection. */
export function ProgressBar({ figure }: { figure: Pick<IndicatorFigure, 'value' | 'target' | 'projected' | 'unit' | 'status' | 'direction'> }) {
  const i18n = useI18n();
  const scale = barScale(figure.unit, figure.value, figure.target, figure.projected);
  const value = barPosition(figure.value, scale);
  const target = barPosition(figure.target, scale);
  const projected = figure.projected === null ? null : barPosition(figure.projected, scale);
  const label = i18n.t('target.barLabel', {
    value: formatFigure(i18n, figure.value, figure.unit),
    target: formatFigure(i18n, figure.target, figure.unit),
  });
  return (
    <div className="target-bar" role="img" aria-label={label} title={label}>
      <div className={`target-bar-fill target-fill-${figure.status}`} style={{ width: `${value}%` }} />
      {projected !== null && <div className="target-bar-projection" style={{ left: `${projected}%` }} />}
      <div className="target-bar-mark" style={{ left: `${target}%` }} />
    </div>
  );
}

/** How many indicators stand in each status: the line a leader reads first. */
export function StatusSummary({ figures }: { figures: readonly Pick<IndicatorFigure, 'status'>[] }) {
  const { t, number } = useI18n();
  const counts = new Map<TargetStatusName, number>();
  for (const f of figures) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  return (
    <ul className="status-summary" aria-label={t('target.summaryLabel')}>
      {STATUSES.map((s) => (
        <li key={s} className={`status-summary-item target-${s}${(counts.get(s) ?? 0) === 0 ? ' is-zero' : ''}`}>
          <span className="status-summary-count">{number(counts.get(s) ?? 0)}</span>
          <span className="status-summary-label">{t(STATUS_LABEL[s])}</span>
        </li>
      ))}
    </ul>
  );
}

export function IndicatorRow({ figure, to }: { figure: IndicatorFigure; to?: string }) {
  const i18n = useI18n();
  const { t, number, date } = i18n;
  return (
    <li className="indicator-row">
      <div className="indicator-row-head">
        {to ? (
          <Link to={to} className="indicator-name">
            {figure.name}
          </Link>
        ) : (
          <span className="indicator-name">{figure.name}</span>
        )}
        <span className="indicator-badges">
          {figure.kind !== 'computed' && <span className="badge badge-muted">{t(figure.kind === 'reported' ? 'target.kind.reported' : 'target.kind.derived')}</span>}
          <StatusBadge status={figure.status} />
        </span>
      </div>
      <div className="indicator-row-figures">
        <span className="indicator-value">{formatFigure(i18n, figure.value, figure.unit)}</span>
        <span className="indicator-target">
          {t('target.target')} <TargetText figure={figure} />
        </span>
        <ProgressBar figure={figure} />
      </div>
      <dl className="indicator-meta">
        {/* A count's figure is its numerator: "1.008 / 1.008" beside it would read as a share. */}
        {figure.unit === 'percent' && figure.numerator !== null && figure.denominator !== null && (
          <div>
            <dt>{t('target.ratio')}</dt>
            <dd>
              {number(figure.numerator)} / {number(figure.denominator)}
            </dd>
          </div>
        )}
        {/* A city's reported figure is only as whole as the reports behind it. */}
        {figure.reportedBy !== null && (
          <div>
            <dt>{t('target.reportedBy')}</dt>
            <dd>{t('target.reportedByUnits', { n: number(figure.reportedBy) })}</dd>
          </div>
        )}
        <div>
          <dt>{t('target.deadline')}</dt>
          <dd>
            {date(figure.deadline)} · <span className={figure.daysLeft < 0 && figure.status !== 'met' ? 'overdue' : undefined}>{daysLeftText(t, number, figure.daysLeft)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('target.projected')}</dt>
          <dd>{figure.projected === null ? t('target.noProjection') : formatFigure(i18n, figure.projected, figure.unit)}</dd>
        </div>
        {figure.lead && (
          <div>
            <dt>{t('target.lead')}</dt>
            <dd>{figure.lead}</dd>
          </div>
        )}
      </dl>
      {figure.note && (
        <details className="indicator-note">
          <summary>{t('target.note')}</summary>
          <p>{figure.note}</p>
        </details>
      )}
    </li>
  );
}

type Group = { key: string; title: string; sub: string[]; figures: IndicatorFigure[] };

/**
 * Indicators grouped the way the plan is written: by key task when it has tasks (the national 2022
 * plan's 18, each with a lead and coordinating agencies), otherwise by phase and its deadline.
 * Indicators no task names still show, under their phase.
 */
function groupFigures(plan: PlanSummary, figures: readonly IndicatorFigure[], t: ReturnType<typeof useI18n>['t'], date: (v: string) => string): Group[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const groups: Group[] = [];
  const placed = new Set<string>();
  plan.tasks.forEach((task, index) => {
    const inTask = task.indicators.map((id) => byId.get(id)).filter((f): f is IndicatorFigure => f !== undefined);
    inTask.forEach((f) => placed.add(f.id));
    groups.push({
      key: `task-${task.id}`,
      title: t('target.task', { n: index + 1, name: task.name }),
      sub: [
        t('target.taskLead', { lead: task.lead }),
        ...(task.coordinating.length > 0 ? [t('target.taskCoordinating', { list: task.coordinating.join(', ') })] : []),
      ],
      figures: inTask,
    });
  });
  for (const phase of plan.phases) {
    const inPhase = figures.filter((f) => f.phase === phase.id && !placed.has(f.id));
    if (inPhase.length === 0 && plan.tasks.length > 0) continue;
    groups.push({
      key: `phase-${phase.id}`,
      title: plan.tasks.length > 0 ? t('target.otherIndicators', { phase: phase.name }) : phase.name,
      sub: [t('target.phaseDeadline', { date: date(phase.deadline) })],
      figures: inPhase,
    });
  }
  return groups;
}

export function IndicatorGroups({
  plan,
  figures,
  linkTo,
}: {
  plan: PlanSummary;
  figures: PlanIndicators;
  /** The page of one indicator, keeping the area and day the reader chose. */
  linkTo: (indicatorId: string) => string;
}) {
  const { t, date } = useI18n();
  const groups = groupFigures(plan, figures.indicators, t, date);
  return (
    <div className="indicator-groups">
      {groups.map((g) => (
        <section key={g.key} className="card indicator-group" aria-labelledby={`${g.key}-title`}>
          <div className="card-head indicator-group-head">
            <div>
              <h2 id={`${g.key}-title`} className="card-title">
                {g.title}
              </h2>
              {g.sub.map((line) => (
                <p key={line} className="muted small indicator-group-sub">
                  {line}
                </p>
              ))}
            </div>
          </div>
          {g.figures.length === 0 ? (
            <p className="muted small">{t('target.taskNoIndicators')}</p>
          ) : (
            <ul className="indicator-list">
              {g.figures.map((f) => (
                <IndicatorRow key={f.id} figure={f} to={linkTo(f.id)} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

/** The server's own words on how status and projection are worked out, printed with the figures. */
export function MethodNote({ method }: { method: string }) {
  const { t } = useI18n();
  return (
    <aside className="method-note" aria-label={t('target.methodTitle')}>
      <strong>{t('target.methodTitle')}</strong> {method}
    </aside>
  );
}
