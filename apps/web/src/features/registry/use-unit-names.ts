import { useQuery } from '@tanstack/react-query';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { fetchUnits, unitKeys } from '../units/units-api';

/**
 * Names for unit codes: from the unit list when the role may read it, else from the user's own
 * units; the bare code when neither knows it (volunteers see households, not unit lists).
 */
export function useUnitNames(): (code: string) => string {
  const me = useMe();
  const units = useQuery({
    queryKey: unitKeys.list(''),
    queryFn: () => fetchUnits(''),
    staleTime: 5 * 60_000,
    retry: false,
    enabled: can(me.role, 'units'),
  });
  return (code) => units.data?.items.find((u) => u.code === code)?.name ?? me.units.find((u) => u.code === code)?.name ?? code;
}
