import { useQueryClient } from '@tanstack/react-query';
import { registryKeys } from './registry-api';

/**
 * After a decision about residents (a merge, a withdrawn fact), every view that lists, counts or
 * shows them is stale: their lists, households, units' figures and data quality are read again.
 */
export function useInvalidateRegistry(): (options?: { mergedAway?: readonly number[] }) => void {
  const queryClient = useQueryClient();
  return ({ mergedAway = [] } = {}) => {
    // A record merged away is no longer there to read: dropped, not fetched again (a 404 and a console error).
    for (const id of mergedAway) queryClient.removeQueries({ queryKey: registryKeys.resident(id) });
    for (const queryKey of [['residents'], ['households'], ['quality'], ['units']]) void queryClient.invalidateQueries({ queryKey });
  };
}
