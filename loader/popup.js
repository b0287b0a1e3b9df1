/*! studio-booking popup button: popup mode's button, drawn by the loader before the widget's
 * code runs, so that a page with a "Book now" button pays nothing until it is used.
 *
 * An ES module the loader (studio-booking.js) imports from its own folder for a widget in
 * popup mode. It draws the button as the widget draws it (src/mount.rs, build_popup: the same
 * element, class, part, ARIA and name) and carries the button's rules (style/popup.css), which
 * the widget's own button uses too once it has taken the place of this one. The build
 * (tools/build/loader.mjs) replaces each read of BUILD.… by a constant. */

/** The rules of popup mode's button. */
export const css = BUILD.css;

const WAKE_EVENTS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];

/**
 * Shows the button in the shadow root `root`, named by the element's text (else `fallback`),
 * in `language` with the formats of `locale` (lang and dir as the widget sets them), and runs
 * the widget's code (`run()`) at the visitor's first pointer, touch, focus or key on it. A
 * click, or the element's `open()`, before the code is there is kept: `takeOver` then opens
 * the widget's dialog.
 */
export function show(host, root, fallback, language, locale, run) {
  let tag = 'en';
  for (const t of [locale, navigator.language]) {
    try { if (t && t.length <= 35) { tag = Intl.getCanonicalLocales(t)[0]; break; } } catch { /* the next */ }
  }
  const button = document.createElement('button');
  const attributes = {
    type: 'button', class: 'sb-open-button', part: 'open-button', 'aria-haspopup': 'dialog',
    lang: tag.split('-')[0] === language.split('-')[0] ? tag : language, dir: FACTS.rightToLeft.includes(language) ? 'rtl' : 'ltr',
  };
  for (const [k, v] of Object.entries(attributes)) button.setAttribute(k, v);
  button.textContent = host.textContent.split(/\s+/).filter(Boolean).join(' ') || fallback;
  root.replaceChildren(button);
  const stop = () => { for (const type of WAKE_EVENTS) host.removeEventListener(type, wake, { capture: true }); };
  const wake = () => { stop(); run(); };
  for (const type of WAKE_EVENTS) host.addEventListener(type, wake, { capture: true, passive: true });
  let opened = false;
  const state = {
    popup: true,
    stop,
    open: () => { opened = true; wake(); },
    /** The widget `w` is mounted: its own button took the place of this one (in the same
     * task); focus on this one (`focused`) and a click made before are carried over. */
    takeOver(w, focused) {
      stop();
      if (focused === button || opened) root.querySelector('.sb-open-button')?.focus({ preventScroll: true });
      if (opened) w.widget_command(host, 'open');
    },
  };
  button.addEventListener('click', state.open);
  return state;
}
