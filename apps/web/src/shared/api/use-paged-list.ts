import { keepPreviousData, useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';

type Page = { items: unknown[]; next: string | null };

/**
 * A keyset-paged list from the API (`?cursor=`, answered `{items, next}`): the query for
 * "Xem thêm", with the pages loaded so far flattened into `items`.
 */
export function usePagedList<P extends Page>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<P>,
  options: { keepPrevious?: boolean; enabled?: boolean; refetchInterval?: number | false } = {},
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // Keeps the current rows on screen while a changed filter loads.
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    ...(options.refetchInterval !== undefined ? { refetchInterval: options.refetchInterval } : {}),
  });
  const items = useMemo(() => (query.data?.pages.flatMap((p) => p.items) ?? []) as P['items'][number][], [query.data]);
  return { ...query, items };
}
