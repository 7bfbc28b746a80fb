import { useQueryClient } from '@tanstack/react-query';

/**
 * After a decision about residents (a merge, a withdrawn fact), every view that lists, counts or
 * shows them is stale: their lists, households, units' figures and data quality are read again.
 */
export function useInvalidateRegistry(): () => void {
  const queryClient = useQueryClient();
  return () => {
    for (const queryKey of [['residents'], ['households'], ['quality'], ['units']]) void queryClient.invalidateQueries({ queryKey });
  };
}
