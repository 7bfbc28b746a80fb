import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// The server and CLI run TypeScript through tsx; a worker thread starts without its hooks, so it
// registers them before loading its entry (the same call bin/server.mjs makes).
// The ESM build of the API, as bin/server.mjs imports it (its exports map's "import" condition);
// Vitest's module runner has no import.meta.resolve, hence the fallback through require's answer.
const tsxApi =
  typeof import.meta.resolve === 'function'
    ? import.meta.resolve('tsx/esm/api')
    : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;

/** A worker thread running a TypeScript module (`entry`, e.g. new URL('./x.worker.ts', import.meta.url)). */
export function startTypeScriptWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
