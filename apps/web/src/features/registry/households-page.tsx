import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../shared/components/page-header';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchNeighbourhoods, unitKeys } from '../units/units-api';
import { householdFiltersFromParams, householdFiltersToParams } from './household-filters';
import { HouseholdList } from './household-list';
import { UnitSelect } from './unit-select';

export function HouseholdsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = householdFiltersFromParams(params);
  const unit = filters.unit ?? '';
  const neighbourhoods = useQuery({
    queryKey: unitKeys.neighbourhoods(unit),
    queryFn: () => fetchNeighbourhoods(unit),
    enabled: unit !== '',
    retry: false,
  });

  return (
    <>
      <PageHeader title={t('households.pageTitle')} subtitle={t('households.pageSubtitle')} />
      <div className="toolbar toolbar-collapsible">
        <UnitSelect
          id="hh-unit"
          value={unit}
          // A new unit has other neighbourhoods: its filter starts afresh.
          onChange={(code) => setParams(householdFiltersToParams({ unit: code || undefined, poverty: filters.poverty, q: filters.q }, true))}
        />
      </div>
      <HouseholdList
        filters={filters}
        showUnit={unit === ''}
        neighbourhoods={
          unit && neighbourhoods.data
            ? neighbourhoods.data.items
                .filter((n) => n.mergedInto === null)
                .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }))
            : undefined
        }
        onFiltersChange={(next) => setParams(householdFiltersToParams(next, true), { replace: true })}
      />
    </>
  );
}
