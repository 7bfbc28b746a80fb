import type { Me } from '@cds/contract';
import { useCallback, useEffect, useState } from 'react';
import { currentSession, flushCompletions, signOut } from './api';
import { CompetitionsScreen } from './competitions-screen';
import { CourseScreen } from './course-screen';
import { CoursesScreen } from './courses-screen';
import { LessonScreen } from './lesson-screen';
import { MeScreen } from './me-screen';
import { QuizScreen } from './quiz-screen';
import { navigate, parseRoute, paths, usePathname } from './routes';
import { SignInScreen } from './sign-in-screen';
import { Link, PageTitle } from './ui';
import { VerifyScreen } from './verify-screen';

type Display = { largeText: boolean; highContrast: boolean };
const DISPLAY_KEY = 'learn.display';

function readDisplay(): Display {
  try {
    return { largeText: false, highContrast: false, ...(JSON.parse(localStorage.getItem(DISPLAY_KEY) ?? '{}') as Partial<Display>) };
  } catch {
    return { largeText: false, highContrast: false };
  }
}

export interface SessionState {
  me: Me | null;
  /** After signing in or out, or linking a record: read the session again. */
  refresh: () => Promise<void>;
}

export function LearnApp() {
  const route = parseRoute(usePathname());
  const [display, setDisplay] = useState<Display>(readDisplay);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [online, setOnline] = useState(navigator.onLine);

  const refresh = useCallback(async () => {
    setMe(await currentSession().then((s) => s?.user ?? null, () => null));
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    document.documentElement.classList.toggle('l-large', display.largeText);
    document.documentElement.classList.toggle('l-contrast', display.highContrast);
    localStorage.setItem(DISPLAY_KEY, JSON.stringify(display));
  }, [display]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void flushCompletions();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    if (navigator.onLine && me) void flushCompletions();
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [me]);

  const session: SessionState = { me: me ?? null, refresh };
  const leave = async () => {
    await signOut();
    await refresh();
    navigate(paths.courses);
  };

  return (
    <div className="l-app">
      <a className="l-skip" href="#main">
        Bỏ qua, đến nội dung chính
      </a>
      <header className="l-top">
        <Link to={paths.courses} className="l-brand">
          <img src="/learn-icon.svg" alt="" width="36" height="36" />
          <span>
            Bình dân học vụ số
            <small>Hiểu ngay – Làm được – Dùng liền</small>
          </span>
        </Link>
        <div className="l-display" role="group" aria-label="Cách hiển thị">
          <button type="button" aria-pressed={display.largeText} onClick={() => setDisplay((d) => ({ ...d, largeText: !d.largeText }))}>
            <span aria-hidden="true">A+</span> Chữ lớn
          </button>
          <button type="button" aria-pressed={display.highContrast} onClick={() => setDisplay((d) => ({ ...d, highContrast: !d.highContrast }))}>
            <span aria-hidden="true">◐</span> Tương phản
          </button>
        </div>
      </header>
      <nav className="l-nav" aria-label="Mục chính">
        <Link to={paths.courses} current={route.name === 'courses' || route.name === 'course' || route.name === 'lesson' || route.name === 'quiz'}>
          Khoá học
        </Link>
        <Link to={paths.me} current={route.name === 'me'}>
          Của tôi
        </Link>
        <Link to={paths.competitions} current={route.name === 'competitions'}>
          Thi đua
        </Link>
      </nav>
      {!online && (
        <p className="l-offline" role="status">
          Đang không có mạng: các bài đã mở vẫn đọc được.
        </p>
      )}
      <main id="main" className="l-main">
        {me === undefined ? <p className="l-muted">Đang tải…</p> : <Screen route={route} session={session} />}
      </main>
      <footer className="l-foot">
        {me ? (
          <p>
            Đang học với tên <strong>{me.displayName}</strong> ·{' '}
            <button type="button" className="l-linkish" onClick={() => void leave()}>
              Đăng xuất
            </button>
          </p>
        ) : (
          <p>
            <Link to={paths.signIn()}>Đăng nhập</Link> để lưu tiến độ và nhận giấy chứng nhận.
          </p>
        )}
        <p>
          <Link to={paths.verify()} current={route.name === 'verify'}>
            Xác minh giấy chứng nhận
          </Link>
        </p>
        <p className="l-muted">Phong trào "Bình dân học vụ số" – miễn phí cho mọi người dân.</p>
      </footer>
    </div>
  );
}

function Screen(props: { route: ReturnType<typeof parseRoute>; session: SessionState }) {
  const { route, session } = props;
  switch (route.name) {
    case 'courses':
      return <CoursesScreen session={session} />;
    case 'course':
      return <CourseScreen slug={route.slug} session={session} />;
    case 'lesson':
      return <LessonScreen slug={route.slug} lessonSlug={route.lesson} session={session} />;
    case 'quiz':
      return <QuizScreen slug={route.slug} session={session} />;
    case 'sign-in':
      return <SignInScreen session={session} />;
    case 'me':
      return <MeScreen session={session} />;
    case 'competitions':
      return <CompetitionsScreen />;
    case 'verify':
      return <VerifyScreen code={route.code} />;
    case 'not-found':
      return (
        <>
          <PageTitle>Không tìm thấy trang</PageTitle>
          <p>
            <Link to={paths.courses}>Về danh sách khoá học</Link>
          </p>
        </>
      );
  }
}
