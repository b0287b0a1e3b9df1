// The post-build steps in order (index.mjs runs them as trunk's hook; measure.mjs runs them
// again with one left out). `skip` names steps to leave out, for measuring only.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindgen } from './bindgen.mjs';
import { filesOf, inlineLink, renameFiles } from './link.mjs';
import { writeLanguages } from './languages.mjs';
import { assemble } from './loader.mjs';
import { STYLES_EXPORT, widgetCss, withStyles } from './styles.mjs';
import { writeManifest } from './manifest.mjs';
import { minifyJs } from './minify-js.mjs';
import { shortNames } from './rename.mjs';
import { hasSplitPoints, hashedName, split } from './split.mjs';
import { dropClassesFromGlue, dropExports } from './unused.mjs';
import { wasmOpt } from './wasm-opt.mjs';

export const NAME = 'studio-booking-widget';
export const GLUE = `${NAME}.js`;
export const WASM = `${NAME}_bg.wasm`;
export const LOADER = 'studio-booking.js';
export const FRAME = ['frame.html', 'frame.js'];
/** The messages the loader shows itself (when the widget's files cannot be loaded). */
export const LOADER_MESSAGES = ['loader_failed', 'retry', 'loader_book_elsewhere', 'open_booking'];
/** The file that draws the session type list before the widget's code runs, and its messages. */
export const FIRST_SCREEN = 'first-screen.js';
/** The file that draws popup mode's button before the widget's code runs. */
export const POPUP = 'popup.js';
/** The file that puts iframe mode's frame in the page. */
export const FRAME_HOST = 'frame-host.js';
export const FIRST_SCREEN_MESSAGES = [
  'steps_label', 'step_session', 'step_date_time', 'step_details', 'step_payment', 'step_review',
  'heading_session', 'no_sessions', 'free', 'price_paid_at_session', 'price_with_deposit',
];
const root = new URL('../../', import.meta.url);

export const readFacts = async () => JSON.parse(await readFile(new URL('interface.json', root), 'utf8'));

/**
 * Runs the steps on trunk's staging directory `staging`. `target` is Cargo's target
 * directory (the linked wasm before wasm-bindgen is read from it).
 */
