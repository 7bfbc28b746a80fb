import type { FieldHousehold } from '@cds/contract';
import { useCallback, useEffect, useState, useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';
import { db, isHandoverRow, type BundleInfo, type OutboxRow, type SessionInfo, type SyncState } from './db';
import { HandoverScreen } from './handover-screen';
import { HouseholdsScreen } from './households-screen';
import { JoinScreen } from './join-screen';
import { useLive, useOnline } from './live';
import { OutboxScreen } from './outbox-screen';
import { applyUpdate, isUpdateReady, subscribeUpdate } from './pwa';
import { navigate, parseRoute, paths, usePathname } from './router';
import { forgetSession } from './session';
import { SignInScreen } from './sign-in-screen';
import { syncNow } from './sync';
import { VisitScreen } from './visit-screen';

const SYNC_EVERY_MS = 30_000;
const LOADING = Symbol('loading');

function Link(props: { to: string; children: ReactNode; current: boolean; id?: string }) {
  const go = (e: MouseEvent) => {
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} id={props.id} onClick={go} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

export function FieldApp() {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const online = useOnline();
  const session = useLive<SessionInfo | null | typeof LOADING>(async () => (await db.getMeta<SessionInfo>('session')) ?? null, [], LOADING);
  const bundle = useLive<BundleInfo | null>(async () => (await db.getMeta<BundleInfo>('bundle')) ?? null, [], null);
  const sync = useLive<SyncState | null>(async () => (await db.getMeta<SyncState>('sync')) ?? null, [], null);
  const households = useLive<FieldHousehold[]>(() => db.households.toArray(), [], []);
  const outbox = useLive<OutboxRow[]>(() => db.outbox.toArray(), [], []);
  const updateReady = useSyncExternalStore(subscribeUpdate, isUpdateReady);
  const [syncing, setSyncing] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const [reauth, setReauth] = useState(false);

  const runSync = useCallback(async (force: boolean) => {
    if (!navigator.onLine) return;
    setSyncing(true);
    try {
      const report = await syncNow({ force });
      if (force && report.sent + report.refused > 0) setToast(`Đã gửi ${report.sent} phiếu${report.refused ? `, ${report.refused} bị từ chối` : ''}.`);
    } finally {
      setSyncing(false);
    }
  }, []);

  const signedIn = session !== LOADING && session !== null;
  useEffect(() => {
    if (!signedIn) return;
    // The network coming back is the moment to send: no backoff wait.
    const onOnline = () => void runSync(true);
    const tick = () => {
      if (navigator.onLine && document.visibilityState === 'visible') void runSync(false);
    };
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', tick);
    const timer = window.setInterval(tick, SYNC_EVERY_MS);
    // Opening the app with network: send what waits (no backoff) and fetch the latest households.
    if (navigator.onLine) void runSync(true);
    return () => {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', tick);
      window.clearInterval(timer);
    };
  }, [signedIn, runSync]);

  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(() => setToast(null), 4000);
    return () => window.clearTimeout(t);
  }, [toast]);

  if (route.name === 'join') return <JoinScreen onDone={() => setReauth(false)} />;
  if (session === LOADING) return <p className="f-empty">Đang mở…</p>;
  if (session === null || reauth) {
    return (
      <SignInScreen
        presetUsername={session?.username}
        notice={session ? 'Đăng nhập lại để gửi phiếu. Các phiếu chưa gửi vẫn được giữ trên máy.' : null}
        onDone={() => {
          setReauth(false);
          void runSync(true);
        }}
        onCancel={session ? () => setReauth(false) : undefined}
      />
    );
  }

  const waiting = outbox.filter((r) => r.status === 'waiting').length;
  const refused = outbox.filter((r) => r.status === 'refused').length;
  const block = sync?.block ?? null;
  let body: ReactNode;
  let title = 'Hộ của tôi';
  if (route.name === 'households') body = <HouseholdsScreen households={households} outbox={outbox} />;
  else if (route.name === 'outbox') {
    title = 'Phiếu đã ghi';
    body = <OutboxScreen rows={outbox} sync={sync} online={online} syncing={syncing} onSync={() => void runSync(true)} />;
  } else if (route.name === 'visit' || route.name === 'new-household') {
    const household = route.name === 'visit' ? (households.find((h) => h.id === route.householdId) ?? null) : null;
    title = route.name === 'visit' ? 'Thăm hộ' : 'Hộ mới tìm thấy';
    body =
      route.name === 'visit' && !household ? (
        <p className="f-empty">Không có hộ này trong danh sách được giao.</p>
      ) : (
        <VisitScreen
          key={pathname}
          household={household}
          earlier={household ? outbox.filter((r) => !isHandoverRow(r) && r.householdId === household.id) : []}
          onCancel={() => history.back()}
          onSaved={(message) => {
            setToast(message);
            navigate(paths.households);
            void runSync(false);
          }}
        />
      );
  } else if (route.name === 'handover') {
    const household = households.find((h) => h.id === route.householdId) ?? null;
    const due = household?.handovers?.find((d) => d.allocationId === route.allocationId) ?? null;
    title = 'Bàn giao thiết bị';
    body =
      household && due ? (
        <HandoverScreen
          key={pathname}
          household={household}
          due={due}
          earlier={outbox.filter(isHandoverRow).filter((r) => r.householdId === household.id)}
          onCancel={() => history.back()}
          onSaved={(message) => {
            setToast(message);
            navigate(paths.households);
            void runSync(false);
          }}
        />
      ) : (
        <p className="f-empty">Thiết bị này không còn chờ bàn giao ở hộ này (có thể đã bàn giao xong).</p>
      );
  } else body = <p className="f-empty">Không có trang này.</p>;

  const onForm = route.name === 'visit' || route.name === 'new-household' || route.name === 'handover';
  return (
    <div className={`f-app${onForm ? ' on-form' : ''}`}>
      <header className="f-top">
        <h1>
          {title}
          <span className="f-sub">
            {session.displayName}
            {bundle?.team ? ` · ${bundle.team.name}` : ''}
          </span>
        </h1>
        <span className={`f-net${online ? '' : ' off'}`} role="status" id="f-net">
          {online ? 'Có mạng' : 'Mất mạng'}
        </span>
        {waiting > 0 ? (
          <a className="f-badge" href={paths.outbox} id="f-waiting-badge" aria-label={`${waiting} phiếu chờ gửi`} onClick={(e) => (e.preventDefault(), navigate(paths.outbox))}>
            {waiting}
          </a>
        ) : null}
      </header>
      <main className="f-main">
        {updateReady && !onForm ? (
          <div className="f-banner info" role="status">
            Có phiên bản mới của ứng dụng. Phiếu đã lưu trên máy được giữ nguyên khi cập nhật.
            <button type="button" className="f-btn block" onClick={applyUpdate}>
              Cập nhật
            </button>
          </div>
        ) : null}
        {block === 'signin' ? (
          <div className="f-banner warn" role="alert" id="f-block">
            Phiên đăng nhập đã hết hạn. {waiting > 0 ? `${waiting} phiếu chưa gửi vẫn được giữ trên máy.` : ''}
            <button type="button" className="f-btn block" onClick={() => setReauth(true)}>
              Đăng nhập lại
            </button>
          </div>
        ) : block === 'revoked' ? (
          <div className="f-banner bad" role="alert" id="f-block">
            Thiết bị này đã bị thu hồi quyền đồng bộ. Các phiếu chưa gửi được giữ lại để cán bộ xem xét; hãy liên hệ tổ trưởng.
            <button type="button" className="f-btn secondary block" onClick={() => setReauth(true)}>
              Đăng nhập lại để đăng ký máy
            </button>
          </div>
        ) : block === 'outdated' ? (
          <div className="f-banner bad" role="alert" id="f-block">
            Ứng dụng đã cũ; máy chủ chưa nhận phiếu. Hãy cập nhật (phiếu chưa gửi vẫn được giữ nguyên).
            <button type="button" className="f-btn block" onClick={applyUpdate}>
              Cập nhật ứng dụng
            </button>
          </div>
        ) : null}
        {route.name === 'households' && refused > 0 ? (
          <div className="f-banner bad">
            {refused} phiếu bị máy chủ từ chối. <Link to={paths.outbox} current={false}>Xem lý do</Link>
          </div>
        ) : null}
        {body}
        {route.name === 'outbox' ? (
          <button
            type="button"
            className="f-btn ghost block"
            onClick={async () => {
              if (!(await forgetSession())) setToast('Còn phiếu chưa gửi: hãy gửi hết trước khi đăng xuất.');
            }}
          >
            Đăng xuất
          </button>
        ) : null}
      </main>
      {toast ? (
        <div className="f-toast" role="status" id="f-toast">
          {toast}
        </div>
      ) : null}
      {/* On the visit form the bar gives its room to the form; "Hủy" goes back. */}
      <nav className="f-nav" aria-label="Điều hướng" hidden={onForm}>
        <Link to={paths.households} current={route.name === 'households' || route.name === 'visit'} id="f-nav-households">
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round"><path d="M3 11 12 4l9 7v9h-6v-6H9v6H3z" /></svg>
          Hộ của tôi
        </Link>
        <Link to={paths.newHousehold} current={route.name === 'new-household'} id="f-nav-new">
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round"><circle cx="12" cy="12" r="9" /><path d="M12 8v8M8 12h8" /></svg>
          Hộ mới
        </Link>
        <Link to={paths.outbox} current={route.name === 'outbox'} id="f-nav-outbox">
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round"><path d="M7 20V5M3 9l4-4 4 4M17 4v15M13 15l4 4 4-4" /></svg>
          Phiếu đã ghi
          {waiting > 0 ? <span className="f-badge">{waiting}</span> : null}
        </Link>
      </nav>
    </div>
  );
}
