/*! studio-booking loader: <script async src=".../studio-booking.js"></script>
 * Defines the <studio-booking> element and loads the widget (its JS glue and wasm, found next
 * to this file) only once such an element is in the page. A widget that opens on the session
 * type list has it drawn first from the list's answer (first-screen.js), and popup mode its
 * button (popup.js), both before the widget's code runs, which then takes their place. Works
 * as a classic or a module script, before or after the element, and for elements added
 * later. Defines no global but the custom element. With mode="iframe" nothing but this file
 * and frame-host.js runs in the page: the widget runs in frame.html (next to this file, on its
 * own origin) and talks to this page only by postMessage with exact origins.
 *
 * This source is not served as it is: the build (tools/build/loader.mjs) replaces each read
 * of FACTS.… (the facts of interface.json: the element's attributes, events, theme
 * properties, the languages, the API's paths, the deadlines) and of BUILD.… (what the build
 * made: `dateTimeFiles`, the wasm files of the date and time step, none in a debug build;
 * `messagesKey`, which names this build's language files; `messages`, the position in a
 * language's first-screen file and the English text of each message this file shows itself;
 * `css`, the first screen's styles; `stylesExport`, the glue's export of the other steps'
 * styles; `firstScreen`, `popup` and `frameHost`, the modules' file names) by a constant declared at the
 * start of the function below. */
