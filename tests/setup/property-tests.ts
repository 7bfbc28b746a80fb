import fc from 'fast-check';

// Property tests explore the same cases on every run, so CI is repeatable; set FC_SEED to explore others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
