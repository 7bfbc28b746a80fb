import { Fragment, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { FieldCompleteness, UnitDataQuality } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { PageHeader, type Crumb } from '../../shared/components/page-header';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { DistinctPairList, DuplicateGroupPanel, MergeList } from '../registry/merge-panels';
import { fetchDistinctPairs, fetchMerges, registryKeys } from '../registry/registry-api';
import { fetchUnit, unitKeys } from '../units/units-api';
import { fetchUnitDataQuality, qualityKeys } from './quality-api';

/** The data quality of one unit: how complete the registry is, and what still waits for a person. */
export function UnitQualityPage() {
  const { code = '' } = useParams();
  const { t, dateTime } = useI18n();
  const me = useMe();
  const unit = useQuery({ queryKey: unitKeys.detail(code), queryFn: () => fetchUnit(code) });
  const quality = useQuery({ queryKey: qualityKeys.unit(code), queryFn: () => fetchUnitDataQuality(code) });

  const notFound = (error: unknown) => error instanceof ApiError && error.status === 404;
  if ((unit.isError && notFound(unit.error)) || (quality.isError && notFound(quality.error))) return <NotFoundPage />;

  const unitName = unit.data?.name ?? code;
  const crumbs: Crumb[] = [
    { label: t('nav.units'), to: '/units' },
    can(me.role, 'unitDetail') ? { label: unitName, to: `/units/${encodeURIComponent(code)}` } : { label: unitName },
    { label: t('quality.title') },
  ];
  const subtitle = [unit.data?.fullName ?? t('unit.subtitle', { code }), quality.data ? t('quality.computedAt', { at: dateTime(quality.data.computedAt) }) : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={t('quality.title')}
        subtitle={subtitle}
        actions={
          <button type="button" className="btn btn-secondary" onClick={() => void quality.refetch()} disabled={quality.isFetching}>
            {quality.isFetching && !quality.isPending ? t('state.updating') : t('quality.recount')}
          </button>
        }
      />
      <QueryState query={quality} loadingLabel={t('quality.loading')}>
        {(q) => (
          <QualityReport quality={q} canSeeNames={can(me.role, 'residents')} canOpenImports={can(me.role, 'imports')} canMerge={can(me.role, 'mergeResidents')} />
        )}
      </QueryState>
    </>
  );
}

function QualityReport({
  quality,
  canSeeNames,
  canOpenImports,
  canMerge,
}: {
  quality: UnitDataQuality;
  canSeeNames: boolean;
  canOpenImports: boolean;
  canMerge: boolean;
}) {
  const { t, number } = useI18n();
  if (quality.residents === 0 && quality.households === 0 && quality.reviewRows + quality.quarantineRows + quality.addressesAwaitingDecision === 0) {
    return <EmptyState>{t('quality.emptyUnit')}</EmptyState>;
  }
  return (
    <>
      <dl className="fact-grid">
        <div className="stat">
          <dt className="stat-label">{t('units.colResidents')}</dt>
          <dd className="stat-value">{number(quality.residents)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t('units.colHouseholds')}</dt>
          <dd className="stat-value">{number(quality.households)}</dd>
        </div>
      </dl>
      <CompletenessCard fields={quality.completeness} />
      <section aria-labelledby="quality-issues-heading" className="quality-section">
        <h2 id="quality-issues-heading" className="section-title">
          {t('quality.issuesTitle')}
        </h2>
        <IssueCards quality={quality} canOpenImports={canOpenImports} />
      </section>
      <DuplicatesCard quality={quality} canSeeNames={canSeeNames} canMerge={canMerge} />
      {canMerge && <MergesCard unitCode={quality.unitCode} />}
      {canMerge && <DistinctPairsCard unitCode={quality.unitCode} />}
    </>
  );
}

const FIELD_LABEL: Record<FieldCompleteness['field'], MessageKey> = {
  birthDate: 'quality.field.birthDate',
  sex: 'quality.field.sex',
  citizenId: 'quality.field.citizenId',
  phone: 'quality.field.phone',
  householdCode: 'quality.field.householdCode',
  neighbourhood: 'quality.field.neighbourhood',
};

// Unrounded: I18n.percent writes it, so 5.705 of 5.706 does not read as complete.
function percentOf(filled: number, total: number): number | null {
  return total === 0 ? null : (filled / total) * 100;
}

function tone(percent: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (percent === null) return 'none';
  return percent >= 90 ? 'good' : percent >= 60 ? 'fair' : 'poor';
}

function CompletenessCard({ fields }: { fields: readonly FieldCompleteness[] }) {
  const { t, number, percent: formatPercent } = useI18n();
  return (
    <section className="card" aria-labelledby="quality-completeness-heading">
      <div className="card-head">
        <h2 id="quality-completeness-heading" className="card-title">
          {t('quality.completenessTitle')}
        </h2>
      </div>
      <p className="muted small card-intro">{t('quality.completenessIntro')}</p>
      <ul className="completeness-list">
        {fields.map((f) => {
          const percent = percentOf(f.filled, f.total);
          return (
            <li key={f.field} className={`completeness-row completeness-${tone(percent)}`}>
              <span className="completeness-label">{t(FIELD_LABEL[f.field])}</span>
              <span
                className="completeness-track"
                role="meter"
                aria-label={t(FIELD_LABEL[f.field])}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent ?? 0}
                aria-valuetext={percent === null ? t('quality.noRecords') : formatPercent(percent)}
              >
                <span className="completeness-bar" style={{ width: `${percent ?? 0}%` }} />
              </span>
              <span className="completeness-value">
                <strong>{percent === null ? '—' : formatPercent(percent)}</strong>
                <span className="muted small">
                  {t('quality.filledOf', { filled: number(f.filled), total: number(f.total) })}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type Issue = { key: string; value: number; title: MessageKey; help: MessageKey; link?: { to: string; label: MessageKey } | undefined };

function IssueCards({ quality, canOpenImports }: { quality: UnitDataQuality; canOpenImports: boolean }) {
  const { t, number } = useI18n();
  const importsLink = (label: MessageKey) => (canOpenImports ? { to: '/imports', label } : undefined);
  const issues: Issue[] = [
    { key: 'noId', value: quality.residentsWithoutCitizenId, title: 'quality.noCitizenId', help: 'quality.noCitizenIdHelp' },
    { key: 'legacy', value: quality.legacyIdOnly, title: 'quality.legacyIdOnly', help: 'quality.legacyIdOnlyHelp' },
    { key: 'dup', value: quality.suspectedDuplicates.groups, title: 'quality.duplicates', help: 'quality.duplicatesHelp' },
    { key: 'head', value: quality.householdsWithoutHead, title: 'quality.withoutHead', help: 'quality.withoutHeadHelp' },
    { key: 'empty', value: quality.householdsWithoutMembers, title: 'quality.withoutMembers', help: 'quality.withoutMembersHelp' },
    { key: 'address', value: quality.addressesAwaitingDecision, title: 'quality.awaitingAddress', help: 'quality.awaitingAddressHelp', link: importsLink('quality.openReview') },
    { key: 'review', value: quality.reviewRows, title: 'quality.reviewRows', help: 'quality.reviewRowsHelp', link: importsLink('quality.openReview') },
    { key: 'quarantine', value: quality.quarantineRows, title: 'quality.quarantineRows', help: 'quality.quarantineRowsHelp', link: importsLink('quality.openRejected') },
  ];
  return (
    <ul className="issue-grid">
      {issues.map((issue) => (
        <li key={issue.key} className={`issue-card ${issue.value > 0 ? 'issue-open' : 'issue-clear'}`}>
          <span className="issue-value">{number(issue.value)}</span>
          <span className="issue-title">{t(issue.title)}</span>
          <span className="issue-help">
            {issue.key === 'dup' && issue.value > 0
              ? t('quality.duplicatesPeople', { people: number(quality.suspectedDuplicates.people) })
              : t(issue.help)}
          </span>
          {issue.link && issue.value > 0 && (
            <Link className="issue-link" to={issue.link.to}>
              {t(issue.link.label)}
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}

function DuplicatesCard({ quality, canSeeNames, canMerge }: { quality: UnitDataQuality; canSeeNames: boolean; canMerge: boolean }) {
  const { t, number } = useI18n();
  const { groups, examples } = quality.suspectedDuplicates;
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="quality-dup-heading">
      <div className="card-head">
        <h2 id="quality-dup-heading" className="card-title">
          {t('quality.duplicatesTitle')} <span className="count">{number(groups)}</span>
        </h2>
      </div>
      <p className="muted small card-intro">{t('quality.duplicatesIntro')}</p>
      {done && (
        <p className="form-success" role="status">
          {done}
        </p>
      )}
      {groups === 0 ? (
        <EmptyState>{t('quality.duplicatesNone')}</EmptyState>
      ) : examples.length === 0 ? (
        <EmptyState>{canSeeNames ? t('quality.duplicatesNone') : t('quality.duplicatesAggregateOnly')}</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact quality-dup-table">
              <caption className="sr-only">{t('quality.duplicatesTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('quality.colName')}</th>
                  <th scope="col" className="num">
                    {t('quality.colBirthYear')}
                  </th>
                  <th scope="col" className="num">
                    {t('quality.colRecords')}
                  </th>
                  {canMerge && <th scope="col">{t('quality.colDecide')}</th>}
                </tr>
              </thead>
              <tbody>
                {examples.map((e) => {
                  const key = e.residentIds.join('-');
                  return (
                    <Fragment key={key}>
                      <tr>
                        <th scope="row">
                          <Link to={`/residents?${new URLSearchParams({ q: e.fullName, unit: quality.unitCode }).toString()}`}>{e.fullName}</Link>
                        </th>
                        <td className="num">{e.birthYear}</td>
                        <td className="num">{number(e.residentIds.length)}</td>
                        {canMerge && (
                          <td>
                            <button
                              type="button"
                              className="btn btn-secondary btn-sm"
                              aria-expanded={open === key}
                              onClick={() => {
                                setDone(null);
                                setOpen(open === key ? null : key);
                              }}
                            >
                              {open === key ? t('quality.hideDecide') : t('quality.decide')}
                            </button>
                          </td>
                        )}
                      </tr>
                      {canMerge && open === key && (
                        <tr className="dup-panel-row">
                          <td colSpan={4}>
                            <DuplicateGroupPanel
                              residentIds={e.residentIds}
                              onDone={(message) => {
                                setOpen(null);
                                setDone(message);
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {groups > examples.length && (
            <p className="muted small quality-more">{t('quality.duplicatesMore', { shown: number(examples.length), total: number(groups) })}</p>
          )}
        </>
      )}
    </section>
  );
}

/** Standing merges touching the unit, each with its undo: a wrong merge is found and reversed here. */
function MergesCard({ unitCode }: { unitCode: string }) {
  const { t, number } = useI18n();
  const merges = useQuery({ queryKey: registryKeys.merges(unitCode), queryFn: () => fetchMerges(unitCode) });
  const items = merges.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="quality-merges-heading">
      <div className="card-head">
        <h2 id="quality-merges-heading" className="card-title">
          {t('quality.mergesTitle')} <span className="count">{number(items.length)}</span>
        </h2>
      </div>
      <p className="muted small card-intro">{t('quality.mergesIntro')}</p>
      <MergeList merges={items} canUndo direction="both" />
    </section>
  );
}

/** Pairs an official found to be two people: a mistaken mark is withdrawn here and the pair is suspected again. */
function DistinctPairsCard({ unitCode }: { unitCode: string }) {
  const { t, number } = useI18n();
  const pairs = useQuery({ queryKey: registryKeys.distinctPairs(unitCode), queryFn: () => fetchDistinctPairs(unitCode) });
  const items = pairs.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="quality-distinct-heading">
      <div className="card-head">
        <h2 id="quality-distinct-heading" className="card-title">
          {t('quality.distinctTitle')} <span className="count">{number(items.length)}</span>
        </h2>
      </div>
      <p className="muted small card-intro">{t('quality.distinctIntro')}</p>
      <DistinctPairList pairs={items} />
    </section>
  );
}
