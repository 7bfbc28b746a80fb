import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { PageHeader } from '../../shared/components/page-header';
import { ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchStandings, learningKeys, reportUrl, uploadMembers, type CompetitionMembersResult, type CompetitionStandings } from './learning-api';
import { CompetitionForm } from './competition-form';
import { CompetitionStatusBadge, LearningTabs, Rate } from './learning-ui';
import { parsePastedList } from './paste-list';

const LearningBarChart = lazy(() => import('./learning-charts').then((m) => ({ default: m.LearningBarChart })));

/** One competition: its figures by unit, the chart and leaderboard, the member list upload, the report. */
export function CompetitionPage() {
  const { t, date, number } = useI18n();
  const id = Number(useParams().id);
  const standings = useQuery({ queryKey: learningKeys.competition(id), queryFn: () => fetchStandings(id), enabled: Number.isSafeInteger(id) && id > 0 });
  const [editing, setEditing] = useState(false);

  if (standings.isPending) return <LoadingState />;
  if (standings.isError) return <ErrorState error={standings.error} onRetry={() => void standings.refetch()} />;
  const s = standings.data;
  const c = s.competition;
  return (
    <div className="learning-page">
      <PageHeader
        title={
          <>
            {c.title} <CompetitionStatusBadge status={c.status} />
          </>
        }
        subtitle={t('lrnDetail.subtitle', { from: date(c.startsOn), to: date(c.endsOn), courses: c.courses.map((x) => x.title).join(', '), asOf: date(s.asOf) })}
        crumbs={[{ label: t('lrnComp.title'), to: '/learning/competitions' }, { label: c.title }]}
        actions={
          <>
            {c.canManage && !editing && (
              <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
                {t('lrnDetail.edit')}
              </button>
            )}
            <a className="btn btn-secondary" href={reportUrl(c.id)} download>
              {t('lrnDetail.report')}
            </a>
          </>
        }
      />
      <LearningTabs />
      {editing && <CompetitionForm editing={c} onClose={() => setEditing(false)} />}
      {c.description && <p>{c.description}</p>}
      <dl className="stat-grid">
        <div className="stat">
          <dt className="stat-label">{c.audience === 'units' ? t('lrnDetail.audienceUnits') : t('lrnDetail.audienceList')}</dt>
          <dd className="stat-value">{number(s.totals.audience)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t('lrnDetail.participants')}</dt>
          <dd className="stat-value">
            {number(s.totals.participants)} <span className="muted small">({number(s.totals.participationRate)}%)</span>
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t('lrnDetail.finishers')}</dt>
          <dd className="stat-value">
            {number(s.totals.finishers)} <span className="muted small">({number(s.totals.completionRate)}%)</span>
          </dd>
        </div>
      </dl>
      <p className="muted small">{t('lrnDetail.rules')}</p>

      {s.units.length > 0 && (
        <section className="card" aria-labelledby="comp-chart-title">
          <h2 id="comp-chart-title" className="card-title">
            {t('lrnDetail.chartTitle')}
          </h2>
          <Suspense fallback={<LoadingState />}>
            <LearningBarChart
              rows={s.leaderboard.map((u) => ({ label: u.unitName, values: [u.completionRate, u.participationRate] }))}
              series={[t('lrnDetail.completionRate'), t('lrnDetail.participationRate')]}
              label={t('lrnDetail.chartTitle')}
              percent
            />
          </Suspense>
        </section>
      )}

      <Leaderboard standings={s} />
      {c.audience === 'list' && c.canManage && <MemberUpload id={c.id} />}
    </div>
  );
}

