export * from './vietnamese-text.ts';
export * from './citizen-id.ts';
export * from './phone.ts';
export * from './indicators.ts';
export * from './elements.ts';
export * from './synthetic-population.ts';
