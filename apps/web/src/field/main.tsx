import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FieldApp } from './app';
import { registerFieldWorker } from './pwa';
import './field.css';

// The field app's own entry (field.html): none of the officials' app (router, query client, charts,
// dictionaries) is imported, so the first load stays small on a phone over 3G.
const root = document.getElementById('field-root');
if (!root) throw new Error('field.html has no #field-root');
createRoot(root).render(
  <StrictMode>
    <FieldApp />
  </StrictMode>,
);
registerFieldWorker();
