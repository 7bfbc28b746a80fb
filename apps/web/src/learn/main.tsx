import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LearnApp } from './app';
import './learn.css';

// The learning site's own entry (learn.html): none of the officials' app is imported, so a
// lesson opens on a cheap phone over a slow line (a lesson page without video stays under 100 KB).
const root = document.getElementById('learn-root');
if (!root) throw new Error('learn.html has no #learn-root');
createRoot(root).render(
  <StrictMode>
    <LearnApp />
  </StrictMode>,
);
if ('serviceWorker' in navigator && !import.meta.env.DEV) {
  void navigator.serviceWorker.register('/learn-sw.js', { scope: '/learn/' }).catch(() => undefined);
}
