import type {
  CertificatePublic,
  CourseDetail,
  CourseList,
  LearnerProfile,
  Lesson,
  LoginResponse,
  PublicCompetitionList,
  QuizAttempt,
  QuizResult,
  ResidentDetail,
} from '@cds/contract';
import { JsonApiError, jsonCall, setCsrf } from '../shared/light/json-call';

export { JsonApiError };

function call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  return jsonCall<T>(method, path, {
    ...(body === undefined ? {} : { body }),
    networkMessage: 'Không có mạng. Bài đã mở vẫn đọc được; tiến độ sẽ được lưu khi có mạng lại.',
    busyMessage: 'Máy chủ đang bận; bạn thử lại sau ít phút nhé.',
  });
}

export async function currentSession(): Promise<LoginResponse | null> {
  try {
    const session = await call<LoginResponse>('GET', '/api/auth/session');
    setCsrf(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof JsonApiError && error.status === 401) return null;
    throw error;
  }
}

export const providers = () => call<{ otp: boolean; oidc: { label: string; startUrl: string } | null }>('GET', '/api/auth/providers');
export const requestCode = (phone: string) => call<{ sentTo: string; expiresInSeconds: number; resendInSeconds: number }>('POST', '/api/auth/otp/request', { phone });

export async function verifyCode(phone: string, code: string): Promise<LoginResponse> {
  const answer = await call<LoginResponse>('POST', '/api/auth/otp/verify', { phone, code });
  setCsrf(answer.csrfToken);
  return answer;
}

export async function signOut(): Promise<void> {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  setCsrf(null);
  localStorage.removeItem(PENDING);
  navigator.serviceWorker?.controller?.postMessage('learn:sign-out');
}

export const courses = () => call<CourseList>('GET', '/api/courses');
export const course = (slug: string) => call<CourseDetail>('GET', `/api/courses/${slug}`);
export const lesson = (slug: string, lessonSlug: string) => call<Lesson>('GET', `/api/courses/${slug}/lessons/${lessonSlug}`);
export const completeLesson = (slug: string, lessonSlug: string) =>
  call<{ lessonsDone: number; lessonCount: number; next: string | null }>('POST', `/api/courses/${slug}/lessons/${lessonSlug}/complete`);
export const startQuiz = (slug: string) => call<QuizAttempt>('POST', `/api/courses/${slug}/quiz`);
export const submitQuiz = (slug: string, attemptId: number, answers: { questionId: string; optionKey: string }[]) =>
  call<QuizResult>('POST', `/api/courses/${slug}/quiz/${attemptId}/submit`, { answers });
export const myCertificates = () => call<{ certificates: CertificatePublic[] }>('GET', '/api/certificates');
export const verifyCertificate = (code: string) => call<CertificatePublic>('GET', `/api/certificates/${encodeURIComponent(code)}/verify`);
export const profile = () => call<LearnerProfile>('GET', '/api/learn/profile');
export const rename = (displayName: string) => call('PATCH', '/api/learn/profile', { displayName });
export const linkRecord = (citizenId: string, birthDate: string) => call('POST', '/api/learn/link-record', { citizenId, birthDate });
export const ownRecord = (residentId: number) => call<ResidentDetail>('GET', `/api/residents/${residentId}`);
export const requestVisit = (note: string) => call<{ id: number; alreadyOpen: boolean }>('POST', '/api/learn/visit-request', note ? { note } : {});
export type Circumstance = 'disability' | 'pupil' | 'single_parent';
export const requestDevice = (householdId: number, residentId: number, note: string, circumstances: readonly Circumstance[]) =>
  call<{ id: number; alreadyOpen: boolean }>('POST', '/api/devices/requests', { householdId, residentId, circumstances, ...(note ? { note } : {}) });

/**
 * Lessons read without network are marked done later: the marks wait in localStorage and are sent
 * when the phone is online again (the server ignores a mark it already has).
 */
const PENDING = 'learn.pendingCompletions';

export function queueCompletion(slug: string, lessonSlug: string): void {
  const pending = readPending();
  if (!pending.some((p) => p.slug === slug && p.lesson === lessonSlug)) pending.push({ slug, lesson: lessonSlug });
  localStorage.setItem(PENDING, JSON.stringify(pending));
}

function readPending(): { slug: string; lesson: string }[] {
  try {
    return JSON.parse(localStorage.getItem(PENDING) ?? '[]') as { slug: string; lesson: string }[];
  } catch {
    return [];
  }
}

export async function flushCompletions(): Promise<number> {
  const pending = readPending();
  let sent = 0;
  for (const item of pending) {
    try {
      await completeLesson(item.slug, item.lesson);
      sent++;
    } catch (error) {
      // Offline again, or the session ended: keep the rest for next time. A refusal (a lesson no
      // longer open) is dropped.
      if (error instanceof JsonApiError && (error.isNetwork || error.status === 401)) break;
      sent++;
    }
  }
  localStorage.setItem(PENDING, JSON.stringify(pending.slice(sent)));
  return sent;
}


/** The public standings of competitions: counts and rates by unit, never a name. */
export const publicCompetitions = () => call<PublicCompetitionList>('GET', '/api/public/competitions');
