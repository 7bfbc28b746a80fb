import { randomBytes } from 'node:crypto';
import type { CertificatePublic } from '@cds/contract';
import { certificates, facts, provinces, residents, users } from '@cds/db';
import { certificateCodeFrom, normaliseCertificateCode, type Indicator } from '@cds/domain';
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { holdsRecordStrongly } from '../access/policy.ts';
import { recordAudit, type AuditWho } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { renderCertificatePdfInThread } from './certificate-pdf-thread.ts';
import type { CourseCatalogue, LoadedCourse } from './course-files.ts';

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

export const BASIC_PATH_TITLE = 'Kỹ năng số cơ bản';

type CertificateRow = typeof certificates.$inferSelect;

async function issuerOf(db: Pick<AppDeps['db'], 'select'>, provinceCode: string): Promise<{ issuer: string; place: string }> {
  const [province] = await db.select({ fullName: provinces.fullName }).from(provinces).where(eq(provinces.code, provinceCode));
  const place = province?.fullName ?? 'Thành phố';
  return { issuer: `Ủy ban nhân dân ${place}`, place };
}

async function present(db: Pick<AppDeps['db'], 'select'>, row: CertificateRow): Promise<CertificatePublic> {
  return {
    code: row.code,
    learnerName: row.learnerName,
    title: row.title,
    kind: row.kind,
    issuedOn: row.issuedOn,
    issuer: (await issuerOf(db, row.provinceCode)).issuer,
    nameVerified: row.nameVerified,
  };
}

/**
 * What passing gives: the course's certificate, and the basic-skills path's once every course of
 * the path is passed. Issued in the grading transaction, once per learner and course (a unique
 * index), so passing again returns the same certificate. A learner linked to a registry record
 * gets the skills facts that the plans count ("trained in basic skills", and with the path,
 * "certified basic digital literacy").
 */
export async function issueForPass(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  catalogue: CourseCatalogue,
  course: LoadedCourse,
  attemptId: number,
): Promise<{ courseCode: string; pathCode: string | null }> {
  // The learner's row is locked first: two passes handed in at once (two tabs, the last two
  // courses of the path) are issued one after the other, so each sees the other's certificate.
  const [user] = await tx
    .select({ displayName: users.displayName, residentId: users.residentId, provinceCode: users.provinceCode })
    .from(users)
    .where(eq(users.id, actor.userId))
    .for('update');
  if (!user) throw new AppError('UNAUTHENTICATED');
  const today = deps.today();
  // Only a record held by a verified link vouches for the name: a reused phone would put the
  // record's owner's name on a stranger's certificate.
  const nameVerified = holdsRecordStrongly(actor);
  // A linked learner is named as the registry names them; otherwise as they named themselves.
  const [record] = actor.residentId === null ? [] : await tx.select({ fullName: residents.fullName }).from(residents).where(and(eq(residents.provinceCode, user.provinceCode), eq(residents.id, actor.residentId)));
  const learnerName = record?.fullName ?? user.displayName;
  const base = { userId: actor.userId, provinceCode: user.provinceCode, residentId: actor.residentId, learnerName, nameVerified, issuedOn: today };
  const courseCode = await insertOnce(tx, { ...base, kind: 'course', courseSlug: course.course.slug, title: course.course.title, attemptId });
  const passed = await tx.select({ course: certificates.courseSlug }).from(certificates).where(and(eq(certificates.userId, actor.userId), eq(certificates.kind, 'course')));
  const passedSlugs = new Set(passed.map((p) => p.course));
  const pathDone = catalogue.basicPath.length > 0 && catalogue.basicPath.every((slug) => passedSlugs.has(slug));
  const pathCode = pathDone ? await insertOnce(tx, { ...base, kind: 'basic_path', courseSlug: null, title: BASIC_PATH_TITLE, attemptId }) : null;
  if (actor.residentId !== null) {
    await recordSkillFacts(tx, actor, user.provinceCode, actor.residentId, pathDone ? ['basic_skills_trained', 'digital_literacy_certified'] : ['basic_skills_trained'], today, courseCode);
  }
  return { courseCode: courseCode.code, pathCode: pathCode?.code ?? null };
}

