import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { CompetitionForm } from './competition-form';
import { fetchCompetitions, learningKeys } from './learning-api';
import { CompetitionStatusBadge, LearningTabs } from './learning-ui';

/** Competitions ("Cuộc đua") the reader may see, and, for those who run them, a form to create one. */
export function CompetitionsPage() {
  const { t, date, number } = useI18n();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: learningKeys.competitions(), queryFn: fetchCompetitions });
  const mayCreate = can(me.role, 'manageCompetitions');

  return (
    <div className="learning-page">
      <PageHeader
        title={t('lrnComp.title')}
        subtitle={t('lrnComp.subtitle')}
        actions={
          mayCreate && !creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('lrnComp.new')}
            </button>
          ) : undefined
        }
      />
      <LearningTabs />
      {creating && <CompetitionForm onClose={() => setCreating(false)} />}
      <section className="card table-card" aria-labelledby="comp-list-title">
        <div className="card-intro">
          <h2 id="comp-list-title" className="card-title">
            {t('lrnComp.listTitle')}
          </h2>
        </div>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState>{t('lrnComp.empty')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table stack-table">
              <caption className="sr-only">{t('lrnComp.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('lrnComp.colTitle')}</th>
                  <th scope="col">{t('lrnComp.colDates')}</th>
                  <th scope="col">{t('lrnComp.colAudience')}</th>
                  <th scope="col" className="col-optional">
                    {t('lrnComp.colCourses')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/learning/competitions/${c.id}`}>{c.title}</Link> <CompetitionStatusBadge status={c.status} />
                    </th>
                    <td>
                      {date(c.startsOn)} – {date(c.endsOn)}
                    </td>
                    <td>
                      {c.audience === 'units'
                        ? t('lrnComp.audienceUnits', { n: number(c.units.length), names: c.units.slice(0, 3).map((u) => u.name).join(', ') + (c.units.length > 3 ? '…' : '') })
                        : t('lrnComp.audienceList', { n: number(c.memberCount) })}
                    </td>
                    <td className="col-optional">{c.courses.map((x) => x.title).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
