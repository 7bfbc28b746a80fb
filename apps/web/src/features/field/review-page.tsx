import { useSearchParams } from 'react-router';
import { PageHeader } from '../../shared/components/page-header';
import { useI18n } from '../../shared/i18n/i18n-context';
import { UnitSelect } from '../registry/unit-select';
import { CampaignTabs } from './campaign-ui';
import { ConflictList } from './conflict-list';
import { RefusalList } from './refusal-list';

const REFUSAL_STATUSES = ['open', 'accepted', 'dismissed'] as const;
const CONFLICT_STATUSES = ['open', 'kept_newer', 'accepted_visit'] as const;

export function ReviewPage() {
  const { t, label } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'conflicts' ? 'conflicts' : 'refusals';
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const statuses: readonly string[] = tab === 'refusals' ? REFUSAL_STATUSES : CONFLICT_STATUSES;
  const status = statuses.includes(params.get('status') ?? '') ? (params.get('status') as string) : 'open';
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const statusPrefix = tab === 'refusals' ? 'review.refusalStatus' : 'review.conflictStatus';

  return (
    <div className="campaign-page">
      <PageHeader title={t('review.title')} subtitle={t('review.subtitle')} />
      <CampaignTabs />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('review.tabs')}>
          <button type="button" className="segmented-button" aria-pressed={tab === 'refusals'} onClick={() => set({ tab: '', status: '' })}>
            {t('review.refusals')}
          </button>
          <button type="button" className="segmented-button" aria-pressed={tab === 'conflicts'} onClick={() => set({ tab: 'conflicts', status: '' })}>
            {t('review.conflicts')}
          </button>
        </div>
        <UnitSelect id="review-unit" value={unit} onChange={(code) => set({ unit: code })} />
        <div className="field field-inline">
          <label htmlFor="review-status">{t('review.status')}</label>
          <select id="review-status" value={status} onChange={(e) => set({ status: e.target.value === 'open' ? '' : e.target.value })}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {label(statusPrefix, s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {tab === 'refusals' ? <RefusalList unit={unit} status={status} /> : <ConflictList unit={unit} status={status} />}
    </div>
  );
}