async function insertOnce(tx: Tx, values: Omit<typeof certificates.$inferInsert, 'code'>): Promise<{ code: string; created: boolean }> {
  const existing = await tx
    .select({ code: certificates.code })
    .from(certificates)
    .where(and(eq(certificates.userId, values.userId), eq(certificates.kind, values.kind), values.courseSlug ? eq(certificates.courseSlug, values.courseSlug) : undefined));
  if (existing[0]) return { code: existing[0].code, created: false };
  const code = certificateCodeFrom(randomBytes(7));
  const [inserted] = await tx.insert(certificates).values({ ...values, code }).onConflictDoNothing().returning({ code: certificates.code });
  if (inserted) return { code: inserted.code, created: true };
  return insertOnce(tx, values);
}

/** The skills facts a certificate proves, each stated once: a fact already true from a course is not repeated. */
async function recordSkillFacts(tx: Tx, actor: Actor, provinceCode: string, residentId: number, indicators: Indicator[], observedOn: string, certificate: { code: string }) {
  const already = await tx
    .select({ indicator: facts.indicator })
    .from(facts)
    .where(and(courseFactsNotWithdrawn(provinceCode), eq(facts.residentId, residentId), inArray(facts.indicator, indicators), eq(facts.value, 'true')));
  const missing = indicators.filter((i) => !already.some((a) => a.indicator === i));
  if (missing.length === 0) return;
  const [record] = await tx.select({ unitCode: residents.unitCode }).from(residents).where(and(eq(residents.provinceCode, provinceCode), eq(residents.id, residentId)));
  const figures = await IndicatorChange.begin(tx, { provinceCode, residentIds: [residentId] });
  await tx.insert(facts).values(
    missing.map((indicator) => ({ provinceCode, residentId, indicator, value: 'true', sourceKind: 'course' as const, sourceRef: `chứng nhận ${certificate.code}`, statedBy: actor.userId, observedOn })),
  );
  await figures.commit(tx);
  await recordAudit(tx, actor, { action: 'create', recordType: 'resident', recordIds: [residentId], unitCodes: record ? [record.unitCode] : [], fields: missing.map((i) => `facts.${i}`), detail: { certificate: certificate.code } });
}

/**
 * Facts from courses that have not been withdrawn (and are not a withdrawal). A fact an official
 * corrected still counts as said: a later pass must not state it again over the correction.
 */
function courseFactsNotWithdrawn(provinceCode: string): SQL {
  return sql`${facts.provinceCode} = ${provinceCode} AND ${facts.sourceKind} = 'course' AND NOT ${facts.retracts}
    AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = ${facts.provinceCode} AND c.corrects_fact_id = ${facts.id} AND c.retracts)`;
}

/**
 * An account lets go of the registry record it held: it moves to another record, a verified
 * owner takes the record over, or an official removes the link. The skills facts its passes
 * stated are withdrawn (facts are append-only: a retraction names each), so no record counts as
 * trained for courses somebody else passed, and the figures follow. Found by the account that
 * stated them, not by record: a record merged since, or facts left on an older record before
 * withdrawals existed, are covered too. Its certificates stay its own and bring their facts to
 * the next record it links (catchUpSkillFacts). Inside the caller's transaction.
 */
export async function withdrawAccountSkillFacts(tx: Tx, who: AuditWho | Actor, account: { userId: number; provinceCode: string }, reason: string): Promise<void> {
  const { userId, provinceCode } = account;
  await tx.update(certificates).set({ residentId: null }).where(eq(certificates.userId, userId));
  const stated = await tx
    .select()
    .from(facts)
    .where(and(courseFactsNotWithdrawn(provinceCode), eq(facts.statedBy, userId)));
  const residentIds = [...new Set(stated.flatMap((f) => (f.residentId === null ? [] : [f.residentId])))];
  if (residentIds.length === 0) return;
  const records = await tx
    .select({ id: residents.id, unitCode: residents.unitCode, mergedIntoId: residents.mergedIntoId })
    .from(residents)
    .where(and(eq(residents.provinceCode, provinceCode), inArray(residents.id, residentIds)));
  // A merged record's facts count for the record it was merged into, whose household may be another.
  const counted = [...new Set([...residentIds, ...records.flatMap((r) => (r.mergedIntoId === null ? [] : [r.mergedIntoId]))])];
  const figures = await IndicatorChange.begin(tx, { provinceCode, residentIds: counted });
  await tx.insert(facts).values(
    stated.map((f) => ({
      provinceCode,
      residentId: f.residentId,
      indicator: f.indicator,
      value: f.value,
      sourceKind: 'course' as const,
      sourceRef: `Rút lại ${f.sourceRef ?? 'kết quả học'}`,
      statedBy: who.userId,
      observedOn: f.observedOn,
      correctsFactId: f.id,
      retracts: true,
      note: reason,
    })),
  );
  await figures.commit(tx);
  await recordAudit(tx, who, {
    action: 'withdraw_facts',
    recordType: 'resident',
    recordIds: residentIds,
    unitCodes: [...new Set(records.map((r) => r.unitCode))],
    fields: [...new Set(stated.map((f) => `facts.${f.indicator}`))],
    detail: { account: userId, reason, factIds: stated.map((f) => f.id) },
  });
}

