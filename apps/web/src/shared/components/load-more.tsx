import { useI18n } from '../i18n/i18n-context';

/** The foot of a keyset-paged list: how many are shown and a button for the next page. */
export function LoadMore({
  shown,
  hasMore,
  loading,
  onMore,
}: {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  const { t, number } = useI18n();
  return (
    <div className="load-more">
      <span className="muted">{t(hasMore ? 'paging.shownMore' : 'paging.shownAll', { n: number(shown) })}</span>
      {hasMore && (
        <button type="button" className="btn btn-secondary" onClick={onMore} disabled={loading}>
          {loading ? t('state.loading') : t('paging.more')}
        </button>
      )}
    </div>
  );
}
