/*! studio-booking first screen: the session type list, drawn by the loader from the list's
 * answer before the widget's code runs, and the takeover by the widget's own screen.
 *
 * An ES module the loader (studio-booking.js) imports from its own folder, beside the list's
 * answer and the language file, only for a widget that opens on the list (a preselected
 * session type, a manage link or a kept draft do not: they pay nothing for it). It draws what
 * the widget draws (src/ui/widget.rs, step_indicator.rs, steps/session_types.rs,
 * studio_text.rs): the same elements, classes, parts, accessible names and words, read and
 * formatted by the same rules (core/src/read.rs, src/intl/mod.rs, src/ui/text.rs);
 * e2e/first-screen.test.mjs draws both from the same answers and compares them. The build
 * (tools/build/loader.mjs) replaces each read of FACTS.… and BUILD.… (`messages`: the position
 * in a language file and the English text of each message drawn here) by a constant. */

// ---- Reading the answer: the tolerant rules of core/src/read.rs, for the fields shown ----
const whole = (v) => (typeof v === 'number' ? (v >= 0 ? Math.round(v) : null) : typeof v === 'string' && /^\+?\d+$/.test(v.trim()) ? Number(v.trim()) : null);
const flag = (v) => (typeof v === 'string' ? ['true', '1', 'yes'].includes(v.trim().toLowerCase()) : typeof v === 'number' ? v !== 0 : v === true);
const textOf = (v) => (typeof v === 'string' ? v : null);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const listOk = (v, item = () => true) => v == null || (Array.isArray(v) && v.every((i) => isObject(i) && item(i)));

/** The published session types of a one-page answer, or null where the widget must read it
 * itself (not JSON, a type the core could not read, more pages to follow). */
function publishedTypes(body) {
  let page;
  try { page = JSON.parse(body); } catch { return null; }
  const data = page?.data;
  const readable = (t) => isObject(t) && typeof t.id === 'string' && listOk(t.payment_methods) && listOk(t.taxes)
    && listOk(t.intake_form_fields, (f) => typeof f.id === 'string' && listOk(f.options));
  if (!Array.isArray(data) || !data.every(readable)) return null;
  const meta = isObject(page.meta) ? page.meta : {};
  const last = whole(meta.last_page);
  if (last !== null ? last > 1 : data.length > 0 && data.length >= (whole(meta.per_page) ?? FACTS.sessionTypesPerPage)) return null;
  return data.filter((t) => textOf(t.status)?.trim().toLowerCase() === 'published');
}

// ---- Words, numbers, prices and lengths of time: src/intl/ ----
/** intl::usable_locale: the tag if Intl takes it, else the browser's, else English. */
function usableLocale(tag) {
  const valid = (t) => { try { return t && t.length <= 35 ? Intl.getCanonicalLocales(t)[0] : null; } catch { return null; } };
  return valid(tag) ?? valid(navigator.language) ?? 'en';
}
/** intl::format_duration. */
function duration(minutes, locale) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = {};
  if (h > 0) parts.hours = h;
  if (m > 0 || h === 0) parts.minutes = m;
  try { return new Intl.DurationFormat(locale, { style: 'long' }).format(parts); } catch { /* below */ }
  try { return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(minutes); } catch { return String(minutes); }
}
/** intl::format_money. */
function money(minor, currency, locale) {
  const code = currency.trim().toUpperCase();
  const plain = () => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')} ${code}`;
  if (!/^[A-Z]{3}$/.test(code)) return plain();
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
    return format.format(minor / 10 ** Math.min(Math.max(format.resolvedOptions().maximumFractionDigits ?? 2, 0), 4));
  } catch { return plain(); }
}

// ---- The studio's HTML: ui/studio_text.rs, rebuilt node by node, never assigned as markup ----
const KEPT = ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li'];
const DROPPED = ['script', 'style', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'svg', 'math', 'noscript', 'title', 'head', 'link', 'meta',
  'base', 'form', 'input', 'button', 'select', 'textarea', 'img', 'video', 'audio', 'canvas'];
