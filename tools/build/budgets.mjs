// The byte budgets of the first screens, gzip -9 (Node's zlib, as bench/bench.mjs counts), in
// bytes (KB = 1000 bytes). Written here and nowhere else: the byte gate (dist.check.mjs, run
// by scripts/test.sh after the release build) fails a build over either, and the benchmark
// prints them beside its figures.
export const BUDGETS = {
  // The default embed: the loader, the JS glue and the main wasm, before the session type list shows.
  sessionTypeList: 140_000,
  // A preselected session type: those and the date and time step's files (the build's manifest).
  preselected: 196_600,
  // Each language file but English (built in), fetched beside the widget's files.
  languageFile: 3_000,
};
