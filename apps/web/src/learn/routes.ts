// The learning site's screens under /learn/ (navigation is shared with the field app).
export { navigate, usePathname } from '../shared/light/path-router';

export type Route =
  | { name: 'courses' }
  | { name: 'course'; slug: string }
  | { name: 'lesson'; slug: string; lesson: string }
  | { name: 'quiz'; slug: string }
  | { name: 'sign-in' }
  | { name: 'me' }
  | { name: 'competitions' }
  | { name: 'verify'; code: string | null }
  | { name: 'not-found' };

export const paths = {
  courses: '/learn/',
  course: (slug: string) => `/learn/courses/${slug}`,
  lesson: (slug: string, lesson: string) => `/learn/courses/${slug}/lessons/${lesson}`,
  quiz: (slug: string) => `/learn/courses/${slug}/quiz`,
  signIn: (next?: string) => (next ? `/learn/sign-in?next=${encodeURIComponent(next)}` : '/learn/sign-in'),
  me: '/learn/me',
  competitions: '/learn/competitions',
  verify: (code?: string) => (code ? `/learn/verify/${encodeURIComponent(code)}` : '/learn/verify'),
};

const SLUG = '([a-z0-9][a-z0-9-]*)';

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/learn') return { name: 'courses' };
  if (path === '/learn/sign-in') return { name: 'sign-in' };
  if (path === '/learn/me') return { name: 'me' };
  if (path === '/learn/competitions') return { name: 'competitions' };
  if (path === '/learn/verify') return { name: 'verify', code: null };
  let m = new RegExp(`^/learn/verify/([^/]+)$`).exec(path);
  if (m) return { name: 'verify', code: decodeURIComponent(m[1] ?? '') };
  m = new RegExp(`^/learn/courses/${SLUG}$`).exec(path);
  if (m) return { name: 'course', slug: m[1] ?? '' };
  m = new RegExp(`^/learn/courses/${SLUG}/quiz$`).exec(path);
  if (m) return { name: 'quiz', slug: m[1] ?? '' };
  m = new RegExp(`^/learn/courses/${SLUG}/lessons/${SLUG}$`).exec(path);
  if (m) return { name: 'lesson', slug: m[1] ?? '', lesson: m[2] ?? '' };
  return { name: 'not-found' };
}
