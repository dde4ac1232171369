/*
 * Switchboard chat widget loader. Embed on any page:
 *   <script src="https://chat.example.com/widget.js" data-org-key="wk_…" async></script>
 * Optional: data-user-id + data-user-signature (hex HMAC-SHA256 of the user id with the org's identity secret,
 * computed on your server) bind the chat to your signed-in user; data-name is shown to agents.
 * The panel is an iframe of the Switchboard server's /widget page, so nothing of this page's CSS or scripts
 * reaches it and its tokens stay in the Switchboard origin's storage.
 */
(() => {
  const script = document.currentScript;
  if (!script || window.__switchboardWidget) return;
  window.__switchboardWidget = true;
  const key = script.getAttribute('data-org-key');
  if (!key) {
    console.error('[switchboard] widget.js needs data-org-key="…" on its script tag');
    return;
  }
  const origin = new URL(script.src, window.location.href).origin;
  const params = new URLSearchParams({ key });
  for (const [attr, param] of [
    ['data-user-id', 'uid'],
    ['data-user-signature', 'sig'],
    ['data-name', 'name'],
  ]) {
    const v = script.getAttribute(attr);
    if (v) params.set(param, v);
  }
  const OPEN_KEY = 'switchboard-widget-open';
  // The panel's visitor and conversation, kept here too: browsers that block third-party storage deny the
  // iframe its own localStorage, so this page hands the state back in the iframe URL's fragment.
  const STATE_KEY = `switchboard-widget:${key}`;
  const savedState = () => {
    try {
      return localStorage.getItem(STATE_KEY);
    } catch {
      return null;
    }
  };

  const css = (el, styles) => {
    for (const [k, v] of Object.entries(styles)) el.style.setProperty(k, v);
  };

  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Open chat');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('data-switchboard', 'launcher');
  button.textContent = '💬';
  css(button, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    'border-radius': '50%',
    border: 'none',
    background: '#228be6',
    color: '#fff',
    'font-size': '26px',
    cursor: 'pointer',
    'box-shadow': '0 4px 14px rgba(0,0,0,.25)',
    'z-index': '2147483000',
  });

  let frame = null;
  const setOpen = (open) => {
    if (open && !frame) {
      frame = document.createElement('iframe');
      const state = savedState();
      frame.src = `${origin}/widget?${params}${state ? `#${new URLSearchParams({ s: state })}` : ''}`;
      frame.title = 'Chat with us';
      frame.setAttribute('data-switchboard', 'panel');
      css(frame, {
        position: 'fixed',
        right: '20px',
        bottom: '88px',
        width: 'min(380px, calc(100vw - 40px))',
        height: 'min(600px, calc(100vh - 110px))',
        border: '1px solid rgba(0,0,0,.12)',
        'border-radius': '12px',
        background: '#fff',
        'box-shadow': '0 8px 30px rgba(0,0,0,.2)',
        'z-index': '2147483000',
      });
      document.body.appendChild(frame);
    }
    if (frame) frame.style.setProperty('display', open ? 'block' : 'none');
    button.textContent = open ? '✕' : '💬';
    button.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    button.setAttribute('aria-expanded', String(open));
    try {
      sessionStorage.setItem(OPEN_KEY, open ? '1' : '0');
    } catch {
      // Storage can be blocked; the panel then simply starts closed.
    }
  };
  button.addEventListener('click', () => setOpen(!frame || frame.style.display === 'none'));
  // The panel's own close button (and Escape inside it) ask the page to hide it.
  window.addEventListener('message', (e) => {
    if (e.origin !== origin || e.source !== frame?.contentWindow) return;
    if (e.data === 'switchboard:close') {
      setOpen(false);
      button.focus();
    } else if (e.data?.switchboard === 'state' && e.data.key === key) {
      try {
        localStorage.setItem(STATE_KEY, JSON.stringify(e.data.state));
      } catch {}
    }
  });

  const mount = () => {
    document.body.appendChild(button);
    let wasOpen = false;
    try {
      wasOpen = sessionStorage.getItem(OPEN_KEY) === '1';
    } catch {}
    if (wasOpen) setOpen(true);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
