// The styles step: the widget's stylesheets, commented for people, become their rules alone.
// style/first-screen.css goes into the loader (`BUILD.css`), which draws the session type list
// with it before the widget's code arrives; style/steps.css goes into the JS glue, as its
// export `STYLES_EXPORT`, which the loader adds when the code arrives. Every widget's shadow
// root adopts the two as constructed stylesheets shared by the page's widgets; the wasm
// carries none.
import { readFile } from 'node:fs/promises';
import { parse } from './js-edit.mjs';

const root = new URL('../../', import.meta.url);

/** Drops comments, collapses whitespace to one space and drops it around `{`, `}` and `;`,
 * leaving quoted strings as written. */
export function minifyCss(css) {
  let out = '';
  let quote = null;
  let pendingSpace = false;
  const tight = (c) => c === '{' || c === '}' || c === ';';
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (quote) {
      out += c;
      if (c === '\\' && i + 1 < css.length) out += css[++i];
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 1;
      pendingSpace = true;
      continue;
    }
    if (/\s/.test(c)) { pendingSpace = true; continue; }
    if (pendingSpace && out && !tight(c) && !tight(out[out.length - 1])) out += ' ';
    pendingSpace = false;
    if (c === '"' || c === "'") quote = c;
    out += c;
  }
  return out;
}

/** The rules of one of the widget's stylesheets, `first-screen` or `steps` (style/NAME.css). */
export const widgetCss = async (name) => minifyCss(await readFile(new URL(`style/${name}.css`, root), 'utf8'));

/** The name of the glue's export that holds the later steps' rules (read by the loader). */
export const STYLES_EXPORT = 'studio_booking_styles';

/** The glue (an ES module) with the later steps' rules as one more export. */
export function withStyles(glue, css) {
  const tree = parse(glue, { module: true });
  if (tree.body.some((n) => n.type === 'ExportNamedDeclaration' && n.declaration?.declarations?.some((d) => d.id.name === STYLES_EXPORT))) {
    throw new Error(`the glue already exports ${STYLES_EXPORT}`);
  }
  return `${glue.replace(/\s*$/, '\n')}export const ${STYLES_EXPORT} = ${JSON.stringify(css)};\n`;
}
