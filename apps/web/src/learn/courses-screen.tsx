import type { CourseSummary } from '@cds/contract';
import * as api from './api';
import type { SessionState } from './app';
import { paths } from './routes';
import { Link, PageTitle, ProgressBar, Show } from './ui';
import { useLoad } from './use-load';

export function CoursesScreen(props: { session: SessionState }) {
  const { me } = props.session;
  const list = useLoad(api.courses, `courses:${me?.id ?? 0}`);
  return (
    <>
      <PageTitle sub="Những bài học ngắn, dễ hiểu, làm theo được ngay trên điện thoại của bạn.">Học kỹ năng số</PageTitle>
      <Show loaded={list}>
        {(data) => {
          const path = data.courses.filter((c) => c.basicPath);
          const pathDone = path.filter((c) => c.progress?.passed).length;
          return (
            <>
              <section className="l-card l-path" aria-labelledby="path-title">
                <h2 id="path-title">Lộ trình Kỹ năng số cơ bản</h2>
                <p>
                  Học xong {path.length} khoá có dấu <span className="l-tag">Cơ bản</span> để được xác nhận <strong>đạt kỹ năng số cơ bản</strong>.
                </p>
                {me ? (
                  <>
                    <ProgressBar done={pathDone} total={path.length} label="Tiến độ lộ trình cơ bản" />
                    <p className="l-muted">
                      Đã xong {pathDone}/{path.length} khoá.
                      {data.basicPath.certificateCode && (
                        <>
                          {' '}
                          <Link to={paths.me}>Xem giấy chứng nhận của bạn</Link>
                        </>
                      )}
                    </p>
                  </>
                ) : (
                  <p>
                    <Link to={paths.signIn(paths.courses)} className="l-btn">
                      Đăng nhập bằng số điện thoại
                    </Link>
                  </p>
                )}
              </section>
              <ul className="l-course-list">
                {data.courses.map((c) => (
                  <CourseCard key={c.slug} course={c} />
                ))}
              </ul>
            </>
          );
        }}
      </Show>
    </>
  );
}

function CourseCard({ course }: { course: CourseSummary }) {
  const done = course.progress?.lessonsDone ?? 0;
  return (
    <li className="l-card l-course">
      {course.coverUrl && <img src={course.coverUrl} alt="" width="96" height="64" loading="lazy" />}
      <div>
        <h2>
          <Link to={paths.course(course.slug)}>{course.title}</Link>
        </h2>
        <p>{course.summary}</p>
        <p className="l-meta">
          {course.basicPath && <span className="l-tag">Cơ bản</span>} {course.lessonCount} bài · khoảng {course.minutes} phút
          {course.progress?.passed && <span className="l-tag ok">Đã đạt</span>}
        </p>
        {course.progress && !course.progress.passed && done > 0 && <ProgressBar done={done} total={course.lessonCount} label={`Tiến độ khoá ${course.title}`} />}
      </div>
    </li>
  );
}
