// What every page of the local execution view is built with: the read-only Step Functions pass-through, the
// Express runs this process saw, and small DOM and formatting helpers.
(function (global) {
  'use strict';

  const BASE = '/ui';

  async function sfn(operation, body) {
    const res = await fetch(BASE + '/sfn', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.' + operation },
      body: JSON.stringify(body || {})
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = new Error((json.__type || res.status) + ': ' + (json.message || json.Message || 'request failed'));
      error.type = json.__type;
      throw error;
    }
    return json;
  }

  /** The Express runs this process saw (newest first), or one whole; null when it is no longer held. */
  async function expressRuns(executionArn) {
    const res = await fetch(BASE + '/express-executions' + (executionArn ? '?executionArn=' + encodeURIComponent(executionArn) : ''),
      { headers: { Accept: 'application/json' } });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error('the Express runs did not load: ' + res.status);
    const json = await res.json();
    return executionArn ? json : (json.executions || []);
  }

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null) e.setAttribute(k, v);
    });
    children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
    return e;
  }

  const toDate = (t) => t == null ? null : new Date(typeof t === 'number' ? t * 1000 : t);
  const fmt = (t) => { const d = toDate(t); return d ? d.toISOString().replace('T', ' ').replace('Z', ' UTC') : '—'; };
  const duration = (start, stop) => stop ? Math.round(toDate(stop) - toDate(start)) + ' ms' : 'running…';
  const badge = (s) => h('span', { class: 'badge ' + s, 'data-status': s }, s);
  const executionHref = (arn) => BASE + '/executions/' + encodeURIComponent(arn);
  const mapRunHref = (arn) => BASE + '/map-runs/' + encodeURIComponent(arn);
  const isExpressArn = (arn) => arn.split(':')[5] === 'express';
  const pretty = (v) => {
    if (typeof v === 'string') { try { return JSON.stringify(JSON.parse(v), null, 2); } catch (e) { return v; } }
    return JSON.stringify(v, null, 2);
  };
  /** One labelled figure of a summary panel; {@code id} names it for tests and links. */
  const figure = (label, value, id) => h('div', id ? { 'data-figure': id } : {}, h('span', {}, label), value);

  global.ViewKit = { BASE, sfn, expressRuns, h, toDate, fmt, duration, badge, executionHref, mapRunHref, isExpressArn,
    pretty, figure };
})(window);
