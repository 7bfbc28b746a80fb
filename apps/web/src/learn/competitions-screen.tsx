import * as api from './api';
import { PageTitle, Show } from './ui';
import { useLoad } from './use-load';

export function CompetitionsScreen() {
  const list = useLoad(api.publicCompetitions, 'competitions');
  return (
    <>
      <PageTitle sub="Các phong trào thi đua học kỹ năng số: tỷ lệ tham gia và hoàn thành theo phường, xã.">Thi đua học tập</PageTitle>
      <Show loaded={list}>
        {({ items: competitions }) =>
          competitions.length === 0 ? (
            <p className="l-muted">Hiện chưa có cuộc thi đua nào.</p>
          ) : (
            competitions.map((c) => (
              <section key={c.id} className="l-card" aria-labelledby={`comp-${c.id}`}>
                <h2 id={`comp-${c.id}`}>{c.title}</h2>
                {c.description && <p>{c.description}</p>}
                <p className="l-meta">
                  Từ {c.startsOn.split('-').reverse().join('/')} đến {c.endsOn.split('-').reverse().join('/')} · {c.courses.map((k) => k.title).join(', ')}
                </p>
                <p>
                  Đã hoàn thành <strong>{c.totals.finishers.toLocaleString('vi-VN')}</strong>/{c.totals.audience.toLocaleString('vi-VN')} người (
                  {c.totals.completionRate.toLocaleString('vi-VN')}%), tham gia {c.totals.participants.toLocaleString('vi-VN')} người.
                </p>
                <table className="l-table">
                  <caption>Bảng xếp hạng theo tỷ lệ hoàn thành</caption>
                  <thead>
                    <tr>
                      <th scope="col">Hạng</th>
                      <th scope="col">Đơn vị</th>
                      <th scope="col">Hoàn thành</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.leaderboard.slice(0, 10).map((u) => (
                      <tr key={u.unitCode}>
                        <td>{u.rank}</td>
                        <th scope="row">{u.unitName}</th>
                        <td>
                          <span className="l-bar" aria-hidden="true">
                            <span style={{ width: `${Math.min(100, u.completionRate)}%` }} />
                          </span>
                          {u.finishers.toLocaleString('vi-VN')}/{u.audience.toLocaleString('vi-VN')} ({u.completionRate.toLocaleString('vi-VN')}%)
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))
          )
        }
      </Show>
    </>
  );
}
