import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { JsonApiError } from './api';
import { navigate } from './routes';
import type { Loaded } from './use-load';

export function Link(props: { to: string; children: ReactNode; className?: string; current?: boolean }) {
  const go = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} className={props.className} onClick={go} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

/**
 * The page's heading, focused when the screen changes, so a screen-reader user hears where they
 * arrived (a single-page app otherwise changes silently); it also names the browser tab.
 */
export function PageTitle(props: { children: string; sub?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.children} – Bình dân học vụ số`;
    ref.current?.focus({ preventScroll: true });
  }, [props.children]);
  return (
    <header className="l-page-head">
      <h1 ref={ref} tabIndex={-1}>
        {props.children}
      </h1>
      {props.sub && <p className="l-sub">{props.sub}</p>}
    </header>
  );
}

export function Show<T>(props: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const { loaded } = props;
  if (loaded.state === 'loading') return <p className="l-muted" role="status">Đang tải…</p>;
  if (loaded.state === 'error') return <ErrorBox error={loaded.error} />;
  return <>{props.children(loaded.data)}</>;
}

export function ErrorBox(props: { error: Error }) {
  const message = props.error instanceof JsonApiError ? props.error.message : 'Đã có lỗi; bạn thử tải lại trang nhé.';
  return (
    <p className="l-alert bad" role="alert">
      {message}
    </p>
  );
}

export function ProgressBar(props: { done: number; total: number; label: string }) {
  const pct = props.total === 0 ? 0 : Math.round((props.done / props.total) * 100);
  return (
    <div className="l-progress" role="progressbar" aria-valuemin={0} aria-valuemax={props.total} aria-valuenow={props.done} aria-label={props.label}>
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}

export function errorText(error: unknown): string {
  return error instanceof JsonApiError ? error.message : 'Đã có lỗi; bạn thử lại nhé.';
}
