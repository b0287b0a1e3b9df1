/*! studio-booking frame host: mode="iframe" on the photographer's page.
 *
 * An ES module the loader (studio-booking.js) imports from its own folder for a widget in
 * iframe mode (a page whose Content-Security-Policy does not allow WebAssembly), so that no
 * other page pays for it. It puts frame.html (next to it, on the files' own origin) in the
 * element, tells it the element's settings in its address, and talks to it only by
 * postMessage with exact origins: its height and the widget's events come in, commands and a
 * manage link that opened this page go out. The build (tools/build/loader.mjs) replaces each
 * read of FACTS.… and BUILD.… (`messages`: the frame's title) by a constant. */

const FRAME_SETTINGS = FACTS.attributes.filter((a) => a !== 'mode');

/**
 * Shows the frame in `host` (whose shadow root is empty), with the loader's `base` (the
 * files' folder) and helpers: the element's language and settings, a language file's words,
 * and the loader's failure message (`failed(host)`, said within the files' deadline if the
 * frame does not show). Sets `host._frame` ({ stop, send(command) }).
 */
export function start(host, { base, languageFor, setting, wordsOf, say, failed }) {
  const root = host.shadowRoot;
  const frameUrl = new URL('frame.html', base);
  const { language, locale } = languageFor(host);
  for (const name of FRAME_SETTINGS) {
    // The language chosen here (by this page's <html lang> too) goes to the frame.
    let value = name === 'locale' ? locale : setting(host, name);
    if (value !== null && FACTS.attributesMadeAbsolute.includes(name)) { try { value = new URL(value, location.href).href; } catch { /* left as is */ } }
    if (value !== null) frameUrl.searchParams.set(name, value);
  }
  // The frame's manage links open this page (its address, which holds no link's parameters
  // once the loader has run). A link that opened this page is the frame's to open: it asks
  // for it (`link-wanted`) and is sent it by postMessage to its exact origin, never in its
  // address. (A page of an opaque origin cannot be answered: its frame opens anew.)
  const here = new URL(location.href);
  here.hash = '';
  if (!frameUrl.searchParams.has('manage-url')) frameUrl.searchParams.set('manage-url', here.href);
  let handing = host._link;
  host._link = null;
  // The page's font, which the in-page widget inherits, and the theming custom properties
  // set on the element go to the frame too.
  const computed = getComputedStyle(host);
  frameUrl.searchParams.set('font', computed.fontFamily);
  for (const name of FACTS.themeProperties) {
    const value = computed.getPropertyValue(FACTS.themePropertyPrefix + name).trim();
    if (value) frameUrl.searchParams.set(`--${name}`, value);
  }
  const talks = /^https?:/.test(location.origin); // an opaque origin (file:, sandbox) cannot be answered exactly
  if (talks) frameUrl.searchParams.set('embedder', location.origin);
  if (talks && handing) frameUrl.searchParams.set('link', '1');
  const frame = document.createElement('iframe');
  frame.title = host.getAttribute('title') || say(null, BUILD.messages.open_booking);
  wordsOf(language).then((m) => { frame.title = host.getAttribute('title') || say(m, BUILD.messages.open_booking); });
  frame.setAttribute('part', 'frame');
  frame.style.cssText = 'display:block;width:100%;border:0;height:0;visibility:hidden;color-scheme:normal';
  const waiting = document.createElement('slot'); // the element's own content until the frame shows
  root.append(waiting, frame);
  let shown = false;
  const show = (height) => {
    frame.style.height = `${Math.min(Math.max(height, 0), 20000)}px`;
    if (shown) return;
    shown = true;
    clearTimeout(timer);
    waiting.remove();
    frame.style.visibility = 'visible';
  };
  const onMessage = (e) => {
    if (e.source !== frame.contentWindow || e.origin !== frameUrl.origin) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.source !== 'studio-booking') return;
    if (m.type === 'resize' && Number.isFinite(m.height) && m.height > 0) show(Math.ceil(m.height));
    else if (m.type === 'link-wanted' && handing) {
      frame.contentWindow.postMessage({ source: 'studio-booking', type: 'link', link: handing }, frameUrl.origin);
      handing = null;
    }
    else if (m.type === 'event' && FACTS.events.includes(m.name)) {
      host.dispatchEvent(new CustomEvent(FACTS.eventPrefix + m.name, { bubbles: true, composed: true, detail: m.detail ?? null }));
    }
  };
  // A page whose policy refuses the frame says so at once instead of after the time-out.
  const onRefused = (e) => {
    if (/^(frame|child|default)-src/.test(e.violatedDirective) && String(e.blockedURI).startsWith(frameUrl.origin)) fail();
  };
  const stop = () => {
    clearTimeout(timer);
    window.removeEventListener('message', onMessage);
    document.removeEventListener('securitypolicyviolation', onRefused);
  };
  const fail = () => { stop(); host._frame = null; failed(host); };
  const timer = setTimeout(() => { if (!shown) fail(); }, FACTS.deadlinesMs.widgetFiles);
  window.addEventListener('message', onMessage);
  document.addEventListener('securitypolicyviolation', onRefused);
  host._frame = {
    stop,
    send: (command) => { if (talks && frame.contentWindow) frame.contentWindow.postMessage({ source: 'studio-booking', type: 'command', command }, frameUrl.origin); },
  };
  if (!talks) show(760); // no messages: a fixed height, the frame scrolls
  frame.src = frameUrl.href;
}
