// The suite's line of figures: sums what each test file recorded in e2e/out/figures/
// (see recordFigures in stack.mjs) and prints one line. Run after `node --test`.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('out/figures/', import.meta.url));
const total = { bookingsMade: 0, bookingsFound: 0, duplicates: 0, axeViolations: 0, axeChecks: 0, faultsInjected: 0 };
let files = [];
try { files = (await readdir(dir)).filter((f) => f.endsWith('.json')); } catch { /* none recorded */ }
for (const f of files) {
  const figures = JSON.parse(await readFile(join(dir, f), 'utf8'));
  for (const k of Object.keys(total)) total[k] += figures[k] ?? 0;
}
console.log(`e2e figures: bookings made ${total.bookingsMade}, bookings found on the server ${total.bookingsFound}, `
  + `duplicates ${total.duplicates}, axe violations ${total.axeViolations} (in ${total.axeChecks} checks), `
  + `faults injected ${total.faultsInjected} (from ${files.length} test files)`);
