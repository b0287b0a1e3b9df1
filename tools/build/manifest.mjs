// The manifest step: dist/build-manifest.json names the files of this build by role (what the
// first screen needs, the date and time step's files, the later steps', the iframe page), for
// the tools that read the build (the byte gate, the benchmark, the package check); and
// dist/package.json, from package.template.json, makes dist/ an npm package that CDNs which
// mirror npm serve (https://cdn.jsdelivr.net/npm/studio-booking@<version>/studio-booking.js).
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST = 'build-manifest.json';
export const PACKAGE = 'package.json';
const TEMPLATE = new URL('./package.template.json', import.meta.url);

/** The widget crate's version and license, as Cargo reads Cargo.toml. */
export function crateFacts(crate = 'studio-booking-widget', cwd = process.cwd()) {
  const run = spawnSync('cargo', ['metadata', '--no-deps', '--format-version', '1'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`cargo metadata failed: ${run.stderr}`);
  const found = JSON.parse(run.stdout).packages.find((p) => p.name === crate);
  if (!found) throw new Error(`no crate ${crate} in the workspace`);
  return { version: found.version, license: found.license };
}

/**
 * The manifest of a build: `files` holds the names of each role; `published` every file of
 * the npm package, in a fixed order, package.json included.
 */
export function manifest({ loader, firstScreen, popup, frameHost, glue, wasm, dateTimeFiles = [], laterStepsFiles = [], frame = [], languageFiles = [], version }) {
  const published = [...new Set([loader, firstScreen, popup, frameHost, glue, wasm, ...dateTimeFiles, ...laterStepsFiles, ...frame, ...languageFiles, PACKAGE])];
  return {
    $comment: 'Written by the build (tools/build/manifest.mjs): the files of this build by role. Not published in the npm package.',
    version,
    firstScreen: [loader, glue, wasm],
    // What the loader draws the session type list with, before the glue and the wasm run.
    listScreen: [loader, firstScreen],
    // What the loader draws popup mode's button with.
    popup,
    // What the loader puts iframe mode's frame in the page with.
    frameHost,
    dateTimeFiles,
    laterStepsFiles,
    frame,
    // One per language but English (built in), fetched only for a visitor who reads it.
    languageFiles,
    published,
  };
}

/** dist/package.json: the template with the crate's version and license and the files. */
export async function packageJson(built, { license }) {
  const template = JSON.parse(await readFile(TEMPLATE, 'utf8'));
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bin', 'gypfile']) {
    if (key in template) throw new Error(`package.template.json must have no "${key}": the package is files for a CDN`);
  }
  delete template.$comment;
  return { ...template, version: built.version, license, files: built.published.filter((f) => f !== PACKAGE) };
}

/** Writes both into `dir`. */
export async function writeManifest(dir, files, crate = crateFacts()) {
  const built = manifest({ ...files, version: crate.version });
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(built, null, 2)}\n`);
  await writeFile(join(dir, PACKAGE), `${JSON.stringify(await packageJson(built, crate), null, 2)}\n`);
  return built;
}

/** The manifest of the build in `dir`. */
export async function readManifest(dir) {
  return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8'));
}
