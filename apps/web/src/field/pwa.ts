import { Workbox } from 'workbox-window';

// The service worker (built by vite-plugin-pwa as /field-sw.js) controls /field/ only. A new version
// waits until the volunteer chooses to update: visits are already in IndexedDB, so the reload loses
// nothing, but a half-filled form would be lost, so the prompt is not shown on the visit form.
let workbox: Workbox | null = null;
let updateReady = false;
const listeners = new Set<() => void>();

export function registerFieldWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  workbox = new Workbox('/field-sw.js', { scope: '/field/' });
  workbox.addEventListener('waiting', () => {
    updateReady = true;
    for (const listener of listeners) listener();
  });
  void workbox.register();
}

export function subscribeUpdate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isUpdateReady(): boolean {
  return updateReady;
}

export function applyUpdate(): void {
  if (!workbox) {
    location.reload();
    return;
  }
  workbox.addEventListener('controlling', () => location.reload());
  workbox.messageSkipWaiting();
}
