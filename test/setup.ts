// Property-based tests run with a fixed seed, so a red build is reproducible; FC_SEED=<n> explores others.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20251125) });
