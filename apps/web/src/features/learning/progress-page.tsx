import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { usePagedList } from '../../shared/api/use-paged-list';
import { LoadMore } from '../../shared/components/load-more';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchCourses, fetchProgress, fetchProgressSummary, learningKeys, progressExportUrl, type ProgressFilters } from './learning-api';
import { LearningTabs } from './learning-ui';

const LearningBarChart = lazy(() => import('./learning-charts').then((m) => ({ default: m.LearningBarChart })));

/** "Học tập số": learners of the reader's units, what each has done, and per course how many started and passed. */
export function LearningProgressPage() {
  const { t, number, dateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : '';
  const course = /^[a-z0-9-]+$/.test(params.get('course') ?? '') ? (params.get('course') as string) : '';
  const filters: ProgressFilters = { unit: unit || undefined, course: course || undefined };
  const summary = useQuery({ queryKey: learningKeys.summary(unit), queryFn: () => fetchProgressSummary(unit) });
  const courses = useQuery({ queryKey: learningKeys.courses(), queryFn: fetchCourses, staleTime: 10 * 60_000 });
  const query = usePagedList(learningKeys.progress(filters), (cursor) => fetchProgress(filters, cursor), { keepPrevious: true });
  const titles = useMemo(() => new Map((courses.data?.courses ?? []).map((c) => [c.slug, c.title])), [courses.data]);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  // Courses nobody in scope has started would only be empty rows.
  const chartRows = (summary.data?.courses ?? []).filter((c) => c.started > 0).map((c) => ({ label: c.title, values: [c.started, c.passed] }));

  return (
    <div className="learning-page">
      <PageHeader
        title={t('lrnProgress.title')}
        subtitle={t('lrnProgress.subtitle')}
        actions={
          <a className="btn btn-secondary" href={progressExportUrl(filters)} download>
            {t('lrnProgress.export')}
          </a>
        }
      />
      <LearningTabs />
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="lrn-unit">{t('filter.unit')}</label>
          <select id="lrn-unit" value={unit} onChange={(e) => set({ unit: e.target.value })} disabled={summary.isPending && !summary.data}>
            <option value="">{t('lrnProgress.allUnits')}</option>
            {summary.data?.units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="lrn-course">{t('lrnProgress.course')}</label>
          <select id="lrn-course" value={course} onChange={(e) => set({ course: e.target.value })}>
            <option value="">{t('lrnProgress.allCourses')}</option>
            {courses.data?.courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
      </div>

      <section className="card" aria-labelledby="lrn-chart-title">
        <div className="card-intro">
          <h2 id="lrn-chart-title" className="card-title">
            {t('lrnProgress.chartTitle')}
          </h2>
          <p className="muted small">{summary.data ? t('lrnProgress.chartIntro', { n: number(summary.data.learners) }) : '\u00a0'}</p>
        </div>
        {summary.isPending ? (
          <LoadingState />
        ) : summary.isError ? (
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
        ) : summary.data.learners === 0 ? (
          <EmptyState>{t('lrnProgress.empty')}</EmptyState>
        ) : (
          <Suspense fallback={<LoadingState />}>
            <LearningBarChart rows={chartRows} series={[t('lrnProgress.started'), t('lrnProgress.passed')]} label={t('lrnProgress.chartTitle')} />
          </Suspense>
        )}
      </section>

      <section className="card table-card" aria-labelledby="lrn-list-title">
        <div className="card-intro">
          <h2 id="lrn-list-title" className="card-title">
            {t('lrnProgress.listTitle')}
          </h2>
          <p className="muted small">{t('lrnProgress.listIntro')}</p>
        </div>
        {query.isPending ? (
          <LoadingState />
        ) : query.isError && query.items.length === 0 ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : query.items.length === 0 ? (
          <EmptyState>{t('lrnProgress.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table stack-table">
                <caption className="sr-only">{t('lrnProgress.listTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('lrnProgress.colName')}</th>
                    <th scope="col">{t('lrnProgress.colCourses')}</th>
                    <th scope="col">{t('lrnProgress.colPassed')}</th>
                    <th scope="col" className="col-optional">
                      {t('lrnProgress.colLast')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {query.items.map((l) => (
                    <tr key={l.userId}>
                      <th scope="row">
                        {l.name}
                        <span className="cell-sub">{l.unitName ?? t('lrnProgress.unlinked')}</span>
                      </th>
                      <td>
                        <ul className="course-progress-list small">
                          {l.courses.map((c) => (
                            <li key={c.slug}>
                              {titles.get(c.slug) ?? c.slug}: {t('lrnProgress.lessons', { done: number(c.lessonsDone), total: number(c.lessonCount) })}
                              {c.passed && <span className="badge lrn-passed"> {t('lrnProgress.passedBadge')}</span>}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>{number(l.coursesPassed)}</td>
                      <td className="col-optional">{dateTime(l.lastActivityAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {query.isError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} />}
            <LoadMore shown={query.items.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
          </>
        )}
      </section>
    </div>
  );
}
