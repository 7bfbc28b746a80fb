import type { LoginResponse } from '@cds/contract';
import { deviceLabel, enrolDevice, fetchBundle, FieldApiError, signOut } from './api';
import { db, type FieldDb, type SessionInfo, type SyncState } from './db';

/**
 * After a sign-in (or joining a team): enrol this phone unless it already is for this user, and
 * download the households. The outbox is never touched here: a volunteer whose session ran out signs
 * in again and their waiting visits go out with the same device token.
 */
export async function establishSession(login: LoginResponse, store: FieldDb = db): Promise<SessionInfo> {
  const previous = await store.getMeta<SessionInfo>('session');
  if (previous && previous.userId !== login.user.id) {
    const waiting = await store.outbox.where('status').equals('waiting').count();
    if (waiting > 0) {
      await signOut();
      throw new FieldApiError(
        409,
        'OTHER_USER_OUTBOX',
        `Máy này còn ${waiting} phiếu chưa gửi của ${previous.displayName}. Hãy đăng nhập bằng tài khoản đó để gửi trước.`,
      );
    }
  }
  const reuse = previous && previous.userId === login.user.id ? previous : null;
  let session: SessionInfo = reuse ?? (await enrol(login));
  let bundle;
  try {
    bundle = await fetchBundle(session.deviceToken);
  } catch (error) {
    // The kept token is no longer known or was revoked: a fresh sign-in enrols this phone anew.
    if (!reuse || !(error instanceof FieldApiError) || !['DEVICE_REQUIRED', 'DEVICE_REVOKED', 'UNAUTHENTICATED'].includes(error.code)) throw error;
    session = await enrol(login);
    bundle = await fetchBundle(session.deviceToken);
  }
  // Households first: the list screen opens as soon as a session is there, and must not open empty.
  await store.storeBundle(bundle);
  await store.setMeta('session', session);
  const sync = (await store.getMeta<SyncState>('sync')) ?? { lastSyncAt: null, lastError: null, block: null };
  await store.setMeta('sync', { ...sync, block: null, lastError: null } satisfies SyncState);
  return session;
}

async function enrol(login: LoginResponse): Promise<SessionInfo> {
  const device = await enrolDevice(deviceLabel(navigator.userAgent));
  return {
    userId: login.user.id,
    username: login.user.username,
    displayName: login.user.displayName,
    role: login.user.role,
    deviceId: device.deviceId,
    deviceToken: device.deviceToken,
  };
}

/** Signing out forgets the session and households, but only when nothing is waiting to be sent. */
export async function forgetSession(store: FieldDb = db): Promise<boolean> {
  const waiting = await store.outbox.where('status').equals('waiting').count();
  if (waiting > 0) return false;
  await signOut();
  await store.transaction('rw', store.meta, store.households, async () => {
    await store.meta.clear();
    await store.households.clear();
  });
  return true;
}
