import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CourseFile, LessonFrontMatter, QuizFile } from '@cds/contract';
import { Marked, type Token, type Tokens } from 'marked';
import { ContentFileError, parseYamlFile } from '../../platform/content-file.ts';

/** The courses shipped with the platform; a deployment may point CDS_COURSES_DIR elsewhere. */
export const BUNDLED_COURSES_DIR = fileURLToPath(new URL('../../../../../content/courses/', import.meta.url));

export interface LoadedLesson {
  index: number;
  slug: string;
  title: string;
  minutes: number;
  video: { url: string | null; caption: string } | null;
  html: string;
  text: string;
}

export interface LoadedCourse {
  course: CourseFile;
  lessons: LoadedLesson[];
  quiz: QuizFile;
  /** images/<name>.svg → the file's bytes, checked to be a harmless picture. */
  images: Map<string, Buffer>;
}

export interface CourseCatalogue {
  /** In the order they are listed. */
  courses: LoadedCourse[];
  bySlug: Map<string, LoadedCourse>;
  /** The "Kỹ năng số cơ bản" path: its courses, in order. */
  basicPath: string[];
}

const LESSON_FILE = /^(\d{2})-([a-z0-9][a-z0-9-]*)\.md$/;
const SAFE_LINK = /^(https?:\/\/|mailto:|tel:|\/(?!\/)|#)/i;
const MAX_SVG_BYTES = 20 * 1024;
// A lesson page must stay under 100 KB without video; text this size leaves room for the app and pictures.
const MAX_LESSON_HTML = 24 * 1024;

/** Reads every course folder; all problems of all files are gathered, then thrown together. */
export async function loadCourseFiles(dir: string): Promise<CourseCatalogue> {
  const problems: string[] = [];
  const courses: LoadedCourse[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      courses.push(await loadCourse(join(dir, entry.name), entry.name));
    } catch (error) {
      if (!(error instanceof ContentFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  const bySlug = new Map<string, LoadedCourse>();
  const orders = new Map<number, string>();
  for (const c of courses) {
    const other = orders.get(c.course.order);
    if (other) problems.push(`${c.course.slug}/course.yaml: thứ tự ${c.course.order} trùng với khoá ${other}`);
    orders.set(c.course.order, c.course.slug);
    bySlug.set(c.course.slug, c);
  }
  if (problems.length > 0) throw new ContentFileError(dir, problems);
  courses.sort((a, b) => a.course.order - b.course.order);
  return { courses, bySlug, basicPath: courses.filter((c) => c.course.basicPath).map((c) => c.course.slug) };
}

async function loadCourse(dir: string, folder: string): Promise<LoadedCourse> {
  const problems: string[] = [];
  const attempt = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ContentFileError)) throw error;
      problems.push(...error.problems.map((p) => `${folder}/${p}`));
      return undefined;
    }
  };
  const names = (await readdir(dir)).sort();
  const course = await attempt(async () => parseYamlFile(join(dir, 'course.yaml'), await readFileOr(join(dir, 'course.yaml'), 'course.yaml'), CourseFile));
  if (course && course.slug !== folder) problems.push(`${folder}/course.yaml: slug "${course.slug}" phải trùng tên thư mục "${folder}"`);

  const images = new Map<string, Buffer>();
  const imageNames = names.includes('images') && (await stat(join(dir, 'images'))).isDirectory() ? (await readdir(join(dir, 'images'))).sort() : [];
  for (const name of imageNames) {
    const bytes = await readFile(join(dir, 'images', name));
    const problem = /^[a-z0-9][a-z0-9-]*\.svg$/.test(name) ? svgProblem(bytes) : 'chỉ nhận ảnh .svg, tên chữ thường không dấu';
    if (problem) problems.push(`${folder}/images/${name}: ${problem}`);
    else images.set(`images/${name}`, bytes);
  }
  if (images.size === 0) problems.push(`${folder}: khoá học cần ít nhất một ảnh minh hoạ (images/*.svg)`);
  if (course?.cover && !images.has(course.cover)) problems.push(`${folder}/course.yaml (cover): không có tệp ${course.cover}`);

  const lessons: LoadedLesson[] = [];
  const lessonFiles = names.filter((n) => n.endsWith('.md') && n !== 'README.md');
  for (const [position, name] of lessonFiles.entries()) {
    const match = LESSON_FILE.exec(name);
    if (!match) {
      problems.push(`${folder}/${name}: tên bài học phải là NN-<tên-bài>.md (ví dụ 01-lam-quen.md)`);
      continue;
    }
    const expected = String(position + 1).padStart(2, '0');
    if (match[1] !== expected) problems.push(`${folder}/${name}: số thứ tự phải là ${expected} (bài học đánh số liên tục từ 01)`);
    const lesson = await attempt(async () => parseLesson(join(dir, name), name, await readFile(join(dir, name), 'utf8'), folder, images));
    if (lesson) lessons.push({ ...lesson, index: position + 1, slug: match[2] ?? name });
  }
  if (lessonFiles.length < 3 || lessonFiles.length > 6) problems.push(`${folder}: khoá học có 3–6 bài, đang có ${lessonFiles.length}`);

  const quiz = await attempt(async () => parseYamlFile(join(dir, 'quiz.yaml'), await readFileOr(join(dir, 'quiz.yaml'), 'quiz.yaml'), QuizFile));
  if (quiz && course) {
    const ids = new Set<string>();
    for (const q of quiz.questions) {
      if (ids.has(q.id)) problems.push(`${folder}/quiz.yaml: mã câu hỏi "${q.id}" bị trùng`);
      ids.add(q.id);
    }
    const needed = course.quiz.questionsPerAttempt + 2;
    if (quiz.questions.length < needed) problems.push(`${folder}/quiz.yaml: ngân hàng cần ít nhất ${needed} câu (số câu mỗi lần + 2), đang có ${quiz.questions.length}`);
  }
  if (problems.length > 0 || !course || !quiz) throw new ContentFileError(dir, problems);
  return { course, lessons, quiz, images };
}

