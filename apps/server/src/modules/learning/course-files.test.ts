import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContentFileError } from '../../platform/content-file.ts';
import { BUNDLED_COURSES_DIR, loadCourseFiles, svgProblem } from './course-files.ts';

const FIXTURES = fileURLToPath(new URL('./test-courses/', import.meta.url));

/** A copy of the fixture courses with one file changed, and the problems loading it reports. */
async function problemsAfter(change: (dir: string) => Promise<void>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cds-courses-'));
  await cp(FIXTURES, dir, { recursive: true });
  await change(dir);
  try {
    await loadCourseFiles(dir);
    return [];
  } catch (error) {
    if (!(error instanceof ContentFileError)) throw error;
    return [...error.problems];
  }
}

const edit = (dir: string, file: string, from: string | RegExp, to: string) => async () => {
  const path = join(dir, file);
  await writeFile(path, (await readFile(path, 'utf8')).replace(from, to));
};

describe('the bundled courses', () => {
  it('are at least ten, all valid, each with 3–6 lessons, a picture and a bank larger than an attempt', async () => {
    const catalogue = await loadCourseFiles(BUNDLED_COURSES_DIR);
    expect(catalogue.courses.length).toBeGreaterThanOrEqual(10);
    for (const { course, lessons, quiz, images } of catalogue.courses) {
      expect(lessons.length, course.slug).toBeGreaterThanOrEqual(3);
      expect(lessons.length, course.slug).toBeLessThanOrEqual(6);
      expect(images.size, course.slug).toBeGreaterThan(0);
      expect(quiz.questions.length, course.slug).toBeGreaterThanOrEqual(course.quiz.questionsPerAttempt + 2);
      // Text in NFC: a decomposed "ệ" would not match what residents type and search.
      for (const lesson of lessons) expect(lesson.html, `${course.slug}/${lesson.slug}`).toBe(lesson.html.normalize('NFC'));
    }
    expect(catalogue.basicPath.length).toBeGreaterThanOrEqual(3);
  });
});

describe('checking course files', () => {
  it('names the file, line and reason of a broken lesson, and gathers every problem before refusing', async () => {
    const problems = await problemsAfter(async (dir) => {
      await edit(dir, 'alpha/02-hai.md', 'Đây là', '<script>alert(1)</script>\n\nĐây là')();
      await edit(dir, 'beta/01-mot.md', 'minutes: 3', 'minutes: ba')();
    });
    expect(problems).toContainEqual('alpha/02-hai.md dòng 6: không dùng HTML trong bài học');
    expect(problems).toContainEqual(expect.stringMatching(/^beta\/01-mot\.md dòng 3 \(minutes\): /));
  });

  it('refuses links that would run script or carry a page: only web, mail, phone and in-site links', async () => {
    const problems = await problemsAfter(async (dir) => {
      await edit(dir, 'alpha/01-mot.md', 'Đây là', '[bấm](javascript:alert(document.cookie)) [trang](data:text/html,x) <javascript:alert(1)> [tốt](https://dichvucong.gov.vn) Đây là')();
    });
    expect(problems.filter((p) => p.includes('liên kết chỉ được dùng'))).toHaveLength(3);
  });

  it('refuses a picture the lesson names but the course lacks, and a picture without alt text', async () => {
    expect(await problemsAfter(async () => undefined)).toEqual([]);
    const missing = await problemsAfter(async (dir) => edit(dir, 'alpha/01-mot.md', '![Ba bước làm theo](images/ba-buoc.svg)', '![](images/khong-co.svg)')());
    expect(missing).toContainEqual(expect.stringContaining('không có ảnh images/khong-co.svg trong alpha/images'));
    expect(missing).toContainEqual(expect.stringContaining('ảnh cần lời mô tả (alt)'));
  });

  it('refuses lessons numbered with a gap, a quiz with two right answers and a bank too small', async () => {
    const problems = await problemsAfter(async (dir) => {
      await cp(join(dir, 'alpha/03-ba.md'), join(dir, 'alpha/05-nam.md'));
      await edit(dir, 'beta/quiz.yaml', 'Sai 0 thứ nhất', 'Sai 0 thứ nhất\n        correct: true')();
    });
    expect(problems).toContainEqual('alpha/05-nam.md: số thứ tự phải là 04 (bài học đánh số liên tục từ 01)');
    expect(problems).toContainEqual(expect.stringMatching(/quiz\.yaml dòng \d+ \(questions\.0\.options\): Mỗi câu có đúng một phương án đúng/));
    const small = await problemsAfter(async (dir) => edit(dir, 'beta/course.yaml', 'questionsPerAttempt: 3', 'questionsPerAttempt: 4')());
    expect(small).toEqual(['beta/quiz.yaml: ngân hàng cần ít nhất 6 câu (số câu mỗi lần + 2), đang có 5']);
  });

  it('refuses a course whose slug is not its folder name', async () => {
    const renamed = await problemsAfter(async (dir) => edit(dir, 'alpha/course.yaml', 'slug: alpha', 'slug: gamma')());
    expect(renamed).toContain('alpha/course.yaml: slug "gamma" phải trùng tên thư mục "alpha"');
  });
});

describe('course pictures', () => {
  const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img"><title>Hình</title>${body}</svg>`);
  it('accept a plain drawing', () => {
    expect(svgProblem(svg('<rect width="5" height="5"/><use href="#a"/>'))).toBeNull();
  });
  it.each([
    ['a script', '<script>alert(1)</script>', /script/],
    ['an event handler', '<rect onclick="alert(1)"/>', /sự kiện/],
    ['an outside link', '<a href="https://example.com"><rect/></a>', /liên kết/],
    ['an embedded page', '<foreignObject><div/></foreignObject>', /foreignObject/],
  ])('refuse %s', (_name, body, reason) => {
    expect(svgProblem(svg(body))).toMatch(reason);
  });
  it('refuse a picture without a title for screen readers, or over 20 KB', () => {
    expect(svgProblem(Buffer.from('<svg viewBox="0 0 1 1" role="img"></svg>'))).toMatch(/title/);
    expect(svgProblem(svg(`<desc>${'x'.repeat(21 * 1024)}</desc>`))).toMatch(/20 KB/);
  });
});
