// The byte budgets of the first screens, gzip -9 (Node's zlib, as bench/bench.mjs counts), in
// bytes (KB = 1000 bytes). Written here and nowhere else: the byte gate (dist.check.mjs, run
// by scripts/test.sh after the release build) fails a build over either, and the benchmark
// prints them beside its figures.
// Raised on 2026-12-02 by "Languages" (every word from a catalogue, the loader choosing the
// language, Intl's durations, lists and zone names): 140.0 → 142.0 and 196.6 → 204.0 KB, the
// figures of that build (141.5 and 203.5 KB) with half a kilobyte to spare; BENCHMARKS.md says
// where the 4.8 and 8.1 KB went.
// Raised on 2026-12-02 by "What a studio's own booking does" (#22: contracts, coupon codes, the
// client's manage link): 142.0 → 147.3 and 204.0 → 209.1 KB, the figures of that build (146.8
// and 208.6 KB) with half a kilobyte to spare. The screens, their requests and their words'
// code are in the later steps' file; what stays in the first screen's is in BENCHMARKS.md.
// Split on 2026-12-07 by "The first screen at the speed of its data" (#27): the loader draws the
// session type list itself, before the widget's code, and carries the widget's styles, which
// left the wasm. From then on each budget only goes down: a change that needs bytes pays for
// them in the same change, and a budget is lowered to each new figure plus half a kilobyte:
// that build measured 9.7 KB (the list; the goal of 10 KB is its budget), 140.1 KB
// (the widget's code) and 208.3 KB (preselected).
// Lowered on 2026-12-07 by "Secrets in links" (#28: the loader takes a manage link out of the
// address and hands it to the widget, which no longer reads the page's query for it): the
// widget's code 140.6 → 140.4 KB (it measured 139.9 KB). The loader's 0.2 KB for it leaves the
// list at 9.99 of its 10 KB.
// Lowered on 2026-12-07 by "The house in order" (#29): iframe mode's frame is put in the page by
// a module of its own (frame-host.js), imported for iframe mode only, and the loader no longer
// carries it: the list 10.0 → 9.8 KB (it measured 9.26 KB), preselected 208.8 → 208.2 KB
// (207.6 KB), the widget's code 140.4 → 140.3 KB (139.8 KB).
export const BUDGETS = {
  // The session type list drawn before the widget's code: the loader (with the first
  // screen's styles) and first-screen.js, which draws it (the list's answer, the cover
  // images and a language file but English are fetched beside them).
  listScreen: 9_800,
  // The widget's code that takes the list over: the JS glue and the main wasm.
  widgetCode: 140_300,
  // A preselected session type: the loader, the glue, the main wasm and the date and time
  // step's files (the build's manifest).
  preselected: 208_200,
  // Each language file but English (built in), fetched beside the widget's files. Raised by
  // #22 from 3.0 KB: its 55 messages make the languages 2.3–2.9 KB and the pseudo-language
  // (40 % longer) 3.0 KB.
  languageFile: 3_500,
};
