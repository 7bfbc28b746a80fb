import type { Lesson } from '@cds/contract';
import { useState } from 'react';
import * as api from './api';
import type { SessionState } from './app';
import { ReadAloud } from './read-aloud';
import { navigate, paths } from './routes';
import { ErrorBox, Link, PageTitle, Show, errorText } from './ui';
import { useLoad } from './use-load';

export function LessonScreen(props: { slug: string; lessonSlug: string; session: SessionState }) {
  const { me } = props.session;
  const loaded = useLoad(() => api.lesson(props.slug, props.lessonSlug), `lesson:${props.slug}:${props.lessonSlug}:${me?.id ?? 0}`);
  if (loaded.state === 'error' && loaded.error instanceof api.JsonApiError && loaded.error.status === 401) {
    return (
      <>
        <PageTitle>Đăng nhập để học tiếp</PageTitle>
        <p>Bài đầu tiên của mỗi khoá ai cũng đọc được. Để học các bài tiếp theo và lưu tiến độ, bạn đăng nhập bằng số điện thoại nhé.</p>
        <Link to={paths.signIn(paths.lesson(props.slug, props.lessonSlug))} className="l-btn">
          Đăng nhập
        </Link>
      </>
    );
  }
  return <Show loaded={loaded}>{(lesson) => <LessonView lesson={lesson} signedIn={me !== null} />}</Show>;
}

function LessonView({ lesson, signedIn }: { lesson: Lesson; signedIn: boolean }) {
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const finish = async () => {
    setSaving(true);
    setProblem(null);
    try {
      const result = await api.completeLesson(lesson.courseSlug, lesson.slug);
      navigate(result.next ? paths.lesson(lesson.courseSlug, result.next) : paths.course(lesson.courseSlug));
    } catch (error) {
      if (error instanceof api.JsonApiError && error.isNetwork) {
        // Read offline: the mark is sent when the phone is online again.
        api.queueCompletion(lesson.courseSlug, lesson.slug);
        if (lesson.next) navigate(paths.lesson(lesson.courseSlug, lesson.next));
        else setProblem('Đã ghi nhận trên máy; tiến độ sẽ được lưu khi có mạng.');
      } else setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <article className="l-lesson">
      <p className="l-crumb">
        <Link to={paths.courses}>Khoá học</Link> › <Link to={paths.course(lesson.courseSlug)}>{lesson.courseTitle}</Link> › Bài {lesson.index}
      </p>
      <PageTitle sub={`Khoảng ${lesson.minutes} phút`}>{lesson.title}</PageTitle>
      <div className="l-tools">
        <ReadAloud text={`${lesson.title}. ${lesson.text}`} />
      </div>
      {lesson.video && <VideoSlot video={lesson.video} />}
      {/* Lesson HTML is rendered on the server from the course files, which are reviewed like code and allow no raw HTML. */}
      <div className="l-prose" dangerouslySetInnerHTML={{ __html: lesson.html }} />
      {problem && <ErrorBox error={new Error(problem)} />}
      <div className="l-lesson-end">
        {signedIn ? (
          lesson.done ? (
            <p className="l-alert ok">Bạn đã học xong bài này.</p>
          ) : (
            <button type="button" className="l-btn big" onClick={() => void finish()} disabled={saving}>
              {saving ? 'Đang lưu…' : 'Tôi đã học xong bài này'}
            </button>
          )
        ) : (
          <Link to={paths.signIn(paths.lesson(lesson.courseSlug, lesson.slug))} className="l-btn big">
            Đăng nhập để lưu và học tiếp
          </Link>
        )}
        <nav className="l-pager" aria-label="Chuyển bài">
          {lesson.previous ? <Link to={paths.lesson(lesson.courseSlug, lesson.previous)}>‹ Bài trước</Link> : <span />}
          {lesson.next && lesson.done ? <Link to={paths.lesson(lesson.courseSlug, lesson.next)}>Bài sau ›</Link> : <Link to={paths.course(lesson.courseSlug)}>Mục lục khoá học</Link>}
        </nav>
      </div>
    </article>
  );
}

/** The video is fetched only when the learner asks for it: a lesson page stays light on mobile data. */
function VideoSlot({ video }: { video: NonNullable<Lesson['video']> }) {
  const [playing, setPlaying] = useState(false);
  if (!video.url) {
    return (
      <figure className="l-video empty">
        <div aria-hidden="true">▶</div>
        <figcaption>Video sắp có: {video.caption}</figcaption>
      </figure>
    );
  }
  return (
    <figure className="l-video">
      {playing ? (
        <video src={video.url} controls autoPlay preload="metadata" />
      ) : (
        <button type="button" className="l-video-start" onClick={() => setPlaying(true)}>
          <span aria-hidden="true">▶</span> Xem video (tốn dung lượng mạng)
        </button>
      )}
      <figcaption>{video.caption}</figcaption>
    </figure>
  );
}
