// The document of the custom-component iframe. It is loaded with sandbox="allow-scripts" (and the
// CSP `sandbox` directive repeats it), so it has an opaque origin: no cookies, no storage, no
// access to the parent's DOM; `connect-src 'none'` stops it calling the API by itself. The page
// posts compiled component code and props in; the frame posts events, outputs and its height out.
// The component is a function `Component(props, ctx)` returning JSX, rendered by a small
// DOM-building `h` (no React inside: the frame has no bundle of its own to fetch).
export const SANDBOX_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: https:',
  'font-src data:',
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-scripts',
].join('; ');

export const SANDBOX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<style>html,body{margin:0;padding:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:inherit;background:transparent}
.sw-error{color:#cf1322;white-space:pre-wrap;font-family:monospace;font-size:12px;padding:8px;border:1px solid #ffa39e;background:#fff1f0;border-radius:6px}</style>
</head><body><div id="root"></div>
<script>
(function () {
  'use strict';
  var host = window.parent;
  var root = document.getElementById('root');
  var Component = null, props = {}, data = null, state = {}, lastHeight = -1;
  function post(m) { host.postMessage(m, '*'); }
  function Fragment() {}
  function h(type, p) {
    var kids = Array.prototype.slice.call(arguments, 2);
    return { type: type, props: p || {}, children: kids };
  }
  function render(v) {
    if (v === null || v === undefined || v === false || v === true) return document.createTextNode('');
    if (Array.isArray(v)) { var f = document.createDocumentFragment(); v.forEach(function (c) { f.appendChild(render(c)); }); return f; }
    if (typeof v !== 'object') return document.createTextNode(String(v));
    if (v.type === Fragment) return render(v.children);
    if (typeof v.type === 'function') return render(v.type(Object.assign({}, v.props, { children: v.children }), ctx()));
    var el = document.createElement(String(v.type));
    Object.keys(v.props).forEach(function (k) {
      var val = v.props[k];
      if (k === 'key' || k === 'children' || val === null || val === undefined || val === false) return;
      if (k === 'style' && typeof val === 'object') { Object.keys(val).forEach(function (s) { el.style[s] = typeof val[s] === 'number' && !/^(opacity|zIndex|fontWeight|flex|lineHeight)$/.test(s) ? val[s] + 'px' : val[s]; }); }
      else if (/^on[A-Z]/.test(k) && typeof val === 'function') el.addEventListener(k.slice(2).toLowerCase(), val);
      else if (k === 'className') el.setAttribute('class', val);
      else if (k === 'htmlFor') el.setAttribute('for', val);
      else if (k === 'value' && 'value' in el) el.value = val;
      else el.setAttribute(k, val === true ? '' : String(val));
    });
    el.appendChild(render(v.children));
    return el;
  }
  function ctx() {
    return {
      data: data,
      state: state,
      setState: function (patch) { state = Object.assign({}, state, patch); paint(); },
      emit: function (event, payload) { post({ sw: 'event', event: String(event), payload: clone(payload) }); },
      setOutput: function (value) { post({ sw: 'output', value: clone(value) }); }
    };
  }
  function clone(v) { try { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); } }
  function fail(msg) {
    root.innerHTML = '';
    var d = document.createElement('div'); d.className = 'sw-error'; d.textContent = msg; root.appendChild(d);
    post({ sw: 'error', message: msg });
  }
  function paint() {
    if (!Component) return;
    try { root.replaceChildren(render(Component(Object.assign({}, props), ctx()))); }
    catch (e) { fail('render: ' + (e && e.message ? e.message : String(e))); }
    size();
  }
  function size() {
    var hgt = Math.ceil(document.documentElement.scrollHeight);
    if (hgt !== lastHeight) { lastHeight = hgt; post({ sw: 'resize', height: hgt }); }
  }
  window.h = h; window.Fragment = Fragment;
  window.addEventListener('error', function (e) { fail(e.message || 'error'); });
  window.addEventListener('message', function (e) {
    if (e.source !== host) return;
    var m = e.data || {};
    if (m.sw === 'code') {
      window.__swComponent = null; Component = null; state = {};
      var s = document.createElement('script');
      s.textContent = m.code + '\\n;window.__swComponent = typeof Component === "function" ? Component : null;';
      document.body.appendChild(s);
      s.remove();
      Component = window.__swComponent;
      if (!Component) { fail('the source must define function Component(props, ctx)'); return; }
      paint();
    } else if (m.sw === 'props') {
      props = m.props || {}; data = m.data === undefined ? null : m.data; paint();
    }
  });
  if (typeof ResizeObserver === 'function') new ResizeObserver(size).observe(document.body);
  post({ sw: 'ready' });
})();
</script></body></html>`;