export async function build({ staging, release, target = 'target', skip = new Set(), log = () => {}, crate }) {
  const facts = await readFacts();
  const files = { loader: LOADER, firstScreen: FIRST_SCREEN, popup: POPUP, frameHost: FRAME_HOST, glue: GLUE, wasm: WASM, dateTimeFiles: [], laterStepsFiles: [], frame: FRAME, languageFiles: [] };
  const glue = join(staging, GLUE);
  const wasm = join(staging, WASM);
  // Left out for measuring only: 'wasm-opt' (no -Oz at all), 'one-pass' (-Oz once), 'strip', 'by-name'.
  const passes = skip.has('wasm-opt') ? 0 : skip.has('one-pass') ? 1 : undefined;
  const opt = (path, options = {}) => wasmOpt(path, path, { passes, strip: !skip.has('strip'), byName: options.byName && !skip.has('by-name') });

  if (release) {
    const raw = join(target, 'wasm32-unknown-unknown', 'release', 'studio_booking.wasm');
    let rawBytes = null;
    try { rawBytes = await readFile(raw); } catch { /* a build without the linked file: no split */ }
    if (rawBytes && !skip.has('split') && hasSplitPoints(rawBytes)) {
      // split, bindgen, wasm-opt on each file, hashed names, link.
      const work = await mkdtemp(join(tmpdir(), 'studio-build-'));
      try {
        const cut = await split(raw, work, NAME);
        const bound = bindgen(cut.main, join(work, 'bindgen'), NAME);
        const published = new Map();
        for (const file of cut.splitFiles) {
          const path = join(work, file);
          opt(path);
          const bytes = await readFile(path);
          const name = hashedName(file, bytes);
          await writeFile(join(staging, name), bytes);
          published.set(file, name);
        }
        const link = renameFiles(await readFile(cut.link, 'utf8'), published);
        files.dateTimeFiles = filesOf(link, 'date_time_step');
        files.laterStepsFiles = filesOf(link, 'later_steps');
        await writeFile(glue, inlineLink(await readFile(bound.glue, 'utf8'), link, { glueName: GLUE, deadlineMs: facts.deadlinesMs.splitFile }));
        await copyFile(bound.wasm, wasm);
        log(`split: ${cut.splitFiles.length} files loaded on demand (${[...published.values()].join(', ')})`);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
    if (!skip.has('unused')) {
      const dropped = dropClassesFromGlue(await readFile(glue, 'utf8'));
      if (dropped.classes) {
        await writeFile(wasm, dropExports(await readFile(wasm), dropped.exports));
        await writeFile(glue, dropped.glue);
        log(`unused: ${dropped.classes} classes and ${dropped.exports.length} exports dropped`);
      }
    }
    opt(wasm, { byName: true });
    if (!skip.has('rename')) {
      const renamed = await shortNames(await readFile(wasm), await readFile(glue, 'utf8'), { passes: skip.has('opt-again') ? 0 : passes });
      await writeFile(wasm, renamed.wasm);
      await writeFile(glue, renamed.glue);
      log(`rename: ${renamed.imports} imports and the glue's ${renamed.exports} reads of exports renamed, ${renamed.dropped} unused imports dropped from the glue`);
    }
  }

  // The language files; the loader learns their key and the messages it shows itself.
  const languages = await writeLanguages(staging, facts, [...LOADER_MESSAGES, ...FIRST_SCREEN_MESSAGES]);
  const messagesOf = (names) => Object.fromEntries(names.map((name) => [name, languages.messages[name]]));
  files.languageFiles = languages.written;
  log(`languages: ${languages.written.length} files (${languages.written.join(', ')})`);

  // The loader and the frame's script, with the facts they read and the files the build made.
  const loaderSource = await readFile(new URL('loader/studio-booking.js', root), 'utf8');
  // The styles: the first screen's in the loader, the later steps' in the glue.
  const css = await widgetCss('first-screen');
  const steps = await widgetCss('steps');
  await writeFile(glue, withStyles(await readFile(glue, 'utf8'), steps));
  log(`styles: style/first-screen.css as ${css.length} bytes of rules in the loader, style/steps.css as ${steps.length} in the glue, style/popup.css in popup.js`);
  const loaderBuild = {
    dateTimeFiles: files.dateTimeFiles, messagesKey: languages.key, messages: messagesOf(LOADER_MESSAGES), css, stylesExport: STYLES_EXPORT, firstScreen: FIRST_SCREEN, popup: POPUP, frameHost: FRAME_HOST,
  };
  await writeFile(join(staging, LOADER), assemble(loaderSource, { FACTS: facts, BUILD: loaderBuild }, { name: 'loader/studio-booking.js' }));
  const firstScreenSource = await readFile(new URL(`loader/${FIRST_SCREEN}`, root), 'utf8');
  const firstScreenBuild = { messages: messagesOf(FIRST_SCREEN_MESSAGES) };
  await writeFile(join(staging, FIRST_SCREEN), assemble(firstScreenSource, { FACTS: facts, BUILD: firstScreenBuild }, { name: `loader/${FIRST_SCREEN}`, module: true }));
  const popupSource = await readFile(new URL(`loader/${POPUP}`, root), 'utf8');
  await writeFile(join(staging, POPUP), assemble(popupSource, { FACTS: facts, BUILD: { css: await widgetCss('popup') } }, { name: `loader/${POPUP}`, module: true }));
  const frameHostSource = await readFile(new URL(`loader/${FRAME_HOST}`, root), 'utf8');
  await writeFile(join(staging, FRAME_HOST), assemble(frameHostSource, { FACTS: facts, BUILD: { messages: messagesOf(['open_booking']) } }, { name: `loader/${FRAME_HOST}`, module: true }));
  const frameSource = await readFile(new URL('loader/frame.js', root), 'utf8');
  await writeFile(join(staging, 'frame.js'), assemble(frameSource, { FACTS: facts }, { name: 'loader/frame.js' }));

  if (release && !skip.has('minify-js')) {
    for (const [file, module] of [[LOADER, false], [FIRST_SCREEN, true], [POPUP, true], [FRAME_HOST, true], [GLUE, true], ['frame.js', false]]) {
      const path = join(staging, file);
      const source = await readFile(path, 'utf8');
      const out = await minifyJs(source, { module, compileHint: file === GLUE });
      await writeFile(path, out);
      log(`minify-js: ${file} ${source.length} -> ${out.length} bytes`);
    }
  }

  const built = await writeManifest(staging, files, crate);
  log(`manifest: ${built.published.length} files published, date and time step: ${built.dateTimeFiles.join(', ') || 'in the main file'}`);
  return built;
}
