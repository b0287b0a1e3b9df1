import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minifyCss, widgetCss, withStyles, STYLES_EXPORT } from './styles.mjs';

test('comments and needless whitespace go, quoted strings and descendant spaces stay', () => {
  const css = '/* the card */\n.sb-card  .sb-cover {\n  content: "a  /* b */ c";\n  margin: 0 auto;\n}\n\n/* end */ .x{}';
  assert.equal(minifyCss(css), '.sb-card .sb-cover{content: "a  /* b */ c";margin: 0 auto;}.x{}');
});

test("the widget's two stylesheets: no comment left, braces balanced, each its own rules", async () => {
  const first = await widgetCss('first-screen');
  const steps = await widgetCss('steps');
  const popup = await widgetCss('popup');
  for (const out of [first, steps, popup]) {
    assert.ok(!out.includes('/*'), 'no comment');
    assert.equal((out.match(/\{/g) ?? []).length, (out.match(/\}/g) ?? []).length);
  }
  assert.match(first, /\.sb-type-list\{/);
  assert.match(steps, /\.sb-grid\{/);
  assert.match(popup, /^\.sb-open-button\{/);
  // A rule of the later steps never styles the first screen: none names its classes.
  for (const name of ['sb-type', 'sb-steps', 'sb-step', 'sb-heading', 'sb-card', 'sb-cover', 'sb-rich', 'sb-widget', 'sb-root']) {
    assert.ok(!new RegExp(`\\.${name}(?![\\w-])`).test(steps), `steps.css styles .${name}`);
  }
});

test('the glue gets the later steps\' rules as one more export', async () => {
  const out = withStyles('export function mount_widget() {}\n', '.a{b:c}');
  const module = await import(`data:text/javascript,${encodeURIComponent(out)}`);
  assert.equal(module[STYLES_EXPORT], '.a{b:c}');
  assert.throws(() => withStyles(out, '.x{}'), /already exports/);
});
