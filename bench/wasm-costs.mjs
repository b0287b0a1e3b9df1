// What each crate costs in the widget's wasm: reads the code section and the "name" section
// of a wasm file (the release build before wasm-bindgen and wasm-opt, which still has its
// function names), demangles Rust's names and adds up function body sizes by crate. Also
// the data section (strings, the stylesheet, tables). No tool beyond Node.
//
//   node bench/wasm-costs.mjs target/wasm32-unknown-unknown/release/studio_booking.wasm [top]
import { readFileSync } from 'node:fs';

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(bytes, pos) {
  let value = 0; let shift = 0; let byte;
  do { byte = bytes[pos++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, pos];
}

/** The function bodies' sizes by function index, the names by index, and section sizes. */
export function readWasm(bytes) {
  let pos = 8;
  let importedFunctions = 0;
  const bodies = [];
  const names = new Map();
  const sections = {};
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size; [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 2) { // imports: count the functions, which come first in the index space
      let p = pos; let n; [n, p] = leb(bytes, p);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) { let len; [len, p] = leb(bytes, p); p += len; }
        const kind = bytes[p++];
        if (kind === 0) { importedFunctions++; [, p] = leb(bytes, p); }
        else if (kind === 1) { p++; const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 2) { const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 3) { p += 2; }
        else if (kind === 4) { p++; [, p] = leb(bytes, p); }
      }
    } else if (id === 10) {
      let p = pos; let n; [n, p] = leb(bytes, p);
      for (let i = 0; i < n; i++) { let len; [len, p] = leb(bytes, p); bodies.push(len); p += len; }
    } else if (id === 0) {
      let p = pos; let len; [len, p] = leb(bytes, p);
      const name = new TextDecoder().decode(bytes.subarray(p, p + len)); p += len;
      sections[`custom:${name}`] = size;
      if (name === 'name') {
        while (p < end) {
          const sub = bytes[p++]; let subSize; [subSize, p] = leb(bytes, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let n; [n, p] = leb(bytes, p);
            for (let i = 0; i < n; i++) {
              let index; [index, p] = leb(bytes, p);
              let l; [l, p] = leb(bytes, p);
              names.set(index, new TextDecoder().decode(bytes.subarray(p, p + l))); p += l;
            }
          }
          p = subEnd;
        }
      }
    }
    sections[id] = (sections[id] ?? 0) + size;
    pos = end;
  }
  return { importedFunctions, bodies, names, sections };
}

/** The crate a (legacy-mangled, v0-mangled or plain) Rust symbol belongs to: for an impl
 * or a generic instance, the crate of the code, not of its type parameters. */
export function crateOf(symbol) {
  let s = symbol;
  if (/^_?R/.test(s)) { // v0 mangling (the nightly release build): the first crate root named
    const m = /C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)/.exec(s);
    if (m) {
      const name = m[2].slice(0, Number(m[1]));
      return name === 'studio_booking' ? 'studio_booking (this crate)' : name;
    }
  }
  if (s.startsWith('_ZN')) {
    const parts = []; let p = 3;
    while (p < s.length && s[p] !== 'E') {
      const m = /^\d+/.exec(s.slice(p)); if (!m) break;
      p += m[0].length; parts.push(s.slice(p, p + Number(m[0]))); p += Number(m[0]);
    }
    s = parts.join('::').replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&')
      .replace(/\$C\$/g, ',').replace(/\$u5b\$/g, '[').replace(/\$u5d\$/g, ']').replace(/\.\./g, '::').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}');
  }
  s = s.replace(/^[<&\s]+|^_+|^(dyn|mut|impl)\s+/g, '').replace(/^[<&\s]+/, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(s);
  if (!m) return '(other)';
  const name = m[1];
  return name === 'studio_booking' ? 'studio_booking (this crate)' : name;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  const { importedFunctions, bodies, names, sections } = readWasm(readFileSync(file));
  const byCrate = new Map();
  let code = 0;
  bodies.forEach((size, i) => {
    const crate = crateOf(names.get(i + importedFunctions) ?? '(unnamed)');
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
    code += size;
  });
  console.log(`${file}: code ${code} B in ${bodies.length} functions, data ${sections[11] ?? 0} B`);
  for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${String(size).padStart(8)} B  ${(100 * size / code).toFixed(1).padStart(5)} %  ${crate}`);
  }
}
