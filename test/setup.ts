import fc from 'fast-check';

// Property tests run with a fixed seed so CI is reproducible; set DUBSTAGE_FC_SEED to explore
// other seeds (a failure prints its seed and path, which reproduce it exactly).
fc.configureGlobal({ seed: Number(process.env.DUBSTAGE_FC_SEED ?? 20261123) });