/**
 * When a learner's account is linked to a registry record after they passed courses (by typing
 * their ID, or at a later sign-in), the record gains the facts their certificates prove, as if it
 * had been linked all along.
 */
export async function catchUpSkillFacts(deps: AppDeps, actor: Actor): Promise<void> {
  const residentId = actor.residentId;
  if (residentId === null) return;
  const rows = await deps.db.select().from(certificates).where(and(eq(certificates.userId, actor.userId), isNull(certificates.residentId)));
  const course = rows.find((r) => r.kind === 'course');
  if (!course) return;
  const path = rows.find((r) => r.kind === 'basic_path');
  await deps.db.transaction(async (tx) => {
    await tx.update(certificates).set({ residentId }).where(and(eq(certificates.userId, actor.userId), isNull(certificates.residentId)));
    await recordSkillFacts(tx, actor, actor.provinceCode, residentId, path ? ['basic_skills_trained', 'digital_literacy_certified'] : ['basic_skills_trained'], deps.today(), path ?? course);
  });
}

/**
 * The public check behind the QR code: a real code answers with what the certificate states
 * (name, title, date, issuer) and nothing more; anything else is 404, a mistyped code as well as a
 * forged one. Each check is logged, as a read of a personal name.
 */
export async function verifyCertificate(deps: AppDeps, rawCode: string, origin: { ip: string | null; userAgent: string | null }): Promise<CertificatePublic> {
  const code = normaliseCertificateCode(rawCode);
  const [row] = code ? await deps.db.select().from(certificates).where(eq(certificates.code, code)) : [];
  await recordAudit(deps.db, { userId: null, username: 'xác minh công khai', role: null, ...origin }, { action: row ? 'verify_certificate' : 'verify_certificate_failed', recordType: 'certificate', detail: { code: rawCode.slice(0, 40) } });
  if (!row) throw new AppError('NOT_FOUND', undefined, 'Không có giấy chứng nhận nào mang mã này: mã sai hoặc giấy chứng nhận giả');
  return present(deps.db, row);
}

export async function myCertificates(deps: AppDeps, actor: Actor): Promise<CertificatePublic[]> {
  const rows = await deps.db.select().from(certificates).where(eq(certificates.userId, actor.userId)).orderBy(certificates.issuedAt);
  return Promise.all(rows.map((row) => present(deps.db, row)));
}

// A certificate never changes once issued, and rendering one costs ~60 ms of a worker thread
// (fontkit subsetting the embedded fonts): a class downloading at once is served from here.
const renderedPdfs = new Map<string, Buffer>();
const RENDERED_PDFS_KEPT = 200;

/** The PDF of one's own certificate; the QR code on it leads to the public check. */
export async function certificatePdf(deps: AppDeps, actor: Actor, rawCode: string, siteOrigin: string): Promise<{ code: string; pdf: Buffer }> {
  const code = normaliseCertificateCode(rawCode);
  const [row] = code ? await deps.db.select().from(certificates).where(and(eq(certificates.code, code), eq(certificates.userId, actor.userId))) : [];
  if (!row) throw new AppError('NOT_FOUND');
  const verifyUrl = `${siteOrigin}/learn/verify/${row.code}`;
  const key = `${row.code} ${verifyUrl}`;
  const kept = renderedPdfs.get(key);
  if (kept) return { code: row.code, pdf: kept };
  const { issuer, place } = await issuerOf(deps.db, row.provinceCode);
  const pdf = await renderCertificatePdfInThread({
    code: row.code,
    learnerName: row.learnerName,
    title: row.title,
    kind: row.kind,
    issuedOn: row.issuedOn,
    issuer,
    place,
    verifyUrl,
  });
  if (renderedPdfs.size >= RENDERED_PDFS_KEPT) renderedPdfs.delete(renderedPdfs.keys().next().value ?? '');
  renderedPdfs.set(key, pdf);
  return { code: row.code, pdf };
}
