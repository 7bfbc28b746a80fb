#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx); there is no separate CLI build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
