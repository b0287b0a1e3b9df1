/*! studio-booking loader: <script async src=".../studio-booking.js"></script>
 * Defines the <studio-booking> element and loads the widget (its JS glue and wasm, found next
 * to this file) only once such an element is in the page. Works as a classic or a module
 * script, before or after the element, and for elements added later. Defines no global but
 * the custom element. */
(() => {
  if (!window.customElements || customElements.get('studio-booking')) return;
  const own = (document.currentScript && document.currentScript.src)
    || [...document.querySelectorAll('script[src]')].map((s) => s.src).find((s) => /\/studio-booking\.js(?:[?#]|$)/.test(s))
    || location.href;
  const base = new URL('.', own);
  const ATTRIBUTES = ['api-base', 'session-type', 'locale', 'timezone', 'theme', 'accent', 'mode', 'prefill-name', 'prefill-email', 'fallback-href'];
  const LOAD_TIMEOUT_MS = 8000;
  let widget = null; // the promise of the wasm module's exports, made once per page

  function loadWidget() {
    if (!widget) {
      widget = import(new URL('studio-booking-widget.js', base).href).then(async (glue) => {
        await glue.default({ module_or_path: new URL('studio-booking-widget_bg.wasm', base) });
        return glue;
      });
      widget.catch(() => { widget = null; }); // a retry loads again
    }
    return widget;
  }

  function failed(host) {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.replaceChildren();
    const box = document.createElement('div');
    box.setAttribute('role', 'alert');
    box.setAttribute('part', 'error');
    box.style.cssText = 'font:inherit;padding:16px;border:1px solid #a11d1d;border-radius:12px;color:#a11d1d;background:#fff';
    const text = document.createElement('p');
    text.style.margin = '0 0 8px';
    text.textContent = 'The booking calendar could not be loaded. Check your connection and try again.';
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.textContent = 'Try again';
    retry.addEventListener('click', () => { root.replaceChildren(); host.start(); });
    box.append(text, retry);
    const href = host.getAttribute('fallback-href');
    if (href && /^(https?:|mailto:)/i.test(href.trim())) {
      const link = document.createElement('a');
      link.href = href.trim();
      link.textContent = 'Book on the studio\u2019s own page instead';
      link.style.marginLeft = '12px';
      box.append(link);
    }
    root.append(box);
    host.dispatchEvent(new CustomEvent('studio-booking:error', { bubbles: true, composed: true, detail: { message: text.textContent } }));
  }

  class StudioBooking extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    connectedCallback() { this.start(); }

    disconnectedCallback() {
      if (widget) widget.then((w) => { if (!this.isConnected) w.unmount_widget(this); }, () => {});
    }

    attributeChangedCallback(_name, before, after) {
      if (before === after || !this._mounted || this._pending) return;
      this._pending = true;
      queueMicrotask(() => { this._pending = false; if (this.isConnected) widget.then((w) => w.mount_widget(this)); });
    }

    /** Loads the widget (once per page) and mounts it here; says so within 8 s if it cannot. */
    start() {
      if (this._starting) return;
      this._starting = true;
      const timer = setTimeout(() => { if (!this._mounted) failed(this); }, LOAD_TIMEOUT_MS);
      loadWidget().then((w) => {
        clearTimeout(timer);
        this._starting = false;
        if (!this.isConnected) return;
        w.mount_widget(this);
        this._mounted = true;
      }, () => {
        clearTimeout(timer);
        this._starting = false;
        failed(this);
      });
    }

    /** Opens the widget (popup mode). */
    open() { if (widget) widget.then((w) => w.widget_command(this, 'open')); }
    /** Closes the widget (popup mode). */
    close() { if (widget) widget.then((w) => w.widget_command(this, 'close')); }
    /** Starts the booking over. */
    reset() { if (widget) widget.then((w) => w.widget_command(this, 'reset')); }
  }

  customElements.define('studio-booking', StudioBooking);
})();