/** core::links::is_safe_href. */
function safeHref(href) {
  const cleaned = href.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  const lower = cleaned.toLowerCase();
  const bytes = new TextEncoder().encode(cleaned).length;
  return ((lower.startsWith('https://') || lower.startsWith('http://')) && bytes > 8) || (lower.startsWith('mailto:') && bytes > 7);
}
function copySafe(from, to, depth) {
  if (depth > 24) return;
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) { to.append(node.textContent); continue; }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.tagName.toLowerCase();
    if (DROPPED.includes(tag)) continue;
    let copy = null;
    if (KEPT.includes(tag)) copy = document.createElement(tag);
    else if (tag === 'a' && safeHref(node.getAttribute('href') ?? '')) {
      copy = el('a', { href: node.getAttribute('href').trim(), target: '_blank', rel: 'noopener noreferrer nofollow' });
    }
    if (copy) { copySafe(node, copy, depth + 1); to.append(copy); } else copySafe(node, to, depth + 1);
  }
}

/** An element with attributes (null ones left out) and children. */
function el(tag, attributes, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) if (v !== null) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/**
 * The first screen from the list's answer (`{ status, body }`), as the widget would draw it
 * for these settings; null where the widget must read the answer itself. `messages` is the
 * language file of `language` (null: English); `onChoose(index, id)` hears a session type
 * chosen on it.
 */