async function readFileOr(path: string, name: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new ContentFileError(path, [`${name}: thiếu tệp`]);
  }
}

function parseLesson(path: string, name: string, source: string, folder: string, images: Map<string, Buffer>): Omit<LoadedLesson, 'index' | 'slug'> {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const fence = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!fence) throw new ContentFileError(path, [`${name} dòng 1: bài học phải bắt đầu bằng phần đầu YAML giữa hai dòng ---`]);
  const front = parseYamlFile(path, fence[1] ?? '', LessonFrontMatter, 2);
  const body = text.slice(fence[0].length);
  const bodyLine = fence[0].split('\n').length;
  const problems: string[] = [];
  const marked = new Marked({ gfm: true });
  const tokens = marked.lexer(body);
  const lineOf = (raw: string) => bodyLine + body.slice(0, Math.max(0, body.indexOf(raw))).split('\n').length - 1;
  marked.walkTokens(tokens, (token: Token) => {
    if (token.type === 'html') problems.push(`${name} dòng ${lineOf(token.raw)}: không dùng HTML trong bài học`);
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 1) problems.push(`${name} dòng ${lineOf(token.raw)}: tiêu đề bài lấy từ "title:", trong bài chỉ dùng từ ##`);
    // Lesson HTML is put on the page as it is: a javascript: or data: link would run as the learner.
    if (token.type === 'link' && !SAFE_LINK.test((token as Tokens.Link).href)) {
      problems.push(`${name} dòng ${lineOf(token.raw)}: liên kết chỉ được dùng https://, http://, mailto:, tel: hoặc đường dẫn trong trang`);
    }
    if (token.type === 'image') {
      const image = token as Tokens.Image;
      if (!images.has(image.href)) problems.push(`${name} dòng ${lineOf(token.raw)}: không có ảnh ${image.href} trong ${folder}/images`);
      if (image.text.trim().length < 5) problems.push(`${name} dòng ${lineOf(token.raw)}: ảnh cần lời mô tả (alt) nói ảnh dạy điều gì`);
    }
  });
  const html = marked.parser(tokens, {
    ...marked.defaults,
    renderer: Object.assign(new (marked.Renderer)(), {
      image({ href, text: alt }: Tokens.Image) {
        return `<img src="/api/courses/${folder}/${escapeAttr(href)}" alt="${escapeAttr(alt)}" loading="lazy" decoding="async">`;
      },
      link(this: { parser: { parseInline(t: Token[]): string } }, { href, tokens: inner }: Tokens.Link) {
        const external = /^https?:\/\//.test(href);
        return `<a href="${escapeAttr(href)}"${external ? ' target="_blank" rel="noopener noreferrer"' : ''}>${this.parser.parseInline(inner)}</a>`;
      },
    }),
  });
  if (html.length > MAX_LESSON_HTML) problems.push(`${name}: bài quá dài (${Math.round(html.length / 1024)} KB); tách thành hai bài`);
  if (problems.length > 0) throw new ContentFileError(path, problems);
  return {
    title: front.title,
    minutes: front.minutes,
    video: front.video ? { url: front.video.url ?? null, caption: front.video.caption } : null,
    html,
    text: plainText(html),
  };
}

/** What a screen reader or the read-aloud voice says: the words, without tags. */
function plainText(html: string): string {
  return html
    .replace(/<img [^>]*alt="([^"]*)"[^>]*>/g, ' Hình: $1. ')
    .replace(/<\/(p|li|h\d|blockquote)>/g, '. ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s*\.\s*(\.\s*)+/g, '. ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Course pictures are served from our own origin, so an SVG must be a picture and nothing else:
 * no script, no event handler, nothing fetched from elsewhere.
 */
export function svgProblem(bytes: Buffer): string | null {
  if (bytes.length > MAX_SVG_BYTES) return `ảnh ${Math.round(bytes.length / 1024)} KB, quá giới hạn 20 KB`;
  const svg = bytes.toString('utf8');
  if (!/<svg[\s>]/.test(svg)) return 'không phải tệp SVG';
  if (/<script|<foreignObject|<iframe|<image[\s>]|javascript:/i.test(svg)) return 'SVG không được chứa script, foreignObject, iframe hay ảnh nhúng';
  if (/\son[a-z]+\s*=/i.test(svg)) return 'SVG không được chứa thuộc tính sự kiện (on…=)';
  if (/(?:xlink:)?href\s*=\s*["'](?!#)/i.test(svg)) return 'SVG chỉ được liên kết tới phần tử trong chính nó (href="#…")';
  if (!/viewBox\s*=/.test(svg)) return 'SVG cần viewBox để co giãn theo màn hình';
  if (!/role\s*=\s*["']img["']/.test(svg) || !/<title[\s>]/.test(svg)) return 'SVG cần role="img" và <title> tiếng Việt cho trình đọc màn hình';
  return null;
}
