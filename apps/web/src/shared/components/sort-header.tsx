import { useI18n } from '../i18n/i18n-context';

export type SortState<C extends string> = { col: C; dir: 'asc' | 'desc' };

/**
 * A column header that sorts its table: a second press reverses the order; a first press uses
 * `firstDirection` (tables sort names A→Z and figures largest first).
 */
export function SortHeader<C extends string>({
  col,
  label,
  sort,
  onSort,
  firstDirection,
  className,
}: {
  col: C;
  label: string;
  sort: SortState<C>;
  onSort: (next: SortState<C>) => void;
  firstDirection: (col: C) => 'asc' | 'desc';
  className?: string;
}) {
  const { t } = useI18n();
  const active = sort.col === col;
  const next: SortState<C> = { col, dir: active ? (sort.dir === 'asc' ? 'desc' : 'asc') : firstDirection(col) };
  return (
    <th scope="col" className={className} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(next)} title={t('units.sortBy', { col: label })}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