export function draw(answer, { messages, language, locale, theme, accent, onChoose }) {
  const types = answer?.status === 200 ? publishedTypes(answer.body) : null;
  if (!types) return null;
  const file = messages ? language : 'en';
  const rtl = FACTS.rightToLeft.includes(file);
  const tag = usableLocale(locale);
  const t = (name) => { const [at, english] = BUILD.messages[name]; return messages?.[1].split('\n')[at] ?? english; };
  // Words::fill: a value is isolated from the words around it in a right-to-left widget.
  const fill = (name, values) => t(name).replace(/\{(\w+)\}/g, (all, k) => (Object.hasOwn(values, k) ? (rtl ? `\u2068${values[k]}\u2069` : values[k]) : all));
  const price = (minor, currency) => (minor === 0 ? t('free') : money(minor, currency, tag));
  let numbers = null;
  try { numbers = new Intl.NumberFormat(tag); } catch { /* written plainly */ }
  const number = (n) => numbers?.format(n) ?? String(n);

  const screen = el('div', {
    class: 'sb-root',
    'data-theme': ['light', 'dark', 'auto'].includes(theme) ? theme : 'light',
    lang: tag.split('-')[0] === file.split('-')[0] ? tag : file,
    dir: rtl ? 'rtl' : 'ltr',
    'data-early': '',
  });
  if (accent && CSS.supports('color', accent)) screen.style.setProperty(`${FACTS.themePropertyPrefix}accent`, accent);
  // The steps before a session type is chosen: Session · Date & time · Details · Payment · Review.
  const steps = ['step_session', 'step_date_time', 'step_details', 'step_payment', 'step_review'].map((name, i) => el(
    'li', { class: 'sb-step', 'data-state': i ? 'todo' : 'current', 'aria-current': i ? null : 'step' },
    el('span', { class: 'sb-step-number', 'aria-hidden': 'true' }, number(i + 1)),
    el('span', { class: 'sb-step-label' }, t(name)),
  ));
  let list = el('p', { class: 'sb-empty', role: 'status' }, t('no_sessions'));
  if (types.length) {
    list = el('ul', { class: 'sb-type-list', role: 'list' }, ...types.map((type, i) => {
      // text::price_line: "£250.00 · £75.00 deposit", paid at the session, or "Free".
      const full = whole(type.payment_amount_full) ?? 0;
      const deposit = whole(type.payment_amount_partial);
      const currency = textOf(type.currency) ?? '';
      const shown = price(full, currency);
      const priceLine = full === 0 ? shown
        : !flag(type.collect_payment) ? fill('price_paid_at_session', { price: shown })
          : deposit !== null && deposit > 0 && deposit < full ? fill('price_with_deposit', { price: shown, deposit: price(deposit, currency) })
            : shown;
      const location = textOf(type.location);
      const facts = [duration(whole(type.duration) ?? 0, tag), priceLine, location?.trim() ? location : null].filter((f) => f !== null).join(' · ');
      const cover = textOf(type.cover_image_url);
      const description = textOf(type.description);
      let rich = '';
      if (description?.trim()) {
        rich = el('div', { class: 'sb-rich sb-type-description' });
        copySafe(new DOMParser().parseFromString(description, 'text/html').body, rich, 0);
      }
      return el(
        'li', { class: 'sb-card sb-type', part: 'session-type' },
        cover && /^https?:\/\//.test(cover) ? el('img', { class: 'sb-cover', src: cover, alt: '', loading: 'lazy', decoding: 'async', width: '640', height: '360' }) : '',
        el(
          'div', { class: 'sb-card-body' },
          el('h3', { class: 'sb-type-name' }, el('button', { type: 'button', class: 'sb-type-button', 'aria-pressed': 'false', 'aria-describedby': `sb-type-${i}-details` }, textOf(type.name) ?? '')),
          el('p', { class: 'sb-type-facts', id: `sb-type-${i}-details` }, facts),
          rich,
        ),
      );
    }));
    const buttons = list.querySelectorAll('.sb-type-button');
    list.addEventListener('click', (e) => {
      const at = [...buttons].indexOf(e.target.closest?.('.sb-type-button'));
      if (at < 0 || list.querySelector('.sb-chosen')) return;
      // Shown as chosen at once, as the widget shows it.
      buttons[at].setAttribute('aria-pressed', 'true');
      buttons[at].closest('.sb-type').classList.add('sb-chosen');
      onChoose(at, types[at].id);
    });
  }
  screen.append(el(
    'section', { class: 'sb-widget', 'aria-labelledby': 'sb-heading', part: 'widget' },
    el('ol', { class: 'sb-steps', 'aria-label': t('steps_label'), part: 'steps' }, ...steps),
    el('h2', { id: 'sb-heading', class: 'sb-heading', part: 'heading', tabindex: '-1' }, t('heading_session')),
    list,
  ));
  return { screen, count: types.length };
}

/**
 * The widget's own screen `theirs`, mounted hidden beside the first screen `mine`, takes its
 * place once it shows the same list: in one task (no frame between), with the cover images
 * already shown and focus on the same control, and never while a pointer or key is pressed
 * on the first screen (`afterPress(f)`: true where `f` is called at its release instead).
 * The session type chosen on the first screen (`choice()`, an index or null) is then chosen
 * in it. `done` is called once swapped.
 */
function takeOver(root, mine, theirs, choice, afterPress, done) {
  theirs.style.display = 'none';
  let timer = null;
  const observer = new MutationObserver(() => check());
  const finish = () => {
    observer.disconnect();
    clearTimeout(timer);
    if (!mine.isConnected) return;
    // Not between a press and its release: the click would land on neither screen's button.
    if (afterPress(finish)) return;
    const path = [];
    for (let n = root.activeElement; n && n !== mine && mine.contains(n); n = n.parentElement) path.unshift([...n.parentElement.children].indexOf(n));
    const covers = mine.querySelectorAll('img.sb-cover');
    theirs.querySelectorAll('img.sb-cover').forEach((img, i) => { if (covers[i]?.src === img.src) img.replaceWith(covers[i]); });
    mine.remove();
    theirs.style.display = '';
    if (path.length) path.reduce((n, i) => n?.children[i], theirs)?.focus({ preventScroll: true });
    const chosen = choice();
    if (chosen !== null) theirs.querySelectorAll('.sb-type-button')[chosen]?.click();
    done();
  };
  const shown = (screen) => screen.querySelector('.sb-type-list, .sb-empty, [role="alert"]');
  const check = () => {
    const list = shown(theirs);
    if (!list) return;
    // The same words: its descriptions are filled in by an effect, after the list.
    if (list.textContent === shown(mine)?.textContent) finish();
    else timer ??= setTimeout(finish, 1000);
  };
  observer.observe(theirs, { childList: true, subtree: true, characterData: true });
  check();
}