(() => {
  if (!window.customElements || customElements.get(FACTS.element)) return;
  const own = (document.currentScript && document.currentScript.src)
    || [...document.querySelectorAll('script[src]')].map((s) => s.src).find((s) => /\/studio-booking\.js(?:[?#]|$)/.test(s))
    || location.href;
  const base = new URL('.', own);
  const ATTRIBUTES = FACTS.attributes;
  const LOAD_TIMEOUT_MS = FACTS.deadlinesMs.widgetFiles;
  // How long the loader waits to draw the list itself before it runs the widget's code, which
  // shows its waiting state (and says so after a second more) while the studio answers.
  const SLOW_LIST_MS = 1000;
  let widget = null; // the promise of the wasm module's exports, made once per page
  // ---- A link's secret: read first, and out of the address bar in the same task ----
  // A manage link carries its session and token in the fragment (which no server, Referer or
  // request sees), or, written before that, in the query. Both are read here, before any of
  // the widget's code runs, and removed from the address with history.replaceState at once;
  // the parameters then go, in memory only, to the first widget that starts (in iframe mode
  // by postMessage to the frame's exact origin), which opens that session.
  const LINK = [FACTS.manageLink.session, FACTS.manageLink.token];
  /** The link's parameters in query form (null: none), taken out of the page's address. */
  function takeLink() {
    const here = new URL(location.href);
    const fragment = new URLSearchParams(here.hash.slice(1));
    const from = fragment.has(LINK[1]) ? fragment : here.searchParams.has(LINK[1]) ? here.searchParams : null;
    if (!from) return null;
    const found = new URLSearchParams(LINK.map((p) => [p, from.get(p) ?? '']));
    // A fragment that holds a link is the link's alone; an older link leaves the page's query.
    if (from === fragment) here.hash = '';
    else for (const p of LINK) here.searchParams.delete(p);
    try { history.replaceState(history.state, '', here.href); } catch { /* an address that cannot be changed (a sandbox) */ }
    return found.toString();
  }
  let link = takeLink();
  // A link opened on this very page (only its fragment differs, so the page is not loaded
  // again): the first widget opens it.
  addEventListener('hashchange', () => {
    const found = takeLink();
    const host = found && document.querySelector(FACTS.element);
    if (!host) { link = found ?? link; return; }
    host._link = found;
    if (host._frame) { host._frame.stop(); host._frame = null; }
    host._mounted = false;
    host.restart();
  });
  // A release build puts the date and time step's code in wasm files of their own (none in a
  // debug build).
  const DATE_TIME_FILES = BUILD.dateTimeFiles;
  // How long a split wasm file may take to arrive whole, here and in the widget's own fetches
  // of them (the build gives the glue the same deadline): the largest (~35 KB as a CDN sends
  // it) would have to come at under 2 KB/s, far below any phone network, so only a stalled
  // download reaches it, and the step then says so and offers "Try again".
  const SPLIT_FILE_DEADLINE_MS = FACTS.deadlinesMs.splitFile;
  // ---- The visitor's language ----
  // Known here, before the wasm runs, so that its file comes beside the widget's own.
  const LANGUAGES = FACTS.languages;
  const ALIASES = FACTS.languageAliases;
  /** The language of ours a BCP 47 tag asks for, or null: the tag itself ("pt-BR"), an alias
   * of its language ("pt" → "pt-BR", "no" → "nb"), or its language ("fr-CA" → "fr"). */
  function languageOf(tag) {
    if (typeof tag !== 'string' || !tag) return null;
    const lower = tag.toLowerCase().replace(/_/g, '-');
    const exact = [...LANGUAGES, FACTS.pseudoLanguage].find((l) => l.toLowerCase() === lower);
    const first = lower.split('-')[0];
    return exact ?? (Object.hasOwn(ALIASES, first) ? ALIASES[first] : LANGUAGES.find((l) => l === first) ?? null);
  }
  /** A widget's language and the locale its dates, times and prices follow. Its `locale`
   * setting (attribute or ?locale=) decides both; else the page's <html lang>, then the
   * browser's languages, best first; else English. Formats follow the tag that chose the
   * language, or a browser language of that language that names a region ("en" on the page,
   * "en-GB" in the browser). */
  function languageFor(host) {
    const asked = setting(host, 'locale');
    if (asked) return { language: languageOf(asked) ?? 'en', locale: asked };
    const browser = (navigator.languages?.length ? navigator.languages : [navigator.language]).filter(Boolean);
    for (const tag of [document.documentElement.lang, ...browser]) {
      const language = languageOf(tag);
      if (!language) continue;
      const regional = browser.find((b) => b.includes('-') && languageOf(b) === language);
      return { language, locale: tag.includes('-') ? tag : regional ?? tag };
    }
    return { language: 'en', locale: browser.find((b) => languageOf(b) === 'en') ?? 'en' };
  }
  const files = {}; // a language file's path -> the promise of its entries (null: not had)
  const arrived = {}; // language -> its first screen's messages, once they are here
  /** A language file, fetched once per page (null for English, or when it cannot be had in
   * time or is another build's: the widget then speaks English, and says nothing). */
  function languageFile(template, language) {
    if (language === 'en') return Promise.resolve(null);
    const path = template.replace('{language}', language);
    return (files[path] ??= fetch(new URL(path, base), { signal: AbortSignal.timeout(FACTS.deadlinesMs.languageFile) })
      .then((r) => r.json())
      .then((m) => {
        if (m[0] !== BUILD.messagesKey) throw 0;
        return m;
      })
      .catch(() => { delete files[path]; return null; })); // asked for again next time
  }
  /** The messages this file and the first screen show: a small file of their own, all the
   * list drawn before the widget's code waits for. */
  const wordsOf = (language) => languageFile(FACTS.firstScreenLanguageFile, language).then((m) => (arrived[language] = m));
  /** Every message of a language, for the widget. */
  const messagesOf = (language) => languageFile(FACTS.languageFile, language);
  /** A message this file shows itself, from a language file (else in English). */
  const say = (file, [at, english]) => file?.[1].split('\n')[at] ?? english;
  /** Mounts the widget in an element, in its language (its file offered first). */
  function mountIn(host, w) {
    const { language, locale } = languageFor(host);
    return messagesOf(language).then((messages) => {
      if (messages) w.offer_language(language, messages);
      if (!host.isConnected) return;
      const early = host._early;
      const focused = rootOf(host).activeElement;
      w.mount_widget(host, language, locale, host._link ?? undefined);
      host._link = null; // opened once: held by the widget, in memory
      if (early?.popup) { host._early = null; early.takeOver(w, focused); return; }
      const theirs = early && [...host.shadowRoot.children].find((c) => c.classList.contains('sb-root') && c !== early.screen);
      if (theirs) early.takeOver(theirs, () => { if (host._early === early) host._early = null; });
      else host._early = null;
    });
  }

  /** An API URL: a path of interface.json with its {placeholders} filled in. */
  const apiPath = (api, path, values) => `${api}/${path.replace(/\{(\w+)\}/g, (_, k) => values[k])}`;

  let abandonLoad = null; // stops the load under way, for a visitor's "Try again"
  // In-page elements started and not yet mounted (waiting, or showing the failure). They
  // share the page's one load, so "Try again" on any of them starts them all again.
  const unmounted = new Set();
  let loads = 0;
  let code = null; // the promise of the glue module and the compiled main wasm, once per page
  /** Fetches the widget's code without running it: the glue, and the main wasm compiled as it
   * streams (off the main thread). `low`: after everything the page itself asks for. */
  function fetchCode(low) {
    if (!code) {
      const stop = new AbortController();
      const wasm = fetch(new URL('studio-booking-widget_bg.wasm', base), { signal: stop.signal, priority: low ? 'low' : 'auto' })
        .then((r) => {
          if (!r.ok) throw new Error(`${r.status}`);
          // Streaming compilation needs the wasm type; a server that sends another compiles whole.
          return /^application\/wasm/.test(r.headers.get('content-type') ?? '') ? WebAssembly.compileStreaming(r) : r.arrayBuffer().then((b) => WebAssembly.compile(b));
        });
      // A load after an abandoned one imports the glue under a URL of its own: the page keeps
      // a module it was asked for once, even one whose download never ended.
      const glueUrl = new URL('studio-booking-widget.js', base);
      if (loads++) glueUrl.search = `?load=${loads}`;
      const fetching = Promise.all([import(glueUrl.href), wasm]);
      code = fetching;
      abandonLoad = () => { stop.abort(); if (code === fetching) { code = null; widget = null; } };
      fetching.catch(() => { if (code === fetching) { code = null; widget = null; } }); // a retry loads again
    }
    return code;
  }
  // The date and time step's wasm files, fetched and compiled before the glue runs (for a
  // preselected session type, or a session type chosen on the first screen the loader drew):
  // the glue uses each once instead of fetching it again.
  const stepFiles = new Map();
  let glueRan = false; // the glue has taken the files fetched so far (it fetches the rest itself)
  function fetchDateTimeStep(low) {
    if (glueRan || stepFiles.size) return;
    for (const f of DATE_TIME_FILES) {
      const r = WebAssembly.compileStreaming(fetch(new URL(f, base), { signal: AbortSignal.timeout(SPLIT_FILE_DEADLINE_MS), priority: low ? 'low' : 'auto' }));
      r.catch(() => {});
      stepFiles.set(f, r);
    }
  }
  /** Runs the widget's code (fetched now if it is not here yet): the promise of its exports. */
  function loadWidget(host) {
    if (!widget) {
      if (setting(host, 'session-type')) fetchDateTimeStep();
      const running = fetchCode(false).then(async ([glue, module]) => {
        addStyles(glue[BUILD.stylesExport] ?? '');
        glueRan = true;
        for (const [f, r] of stepFiles) glue.offer_file?.(f, r);
        stepFiles.clear();
        await glue.default({ module_or_path: module });
        return glue;
      });
      widget = running;
      running.catch(() => { if (widget === running) widget = null; });
    }
    return widget;
  }

  // The first API answers a widget needs are asked for while its files load, and handed to
  // it by URL, each as the first attempt of its own request (it retries on its own if one
  // fails): the session type list, and, for a preselected session type, this month's open
  // days in the visitor's zone. Each has the deadline the widget would give it.
  // Each answer is read whole as it arrives ({ status, retryAfter, body }), not handed over
  // as a Response: reading a Response's body takes a task of its own, so the widget would
  // paint its waiting state first and then lay out again for the answer it already had.
  const prefetched = new Map();
  function prefetch(url, timeoutMs) {
    if (prefetched.has(url)) return;
    const answer = fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
      .then((r) => r.text().then((body) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body })));
    answer.catch(() => {}); // the widget reads the failure; the page's console stays quiet
    prefetched.set(url, answer);
  }
  const apiOf = (host) => { const raw = host.getAttribute('api-base'); return raw && raw.trim() ? raw.replace(/\/+$/, '') : null; };
  const listUrl = (api) => apiPath(api, FACTS.paths.sessionTypesPage, { page: 1, per_page: FACTS.sessionTypesPerPage });
  function prefetchList(host) {
    const api = apiOf(host);
    if (api) prefetch(listUrl(api), FACTS.deadlinesMs.sessionTypesAttempt);
  }
  /** This month's open days of a session type (the preselected one, or one chosen on the
   * list drawn here) in the visitor's zone, asked for before the widget's code asks. */
  function prefetchFirstMonth(host, type = setting(host, 'session-type')) {
    const api = apiOf(host);
    if (!api || !type) return;
    let zone = setting(host, 'timezone');
    try { new Intl.DateTimeFormat('en', { timeZone: zone ?? undefined }); } catch { zone = null; }
    const month = new Intl.DateTimeFormat('en-US', { timeZone: zone ?? undefined, year: 'numeric', month: 'numeric' });
    const part = (name) => month.formatToParts(new Date()).find((p) => p.type === name)?.value;
    zone ??= month.resolvedOptions().timeZone;
    prefetch(apiPath(api, FACTS.paths.monthAvailability, { id: type, year: part('year'), month: part('month'), zone }), FACTS.deadlinesMs.availabilityAttempt);
  }
  /** While the widget's files download the page is idle: the first use of Intl (about 25 ms
   * of main-thread work on a fast laptop, ~4x that on a phone) is done then, not after they
   * arrive. The widget formats prices and reads the visitor's zone on its first screen. */
  function warmIntl(locale) {
    try {
      new Intl.DateTimeFormat().resolvedOptions();
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'GBP' }).format(0);
    } catch { /* an unknown locale: the widget picks its own */ }
  }
  function handOver(w) {
    for (const [url, answer] of prefetched) w.offer_prefetched(url, answer);
    prefetched.clear();
  }

  /** An attribute, or else this page's URL query parameter of the same name. */
  function setting(host, name) {
    let value = host.getAttribute(name);
    if (value === null && !FACTS.attributesNotFromPageQuery.includes(name)) value = new URLSearchParams(location.search).get(name);
    return value === null || value.trim() === '' ? null : value.trim();
  }

  /**
   * The widget in an iframe served from the files' own origin: for pages whose
   * Content-Security-Policy does not allow WebAssembly. frame-host.js (imported for it, so
   * that other pages pay nothing for it) makes the frame and talks to it.
   */
  let frameHost = null; // the promise of frame-host.js, imported once per page
  function startFrame(host) {
    (host.shadowRoot || host.attachShadow({ mode: 'open' })).replaceChildren();
    const started = (host._framing = {});
    frameHost ??= import(new URL(BUILD.frameHost, base).href);
    frameHost.then((module) => {
      if (host._framing === started && host.isConnected) module.start(host, { base, languageFor, setting, wordsOf, say, failed });
    }, () => { frameHost = null; failed(host); });
  }

  /** Says that the widget could not be loaded, in the widget's own styles (which the loader
   * carries): in the visitor's language if its file is here (it is fetched beside the
   * widget's), else in English. */
  function failed(host) {
    const { language, locale } = languageFor(host);
    const messages = arrived[language];
    const make = (tag, className, text) => {
      const e = document.createElement(tag);
      if (className) e.className = className;
      if (text) e.textContent = text;
      return e;
    };
    const screen = make('div', 'sb-root');
    const theme = host.getAttribute('theme');
    screen.dataset.theme = ['dark', 'auto'].includes(theme) ? theme : 'light';
    if (messages) {
      screen.lang = locale;
      screen.dir = FACTS.rightToLeft.includes(language) ? 'rtl' : 'ltr';
    }
    const box = make('div', 'sb-error');
    box.setAttribute('role', 'alert');
    box.setAttribute('part', 'error');
    const text = make('p', null, say(messages, BUILD.messages.loader_failed));
    const retry = make('button', 'sb-button sb-button-secondary', say(messages, BUILD.messages.retry));
    retry.type = 'button';
    retry.addEventListener('click', () => host.restart());
    box.append(text, retry);
    const href = host.getAttribute('fallback-href');
    if (href && /^(https?:|mailto:)/i.test(href.trim())) {
      const link = make('a', 'sb-link', say(messages, BUILD.messages.loader_book_elsewhere));
      link.href = href.trim();
      box.append(link);
    }
    screen.append(box);
    rootOf(host).replaceChildren(screen);
    host.dispatchEvent(new CustomEvent(`${FACTS.eventPrefix}error`, { bubbles: true, composed: true, detail: { message: text.textContent } }));
  }

  // ---- The first screen, drawn from the list's answer before the widget's code runs ----
  // For a widget that opens on the session type list, the list is drawn from its answer by
  // first-screen.js (fetched beside the answer and the language file), as the widget would
  // draw it. The widget's code is fetched at low priority and compiled off the main thread
  // meanwhile, and runs when the visitor first points at, touches, focuses or presses a key on
  // the widget: until then the host page pays for this drawing alone. Its screen then takes
  // the place of the drawn one, unseen (first-screen.js, takeOver).

  // The widget's stylesheets, made once per page and shared by its widgets: the first
  // screen's (carried here), then the later steps' (in the glue, added when it arrives) and
  // popup mode's button's (in popup.js).
  const styles = [BUILD.css];
  const sheets = [];
  const addStyles = (css) => { if (!styles.includes(css)) styles.push(css); };
  /** The element's shadow root, holding the widget's styles (the wasm carries none). */
  function makeSheets() {
    styles.forEach((css, i) => {
      if (!sheets[i]) { sheets[i] = new CSSStyleSheet(); sheets[i].replaceSync(css); }
    });
  }
  function rootOf(host) {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    makeSheets();
    if (sheets.some((s) => !root.adoptedStyleSheets.includes(s))) root.adoptedStyleSheets = sheets;
    return root;
  }

  /** Whether an element opens on the session type list, which the loader then draws: not a
   * preselected session type, a manage link, a draft kept before a reload, or popup mode. */
  function opensOnList(host) {
    return !setting(host, 'session-type') && setting(host, 'mode') !== 'popup' && opensAnew(host);
  }
  /** Whether an element opens anew: not on a manage link or a draft kept before a reload. */
  function opensAnew(host) {
    if (!apiOf(host) || host._link) return false;
    // The widget's own name for the draft (src/mount.rs, draft_key).
    const place = host.id || `#${[...document.querySelectorAll(FACTS.element)].indexOf(host)}`;
    try {
      return sessionStorage.getItem(`studio-booking:draft:${host.getAttribute('api-base') ?? ''}|${host.getAttribute('session-type') ?? ''}|${place}`) === null;
    } catch { return true; }
  }
  let firstScreen = null; // the promise of first-screen.js, imported once per page
  let popup = null; // the promise of popup.js, likewise

  class StudioBooking extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    connectedCallback() { this.start(); }

    disconnectedCallback() {
      unmounted.delete(this);
      if (this._early) { this._early.stop(); this._early = null; this._attempt = null; }
      this._framing = null;
      if (this._frame) { this._frame.stop(); this._frame = null; this._mounted = false; }
      if (widget) widget.then((w) => { if (!this.isConnected) w.unmount_widget(this); }, () => {});
    }

    attributeChangedCallback(_name, before, after) {
      if (before === after || !this._mounted || this._pending) return;
      this._pending = true;
      queueMicrotask(() => {
        this._pending = false;
        if (!this.isConnected) return;
        const framed = this.getAttribute('mode') === 'iframe';
        if (this._frame) { this._frame.stop(); this._frame = null; }
        if (framed) {
          if (widget) widget.then((w) => w.unmount_widget(this), () => {});
          startFrame(this);
        } else if (widget) {
          // A new preselected session type's month is asked for beside the list, as at the start.
          prefetchFirstMonth(this);
          widget.then((w) => { handOver(w); mountIn(this, w); });
        } else {
          this._mounted = false;
          this.start();
        }
      });
    }

    /** Loads the widget (once per page) and mounts it here; says so within 8 s if it cannot.
     * `_attempt` is the load this element waits for (none once it has mounted or failed). */
    start() {
      if (this._attempt) return;
      if (link) { this._link = link; link = null; }
      if (this.getAttribute('mode') === 'iframe') {
        startFrame(this);
        this._mounted = true;
        return;
      }
      const attempt = (this._attempt = {});
      unmounted.add(this);
      // Said within 8 s when neither the first screen nor the widget could be shown.
      const timer = setTimeout(() => { if (!this._mounted && !this._early) failed(this); }, LOAD_TIMEOUT_MS);
      const { language, locale } = languageFor(this);
      const words = wordsOf(language); // beside the widget's files; never fails
      prefetchList(this);
      let ran = null; // the run under way, if any
      // Runs the widget's code and mounts it: at once, or at the first use of the first screen.
      // Only this element's latest attempt mounts or fails it (a "Try again" makes a new one).
      const run = () => {
        if (ran || this._attempt !== attempt) return;
        const current = (ran = {});
        // The code that a first screen was waiting for: said within 8 s from now if it cannot
        // be had (a download that stalled is abandoned, so that "Try again" fetches afresh).
        const deadline = this._early && setTimeout(() => { abandonLoad?.(); failedEarly(); }, LOAD_TIMEOUT_MS);
        const failedEarly = () => {
          if (ran !== current) return;
          clearTimeout(deadline);
          ran = null;
          if (this._early.popup) { this._early.stop(); this._early = null; failed(this); return; }
          const href = this.getAttribute('fallback-href')?.trim();
          const messages = arrived[language];
          const text = say(messages, BUILD.messages.loader_failed);
          if (this._early.failed(href && /^(https?:|mailto:)/i.test(href) ? href : null, text, say(messages, BUILD.messages.retry))) {
            this.dispatchEvent(new CustomEvent(`${FACTS.eventPrefix}error`, { bubbles: true, composed: true, detail: { message: text } }));
          }
        };
        Promise.all([loadWidget(this), words]).then(([w]) => {
          if (this._attempt !== attempt || ran !== current) return;
          clearTimeout(deadline);
          clearTimeout(timer);
          this._attempt = null;
          unmounted.delete(this);
          handOver(w);
          if (!this.isConnected) return;
          mountIn(this, w);
          this._mounted = true;
        }, () => {
          if (this._attempt !== attempt || ran !== current) return;
          // The first screen stays, readable; a choice on it says what can be done.
          if (this._early) { failedEarly(); return; }
          clearTimeout(timer);
          this._attempt = null;
          prefetched.clear(); // "Try again" asks the studio afresh too
          // Said in the visitor's language: its file is on its way (it settles within its deadline).
          words.then(() => { if (!this._attempt && !this._mounted && this.isConnected) failed(this); });
        });
      };
      // The code comes once the page has loaded (sooner if the visitor reaches for the
      // widget): at low priority, compiled as it streams, off the main thread; then the date
      // and time step's files. The page's own images and scripts come first.
      const later = () => {
        messagesOf(language);
        fetchCode(true).then(() => { if (this._early) fetchDateTimeStep(true); }, () => {});
      };
      const afterLoad = () => { if (document.readyState === 'complete') later(); else addEventListener('load', later, { once: true }); };
      if (setting(this, 'mode') === 'popup') {
        // Popup mode: the button is drawn now (its rules come with it); the code runs at its
        // first use, or at once on a manage link or a kept draft.
        popup ??= import(new URL(BUILD.popup, base).href);
        Promise.all([popup, words]).then(([module, messages]) => {
          addStyles(module.css);
          if (this._attempt !== attempt || ran) return;
          prefetchFirstMonth(this);
          if (!opensAnew(this)) { run(); return; }
          this._early = module.show(this, rootOf(this), say(messages, BUILD.messages.open_booking), messages ? language : 'en', locale, run);
          clearTimeout(timer);
          afterLoad();
        }, run);
        return;
      }
      if (!opensOnList(this)) {
        messagesOf(language);
        run();
        prefetchFirstMonth(this);
        warmIntl(locale);
        return;
      }
      // What the list needs comes first: its drawing code (asked for before anything else),
      // the list's answer and the words. While they come, the stylesheet is parsed and Intl
      // started (its first use is the costliest), each in a task of its own: no long task.
      firstScreen ??= import(new URL(BUILD.firstScreen, base).href);
      setTimeout(makeSheets);
      setTimeout(() => warmIntl(locale));
      // A list not drawn within a second (a slow studio): the widget's own waiting state.
      setTimeout(() => { if (!this._early) run(); }, SLOW_LIST_MS);
      Promise.all([firstScreen, prefetched.get(listUrl(apiOf(this))), words]).then(([module, answer, messages]) => {
        if (this._attempt !== attempt || ran) return;
        this._early = module.show(this, rootOf(this), answer, {
          messages, language, locale, theme: setting(this, 'theme'), accent: setting(this, 'accent'), run,
          // A session type chosen there: its month and the date step's files are asked for now.
          choose: (id) => { prefetchFirstMonth(this, id); fetchDateTimeStep(); if (widget) widget.then(handOver, () => {}); },
        });
        if (!this._early) { run(); return; }
        clearTimeout(timer);
        afterLoad();
      }, run);
    }

    /** "Try again" after the load failed or has not ended within 8 s: a load still under way
     * (a download that stalled) is abandoned and the widget's files are fetched afresh, for
     * every element of the page not mounted yet (they share the load). */
    restart() {
      const again = unmounted.has(this) ? [...unmounted] : [this];
      if (again.some((el) => el._attempt) && abandonLoad) abandonLoad();
      for (const el of again) {
        unmounted.delete(el);
        el._attempt = null;
        el._early?.stop();
        el._early = null;
        el.shadowRoot?.replaceChildren();
        if (el.isConnected) el.start();
      }
    }

    /** Opens the widget (popup mode). */
    open() {
      if (this._early?.popup) this._early.open();
      else if (widget && !this._frame) widget.then((w) => w.widget_command(this, 'open'));
    }
    /** Closes the widget (popup mode). */
    close() { if (widget && !this._frame) widget.then((w) => w.widget_command(this, 'close')); }
    /** Starts the booking over. */
    reset() {
      if (this._frame) this._frame.send('reset');
      else if (widget) widget.then((w) => w.widget_command(this, 'reset'));
    }
  }

  customElements.define(FACTS.element, StudioBooking);
})();