function Leaderboard({ standings }: { standings: CompetitionStandings }) {
  const { t, number } = useI18n();
  return (
    <section className="card table-card" aria-labelledby="comp-board-title">
      <div className="card-intro">
        <h2 id="comp-board-title" className="card-title">
          {t('lrnDetail.boardTitle')}
        </h2>
        <p className="muted small">{t('lrnDetail.boardIntro')}</p>
      </div>
      {standings.leaderboard.length === 0 ? (
        <p className="muted">{standings.competition.audience === 'list' ? t('lrnDetail.noMembers') : t('lrnComp.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{t('lrnDetail.boardTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('lrnDetail.colRank')}</th>
                <th scope="col">{t('lrnDetail.colUnit')}</th>
                <th scope="col">{t('lrnDetail.colAudience')}</th>
                <th scope="col">{t('lrnDetail.participationRate')}</th>
                <th scope="col">{t('lrnDetail.completionRate')}</th>
              </tr>
            </thead>
            <tbody>
              {standings.leaderboard.map((u) => (
                <tr key={u.unitCode}>
                  <td className="rank-cell">
                    <span className={`rank-badge${u.rank <= 3 ? ` rank-${u.rank}` : ''}`}>{number(u.rank)}</span>
                  </td>
                  <th scope="row">{u.unitName}</th>
                  <td>{number(u.audience)}</td>
                  <td>
                    <Rate rate={u.participationRate} part={u.participants} whole={u.audience} />
                  </td>
                  <td>
                    <Rate rate={u.completionRate} part={u.finishers} whole={u.audience} />
                  </td>
                </tr>
              ))}
            </tbody>
            {standings.leaderboard.length > 1 && (
              <tfoot>
                <tr>
                  <td />
                  <th scope="row">{t('lrnDetail.total')}</th>
                  <td>{number(standings.totals.audience)}</td>
                  <td>
                    <Rate rate={standings.totals.participationRate} part={standings.totals.participants} whole={standings.totals.audience} />
                  </td>
                  <td>
                    <Rate rate={standings.totals.completionRate} part={standings.totals.finishers} whole={standings.totals.audience} />
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}

/** Paste a staff list; good rows are added, bad rows stay in the box with their reasons, to be fixed and sent again. */
function MemberUpload({ id }: { id: number }) {
  const { t, number } = useI18n();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [result, setResult] = useState<CompetitionMembersResult | null>(null);
  const [empty, setEmpty] = useState(false);
  const send = useMutation({
    mutationFn: (parsed: ReturnType<typeof parsePastedList>) => uploadMembers(id, parsed.rows).then((r) => ({ r, parsed })),
    onSuccess: ({ r, parsed }) => {
      setResult(r);
      // What was refused goes back in the box, as pasted, for fixing.
      setText(r.rejected.map((row) => parsed.lines[row.row - 1] ?? '').join('\n'));
      void queryClient.invalidateQueries({ queryKey: learningKeys.all });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parsePastedList(text);
    setEmpty(parsed.rows.length === 0);
    if (parsed.rows.length > 0) send.mutate(parsed);
  }
  return (
    <section className="card" aria-labelledby="comp-members-title">
      <h2 id="comp-members-title" className="card-title">
        {t('lrnMembers.title')}
      </h2>
      <p className="muted small">{t('lrnMembers.intro')}</p>
      <form className="form-stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="comp-paste">{t('lrnMembers.paste')}</label>
          <textarea id="comp-paste" className="paste-box" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('lrnMembers.placeholder')} spellCheck={false} />
          {empty && <p className="field-error">{t('lrnMembers.empty')}</p>}
        </div>
        <FormError error={send.error} />
        {result && (
          <div role="status" className={result.rejected.length > 0 ? 'form-error' : 'form-success'}>
            <p>{t('lrnMembers.result', { accepted: number(result.accepted), rejected: number(result.rejected.length), total: number(result.memberCount) })}</p>
            {result.rejected.length > 0 && (
              <>
                <p>{t('lrnMembers.fixHint')}</p>
                <ul className="rejected-list">
                  {result.rejected.slice(0, 50).map((row) => (
                    <li key={row.row}>
                      <strong>{row.input.fullName || '—'}</strong>: {row.problems.map((p) => p.message).join('; ')}
                    </li>
                  ))}
                  {result.rejected.length > 50 && <li>{t('lrnMembers.more', { n: number(result.rejected.length - 50) })}</li>}
                </ul>
              </>
            )}
          </div>
        )}
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={send.isPending}>
            {send.isPending ? t('state.saving') : t('lrnMembers.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