const WAKE_EVENTS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];

/**
 * Shows the first screen in `host`'s shadow root `root` (which already has the widget's
 * styles), and sends `ready`. The widget's code is run (`run()`) at the visitor's first
 * pointer, touch, focus or key on the widget, or at a choice, which first asks for what the
 * chosen type's date step needs (`choose(id)`). Null where the widget must read the answer
 * itself. The state returned hears that the code failed (`failed(fallbackHref, text, again)`)
 * and hands over to the widget's own screen (`takeOver(theirs, done)`).
 */
export function show(host, root, answer, { run, choose, ...settings }) {
  const state = { choice: null, running: false, failed: null };
  const wake = () => {
    if (state.running) return;
    state.running = true;
    for (const type of WAKE_EVENTS) host.removeEventListener(type, wake, { capture: true });
    run();
  };
  const drawn = draw(answer, {
    ...settings,
    onChoose: (index, id) => {
      state.choice = index;
      if (state.failed) state.failed();
      else { choose(id); wake(); }
    },
  });
  if (!drawn) return null;
  const { screen } = drawn;
  root.replaceChildren(screen);
  // A press on the first screen, until its release (wherever that is) has had its click:
  // `pressed.then` is what waits for that.
  let pressed = null;
  // (The window's blur, not an element's: a press moves focus.)
  const RELEASES = ['pointerup', 'pointercancel', 'keyup'];
  const release = () => setTimeout(() => {
    const then = pressed?.then;
    pressed = null;
    for (const type of RELEASES) removeEventListener(type, release, true);
    removeEventListener('blur', release);
    then?.();
  });
  const press = (e) => {
    if (pressed || (e.type === 'keydown' && e.key !== ' ')) return;
    pressed = { then: null };
    for (const type of RELEASES) addEventListener(type, release, true);
    addEventListener('blur', release);
  };
  screen.addEventListener('pointerdown', press);
  screen.addEventListener('keydown', press);
  for (const type of WAKE_EVENTS) host.addEventListener(type, wake, { capture: true, passive: true });
  host.dispatchEvent(new CustomEvent(`${FACTS.eventPrefix}ready`, { bubbles: true, composed: true, detail: { session_types: drawn.count } }));
  return {
    screen,
    stop: () => { state.running = true; for (const type of WAKE_EVENTS) host.removeEventListener(type, wake, { capture: true }); },
    /** The widget's code could not be had: the list stays; a choice opens the studio's own
     * page (`fallbackHref`), or says under the heading that booking cannot go on here, with
     * "Try again". True when that is said now (a session type was chosen already). */
    failed(fallbackHref, text, again) {
      state.running = false;
      state.failed = () => {
        if (fallbackHref) { location.assign(fallbackHref); return; }
        if (screen.querySelector('[role="alert"]')) return;
        const retry = el('button', { type: 'button', class: 'sb-button sb-button-secondary' }, again);
        const box = el('div', { class: 'sb-error', role: 'alert', part: 'error' }, el('p', {}, text), retry);
        retry.addEventListener('click', () => { box.remove(); state.failed = null; wake(); });
        screen.querySelector('.sb-heading').after(box);
      };
      if (state.choice === null) return false;
      state.failed();
      return true;
    },
    takeOver: (theirs, done) => takeOver(root, screen, theirs, () => state.choice, (then) => (pressed ? ((pressed.then = then), true) : false), done),
  };
}
