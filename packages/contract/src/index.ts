export * from './common.ts';
export * from './access.ts';
export * from './units.ts';
export * from './registry.ts';
export * from './audit.ts';
export * from './imports.ts';
export * from './quality.ts';
export * from './merges.ts';
export * from './plans.ts';
export * from './field.ts';
export * from './field-handover.ts';
export * from './devices.ts';
export * from './learning.ts';
export * from './competitions.ts';

import { z } from 'zod';
// Validation messages in Vietnamese first: they reach officials and volunteers as they are.
z.config(z.locales.vi());

