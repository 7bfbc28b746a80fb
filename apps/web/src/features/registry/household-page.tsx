import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { DeviceRequestPanel } from '../devices/device-request-panel';
import { HouseholdFieldPanels } from '../field/household-field-panels';
import { MergeList } from './merge-panels';
import { PovertyBadge } from './poverty-badge';
import { fetchHousehold, registryKeys } from './registry-api';
import { ResidentCard } from './resident-card';

export function HouseholdPage() {
  const { id: idParam = '' } = useParams();
  const id = Number(idParam);
  const valid = Number.isInteger(id) && id > 0;
  const { t, number } = useI18n();
  const me = useMe();
  const household = useQuery({ queryKey: registryKeys.household(id), queryFn: () => fetchHousehold(id), enabled: valid });

  if (!valid || (household.error instanceof ApiError && household.error.status === 404)) return <NotFoundPage />;

  const canRecord = can(me.role, 'recordFacts');
  const crumbs = [
    can(me.role, 'unitDetail') && household.data
      ? {
          label: household.data.unitName,
          to: `/units/${household.data.unitCode}`,
        }
      : { label: t('nav.households'), to: '/households' },
    { label: household.data?.address ?? `#${id}` },
  ];

  return (
    <>
      <PageHeader crumbs={crumbs} title={household.data?.address ?? t('household.titleLoading')} subtitle={t('household.subtitle')} />
      <QueryState query={household}>
        {(h) => {
          const living = h.residents.filter((r) => r.status === 'living');
          const others = h.residents.filter((r) => r.status !== 'living');
          return (
            <>
              <dl className="fact-grid">
                <div className="stat">
                  <dt className="stat-label">{t('household.head')}</dt>
                  <dd className="stat-value stat-text">{h.headName ?? '—'}</dd>
                </div>
                <div className="stat">
                  <dt className="stat-label">{t('households.colNeighbourhood')}</dt>
                  <dd className="stat-value stat-text">{h.neighbourhood ?? t('household.noNeighbourhood')}</dd>
                </div>
                <div className="stat">
                  <dt className="stat-label">{t('households.colPoverty')}</dt>
                  <dd className="stat-value stat-text">
                    <PovertyBadge status={h.povertyStatus} year={h.povertyListYear} />
                  </dd>
                </div>
                <div className="stat">
                  <dt className="stat-label">{t('household.code')}</dt>
                  <dd className="stat-value stat-text mono">{h.householdCode ?? '—'}</dd>
                </div>
                <div className="stat">
                  <dt className="stat-label">{t('households.colMembers')}</dt>
                  <dd className="stat-value">{number(h.members)}</dd>
                </div>
              </dl>
              <section aria-labelledby="members-heading" className="members">
                <h2 id="members-heading" className="section-title">
                  {t('household.members')} <span className="count">{number(living.length)}</span>
                </h2>
                <p className="muted small">{t('household.elementsHint')}</p>
                {living.length === 0 ? (
                  <EmptyState>{t('household.noMembers')}</EmptyState>
                ) : (
                  living.map((r) => <ResidentCard key={r.id} resident={r} canRecord={canRecord} canMerge={can(me.role, 'mergeResidents')} />)
                )}
                {h.mergedAway && h.mergedAway.length > 0 && (
                  <details className="card merged-list" open>
                    <summary>{t('household.mergedAway', { n: h.mergedAway.length })}</summary>
                    <MergeList merges={h.mergedAway} canUndo={can(me.role, 'mergeResidents')} direction="away" />
                  </details>
                )}
                {others.length > 0 && (
                  <details className="card merged-list">
                    <summary>{t('household.formerMembers', { n: others.length })}</summary>
                    {others.map((r) => (
                      <ResidentCard key={r.id} resident={r} canRecord={canRecord} />
                    ))}
                  </details>
                )}
              </section>
              <HouseholdFieldPanels householdId={h.id} residents={h.residents} />
              {canRecord && living.length > 0 && <DeviceRequestPanel householdId={h.id} residents={living} />}
              {can(me.role, 'residents') && (
                <p className="muted small">
                  <Link to={`/residents?unit=${h.unitCode}`}>{t('household.searchOthers')}</Link>
                </p>
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}
