import { useState } from 'react';
import { isHandoverRow, type OutboxRow, type OutboxStatus, type SyncState } from './db';
import { timeAndDay } from './format';
import { OUTCOME_LABELS } from './indicators';

const TABS: { key: OutboxStatus; label: string }[] = [
  { key: 'waiting', label: 'Chờ gửi' },
  { key: 'sent', label: 'Đã gửi' },
  { key: 'refused', label: 'Bị từ chối' },
];

const when = timeAndDay;

/** Every visit and handover this phone recorded: what waits, what arrived, what the server refused and why. */
export function OutboxScreen(props: { rows: OutboxRow[]; sync: SyncState | null; online: boolean; syncing: boolean; onSync: () => void }) {
  const [tab, setTab] = useState<OutboxStatus>('waiting');
  const count = (status: OutboxStatus) => props.rows.filter((r) => r.status === status).length;
  const shown = props.rows.filter((r) => r.status === tab).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <div className="f-counts" role="group" aria-label="Trạng thái phiếu">
        {TABS.map((t) => (
          <button key={t.key} type="button" className="f-count" aria-pressed={tab === t.key} onClick={() => setTab(t.key)} data-tab={t.key}>
            <b data-count={t.key}>{count(t.key)}</b>
            {t.label}
          </button>
        ))}
      </div>
      <div className="f-card">
        <button type="button" id="f-sync" className="f-btn block" disabled={!props.online || props.syncing} onClick={props.onSync}>
          {props.syncing ? 'Đang gửi…' : 'Gửi ngay'}
        </button>
        <p className="f-hint" style={{ marginTop: 8, marginBottom: 0 }}>
          {!props.online ? 'Đang không có mạng: phiếu được giữ trên máy và tự gửi khi có mạng. ' : 'Phiếu tự gửi khi có mạng, mỗi 30 giây. '}
          {props.sync?.lastSyncAt ? `Lần gửi gần nhất: ${when(props.sync.lastSyncAt)}.` : 'Chưa gửi lần nào.'}
        </p>
        {props.sync?.lastError ? <p className="f-error">{props.sync.lastError}</p> : null}
      </div>
      {shown.length === 0 ? (
        <p className="f-empty">{tab === 'waiting' ? 'Không còn phiếu nào chờ gửi.' : tab === 'sent' ? 'Chưa có phiếu nào đã gửi.' : 'Không có phiếu nào bị từ chối.'}</p>
      ) : (
        <ul className="f-list" aria-label={TABS.find((t) => t.key === tab)?.label}>
          {shown.map((row) => (
            <li key={row.clientVisitId} className={`f-out ${row.status}`} data-visit={row.clientVisitId} data-status={row.status}>
              <strong>{row.label}</strong>
              {isHandoverRow(row) ? (
                <div className="f-hint">
                  Bàn giao thiết bị · IMEI …{row.handover.imei.slice(-4)} · ghi lúc {when(row.handover.handedOverAt)}
                </div>
              ) : (
                <div className="f-hint">
                  {OUTCOME_LABELS[row.visit.outcome] ?? row.visit.outcome} · ghi lúc {when(row.visit.visitedAt)}
                  {row.householdId === null ? ' · hộ mới' : ''}
                  {row.visit.newPeople.length > 0 ? ` · ${row.visit.newPeople.length} người mới` : ''}
                </div>
              )}
              {row.status === 'sent' && row.sentAt ? <div className="f-hint">Đã gửi lúc {when(row.sentAt)}</div> : null}
              {row.status === 'waiting' && row.lastError ? <div className="f-hint">Lần thử {row.attempts}: {row.lastError}</div> : null}
              {row.status === 'refused' ? (
                <div className="f-reason" data-reason={row.reasonCode ?? ''}>
                  {row.reason ?? 'Máy chủ không nhận phiếu này'}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
