/*! studio-booking frame: the page frame.html runs for mode="iframe". It puts one
 * <studio-booking> in itself with the settings from its URL, and talks to the page that
 * framed it, whose origin it is given as "embedder": its height and the widget's events go to
 * that origin only, and commands (and a manage link that opened that page) are taken only
 * from that window and that origin.
 * The build (tools/build/loader.mjs) replaces each read of FACTS.… (the facts of
 * interface.json) by a constant declared at the start of the function below. */
(() => {
  const params = new URLSearchParams(location.search);
  const SETTINGS = FACTS.attributes.filter((a) => a !== 'mode');
  const EVENTS = FACTS.events;
  const COMMANDS = FACTS.frameCommands;
  document.documentElement.style.background = 'transparent';
  document.body.style.margin = '0';
  const widget = document.createElement(FACTS.element);
  widget.style.display = 'block';
  const font = params.get('font');
  if (font) widget.style.fontFamily = font; // the framing page's font (CSSOM: no inline style)
  for (const name of FACTS.themeProperties) {
    const value = params.get(`--${name}`); // the theming custom properties set on the framing element
    if (value) widget.style.setProperty(FACTS.themePropertyPrefix + name, value);
  }
  for (const name of SETTINGS) {
    const value = params.get(name);
    if (value !== null) widget.setAttribute(name, value);
  }

  const embedder = params.get('embedder');
  const framed = window.parent !== window;
  // The origin must be a plain http(s) origin and, where the browser tells (Chromium, Safari),
  // the one that really framed this page.
  const trusted = framed && embedder !== null && /^https?:\/\/[^/?#]+$/.test(embedder)
    && (!location.ancestorOrigins || location.ancestorOrigins[0] === embedder);
  const post = (message) => window.parent.postMessage({ source: 'studio-booking', ...message }, embedder);
  const fromEmbedder = (e) => e.source === window.parent && e.origin === embedder && e.data?.source === 'studio-booking';
  if (trusted && params.get('link') === '1') {
    // The framing page was opened by a manage link: its parameters come by message, never in
    // this page's address, and the widget starts once they are here (in memory only).
    let waiting = true;
    const start = (found) => {
      if (!waiting) return;
      waiting = false;
      if (found) widget._link = found;
      document.body.append(widget);
    };
    window.addEventListener('message', (e) => { if (fromEmbedder(e) && e.data.type === 'link' && typeof e.data.link === 'string') start(e.data.link); });
    setTimeout(start, FACTS.deadlinesMs.widgetFiles);
    post({ type: 'link-wanted' });
  } else document.body.append(widget);
  if (!trusted) return;
  let last = -1;
  new ResizeObserver(() => {
    const height = Math.ceil(widget.getBoundingClientRect().height);
    if (height !== last) { last = height; post({ type: 'resize', height }); }
  }).observe(widget);
  for (const name of EVENTS) {
    widget.addEventListener(FACTS.eventPrefix + name, (e) => post({ type: 'event', name, detail: e.detail ?? null }));
  }
  window.addEventListener('message', (e) => {
    if (fromEmbedder(e) && e.data.type === 'command' && COMMANDS.includes(e.data.command)) widget[e.data.command]();
  });
})();
