import type { FieldHousehold } from '@cds/contract';
import { useMemo, useState } from 'react';
import { isHandoverRow, type OutboxRow } from './db';
import { filterHouseholds, householdCounts, isVisited, localVisitsByHousehold, needsReturn, type HouseholdFilter } from './household-list';
import { day } from './format';
import { OUTCOME_LABELS } from './indicators';
import { navigate, paths } from './router';

const FILTERS: { key: HouseholdFilter; label: string }[] = [
  { key: 'all', label: 'Tất cả' },
  { key: 'not_visited', label: 'Chưa thăm' },
  { key: 'needs_return', label: 'Cần quay lại' },
];

export function HouseholdsScreen(props: { households: FieldHousehold[]; outbox: OutboxRow[] }) {
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<HouseholdFilter>(() => (sessionStorage.getItem('field.filter') as HouseholdFilter | null) ?? 'all');
  const local = useMemo(() => localVisitsByHousehold(props.outbox), [props.outbox]);
  const counts = useMemo(() => householdCounts(props.households, local), [props.households, local]);
  const shown = useMemo(() => filterHouseholds(props.households, local, filter, query), [props.households, local, filter, query]);

  const choose = (key: HouseholdFilter) => {
    setFilter(key);
    sessionStorage.setItem('field.filter', key);
  };

  return (
    <>
      <div className="f-search">
        <label className="sr-only" htmlFor="f-search">
          Tìm hộ
        </label>
        <input id="f-search" className="f-input" type="search" placeholder="Tìm theo địa chỉ hoặc tên người" value={query} onChange={(e) => setQuery(e.target.value)} />
        <div className="f-filters" role="group" aria-label="Lọc hộ">
          {FILTERS.map((f) => (
            <button key={f.key} type="button" className="f-filter" data-filter={f.key} aria-pressed={filter === f.key} onClick={() => choose(f.key)}>
              {f.label}
              <b>{counts[f.key]}</b>
            </button>
          ))}
        </div>
      </div>
      {props.households.length === 0 ? (
        <p className="f-empty">Bạn chưa được giao hộ nào. Hãy báo tổ trưởng, hoặc ghi "Hộ mới" nếu gặp hộ chưa có trong danh sách.</p>
      ) : shown.length === 0 ? (
        <p className="f-empty">Không có hộ nào khớp.</p>
      ) : (
        <ul className="f-list" aria-label="Hộ được giao">
          {shown.map((h) => {
            const mine = local.get(h.id);
            const visited = isVisited(h, local);
            const back = needsReturn(h, local);
            const last = mine ? { outcome: mine.lastOutcome, at: mine.lastAt } : h.lastVisit;
            return (
              <li key={h.id}>
                <a
                  className="f-hh"
                  href={paths.visit(h.id)}
                  data-household={h.id}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(paths.visit(h.id));
                  }}
                >
                  <strong>{h.address}</strong>
                  <span className="f-meta">
                    {h.neighbourhoodName ? `${h.neighbourhoodName} · ` : ''}
                    {h.members.length} người
                  </span>
                  <span className="f-tags">
                    {!visited ? <span className="f-tag warn">Chưa thăm</span> : null}
                    {back ? <span className="f-tag bad">Cần quay lại</span> : null}
                    {last ? (
                      <span className={`f-tag${last.outcome === 'done' ? ' ok' : ''}`}>
                        {OUTCOME_LABELS[last.outcome] ?? last.outcome} · {day(last.at)}
                      </span>
                    ) : null}
                    {mine && props.outbox.some((r) => r.householdId === h.id && r.status === 'waiting') ? <span className="f-tag">Phiếu chờ gửi</span> : null}
                    {h.poverty !== 'none' ? <span className="f-tag">{h.poverty === 'poor' ? 'Hộ nghèo' : 'Hộ cận nghèo'}</span> : null}
                    {(h.handovers ?? []).map((due) => (
                      <span key={due.allocationId} className="f-tag info" data-handover={due.allocationId}>
                        {props.outbox.some((r) => isHandoverRow(r) && r.handover.allocationId === due.allocationId && r.status === 'waiting') ? 'Bàn giao: chờ gửi' : 'Bàn giao thiết bị'}
                        {(h.handovers ?? []).length > 1 ? ` · ${due.recipient.fullName}` : ''}
                      </span>
                    ))}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
