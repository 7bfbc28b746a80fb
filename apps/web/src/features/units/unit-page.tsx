import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { UnitDetail } from '@cds/contract';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { ApiError } from '../../shared/api/api-client';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { HouseholdList } from '../registry/household-list';
import { householdFiltersFromParams, householdFiltersToParams } from '../registry/household-filters';
import { NeighbourhoodsPanel } from './neighbourhoods-panel';
import { fetchNeighbourhoods, fetchUnit, unitKeys } from './units-api';

export function UnitPage() {
  const { code = '' } = useParams();
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const unit = useQuery({ queryKey: unitKeys.detail(code), queryFn: () => fetchUnit(code) });
  const neighbourhoods = useQuery({ queryKey: unitKeys.neighbourhoods(code), queryFn: () => fetchNeighbourhoods(code) });

  if (unit.isError && unit.error instanceof ApiError && unit.error.status === 404) return <NotFoundPage />;

  const filters = { ...householdFiltersFromParams(params), unit: code };
  const crumbs = [{ label: t('nav.units'), to: '/units' }, { label: unit.data?.name ?? code }];

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={unit.data?.fullName ?? t('unit.titleLoading')}
        subtitle={unit.data ? t('unit.subtitle', { code: unit.data.code }) : undefined}
        actions={
          can(me.role, 'dataQuality') || can(me.role, 'exportResidents') ? (
            <>
              {can(me.role, 'dataQuality') && (
                <Link className="btn btn-secondary" to={`/units/${encodeURIComponent(code)}/quality`}>
                  {t('unit.quality')}
                </Link>
              )}
              {can(me.role, 'exportResidents') && (
                // A plain download: the browser sends the session cookie, and the server logs the export.
                <a className="btn btn-secondary" href={`/api/residents/export.xlsx?unit=${encodeURIComponent(code)}`} download>
                  {t('unit.export')}
                </a>
              )}
            </>
          ) : undefined
        }
      />
      <QueryState query={unit}>{(u) => <UnitFacts unit={u} />}</QueryState>
      <div className="two-col">
        {neighbourhoods.isPending ? (
          <section className="card">
            <LoadingState />
          </section>
        ) : neighbourhoods.isError ? (
          <section className="card">
            <ErrorState error={neighbourhoods.error} onRetry={() => void neighbourhoods.refetch()} />
          </section>
        ) : (
          <NeighbourhoodsPanel
            unitCode={code}
            neighbourhoods={neighbourhoods.data.items}
            canEdit={can(me.role, 'editNeighbourhoods')}
          />
        )}
        {unit.data && <LegacyWards unit={unit.data} />}
      </div>
      {can(me.role, 'households') && (
        <HouseholdList
          filters={filters}
          neighbourhoods={
            neighbourhoods.data?.items
              .filter((n) => n.mergedInto === null)
              .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true })) ?? []
          }
          onFiltersChange={(next) => setParams(householdFiltersToParams(next), { replace: true })}
        />
      )}
    </>
  );
}

function UnitFacts({ unit }: { unit: UnitDetail }) {
  const { t, label, number } = useI18n();
  const facts: { label: string; value: string }[] = [
    { label: t('unit.type'), value: label('unitType', unit.type) },
    { label: t('unit.population'), value: number(unit.population) },
    { label: t('unit.area'), value: unit.areaKm2 === null ? '—' : `${number(unit.areaKm2)} km²` },
    { label: t('units.colHouseholds'), value: number(unit.households) },
    { label: t('units.colResidents'), value: number(unit.residents) },
    { label: t('units.colNeighbourhoods'), value: number(unit.neighbourhoods) },
  ];
  return (
    <dl className="fact-grid">
      {facts.map((f) => (
        <div className="stat" key={f.label}>
          <dt className="stat-label">{f.label}</dt>
          <dd className="stat-value">{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LegacyWards({ unit }: { unit: UnitDetail }) {
  const { t, label } = useI18n();
  return (
    <section className="card" aria-labelledby="legacy-heading">
      <div className="card-head">
        <h2 id="legacy-heading" className="card-title">
          {t('unit.legacyTitle')} <span className="count">{unit.legacy.length}</span>
        </h2>
      </div>
      <p className="muted small card-intro">{t('unit.legacyIntro')}</p>
      {unit.legacy.length === 0 ? (
        <EmptyState>{t('unit.legacyEmpty')}</EmptyState>
      ) : (
        <ul className="legacy-list">
          {unit.legacy.map((l, i) => (
            <li key={`${l.oldCode ?? 'x'}-${l.oldDistrict}-${i}`}>
              <span className="legacy-name">{l.oldName}</span>
              <span className="muted small">{l.oldDistrict}</span>
              <span className={`badge badge-merge-${l.mergeType}`}>{label('mergeType', l.mergeType)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
