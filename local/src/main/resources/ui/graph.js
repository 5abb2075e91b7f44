// Lays out an ASL definition as a top-down graph and renders it as SVG.
// Parallel branches sit side by side inside their state's box; Map shows its item processor;
// Choice edges carry a short label; Catch edges are dashed.
(function (global) {
  'use strict';

  const NODE_W = 190, NODE_H = 38, GAP_X = 28, GAP_Y = 44, PAD = 16, HEADER = 22;

  function successors(state) {
    const out = [];
    if (state.Type === 'Choice') {
      (state.Choices || []).forEach((c, i) => out.push({ to: c.Next, label: choiceLabel(c, i), kind: 'choice' }));
      if (state.Default) out.push({ to: state.Default, label: 'Default', kind: 'choice' });
    } else if (state.Next) {
      out.push({ to: state.Next, label: '', kind: 'next' });
    }
    (state.Catch || []).forEach(c => out.push({ to: c.Next, label: 'catch ' + (c.ErrorEquals || []).join(','), kind: 'catch' }));
    return out;
  }

  function choiceLabel(rule, i) {
    if (rule.Comment) return rule.Comment;
    const cond = (r) => {
      if (!r) return '';
      if (r.And) return r.And.map(cond).join(' && ');
      if (r.Or) return r.Or.map(cond).join(' || ');
      if (r.Not) return '!(' + cond(r.Not) + ')';
      const op = Object.keys(r).find(k => k !== 'Variable' && k !== 'Next' && k !== 'Comment');
      if (!op) return 'rule ' + (i + 1);
      const v = typeof r[op] === 'string' ? r[op] : JSON.stringify(r[op]);
      return (r.Variable || '') + ' ' + op.replace(/Equals$/, ' ==').replace(/Path$/, ' (path)') + ' ' + v;
    };
    const text = cond(rule) || ('rule ' + (i + 1));
    return text.length > 42 ? text.slice(0, 40) + '…' : text;
  }

  // Longest-path ranks from StartAt over forward edges (back edges are ignored for ranking).
  function rank(states, startAt) {
    const ranks = {}, onStack = {}, order = [];
    function visit(name, depth) {
      if (!states[name] || onStack[name]) return;
      if (ranks[name] !== undefined && ranks[name] >= depth) return;
      ranks[name] = depth;
      if (!order.includes(name)) order.push(name);
      onStack[name] = true;
      successors(states[name]).forEach(e => visit(e.to, depth + 1));
      onStack[name] = false;
    }
    visit(startAt, 0);
    Object.keys(states).forEach(n => { if (ranks[n] === undefined) { ranks[n] = 0; order.push(n); } });
    return { ranks, order };
  }

  function layoutBlock(block) {
    const states = block.States || {};
    const { ranks, order } = rank(states, block.StartAt);
    const boxes = {};
    order.forEach(name => { boxes[name] = measure(name, states[name]); });
    const rows = [];
    order.forEach(name => { (rows[ranks[name]] = rows[ranks[name]] || []).push(name); });
    let y = 0, width = 0;
    const rowInfo = rows.filter(Boolean).map(row => {
      const w = row.reduce((s, n) => s + boxes[n].w, 0) + GAP_X * (row.length - 1);
      const h = Math.max(...row.map(n => boxes[n].h));
      width = Math.max(width, w);
      const info = { row, w, h, y };
      y += h + GAP_Y;
      return info;
    });
    rowInfo.forEach(({ row, w, h, y: ry }) => {
      let x = (width - w) / 2;
      row.forEach(n => { boxes[n].x = x; boxes[n].y = ry + (h - boxes[n].h) / 2; x += boxes[n].w + GAP_X; });
    });
    const edges = [];
    order.forEach(name => successors(states[name]).forEach(e => { if (boxes[e.to]) edges.push({ from: name, ...e }); }));
    return { w: Math.max(width, NODE_W), h: Math.max(y - GAP_Y, NODE_H), boxes, edges, states };
  }

  function measure(name, state) {
    if (state.Type === 'Parallel') {
      const branches = (state.Branches || []).map(layoutBlock);
      const w = branches.reduce((s, b) => s + b.w, 0) + GAP_X * Math.max(branches.length - 1, 0) + 2 * PAD;
      const h = Math.max(0, ...branches.map(b => b.h)) + 2 * PAD + HEADER;
      return { name, state, w: Math.max(w, NODE_W), h, branches };
    }
    if (state.Type === 'Map') {
      const inner = state.ItemProcessor || state.Iterator;
      const branches = inner ? [layoutBlock(inner)] : [];
      const w = (branches[0] ? branches[0].w : NODE_W) + 2 * PAD;
      const h = (branches[0] ? branches[0].h : NODE_H) + 2 * PAD + HEADER;
      return { name, state, w: Math.max(w, NODE_W), h, branches };
    }
    return { name, state, w: NODE_W, h: NODE_H };
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG_NS, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (parent) parent.appendChild(e);
    return e;
  }

  function drawBlock(svg, layout, ox, oy, statusOf, taken) {
    layout.edges.forEach(e => {
      // catch edges would cross the whole graph; draw one only when the run took it
      if (e.kind === 'catch' && !taken.has(e.from + '>' + e.to)) return;
      const a = layout.boxes[e.from], b = layout.boxes[e.to];
      const x1 = ox + a.x + a.w / 2, y1 = oy + a.y + a.h, x2 = ox + b.x + b.w / 2, y2 = oy + b.y;
      const g = el('g', { class: 'edge ' + e.kind + (taken.has(e.from + '>' + e.to) ? ' taken' : ''),
        'data-from': e.from, 'data-to': e.to }, svg);
      let d;
      if (y2 > y1) {
        const my = (y1 + y2) / 2;
        d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2 - 6}`;
      } else {
        const side = ox + layout.w + 12;
        d = `M${ox + a.x + a.w},${oy + a.y + a.h / 2} C${side},${oy + a.y + a.h / 2} ${side},${y2 - 20} ${x2},${y2 - 6}`;
      }
      el('path', { d, 'marker-end': 'url(#arrow)' }, g);
      if (e.label) {
        const t = el('text', { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, 'text-anchor': 'middle' }, g);
        t.textContent = e.label;
      }
    });
    Object.values(layout.boxes).forEach(box => {
      const x = ox + box.x, y = oy + box.y;
      const status = statusOf(box.name);
      if (box.branches) {
        const g = el('g', { class: 'state-node group status-' + status, 'data-state': box.name, 'data-status': status }, svg);
        el('rect', { x, y, width: box.w, height: box.h, rx: 8 }, g);
        const t = el('text', { x: x + 10, y: y + 15 }, g);
        t.textContent = box.name + ' (' + box.state.Type + ') · ' + status.replaceAll('-', ' ') + (box.state.Catch ? ' · catch' : '');
        let bx = x + PAD;
        box.branches.forEach(branch => {
          drawBlock(svg, branch, bx, y + PAD + HEADER, statusOf, taken);
          bx += branch.w + GAP_X;
        });
      } else {
        const g = el('g', { class: 'state-node status-' + status, 'data-state': box.name, 'data-status': status }, svg);
        el('rect', { x, y, width: box.w, height: box.h, rx: box.state.Type === 'Choice' ? 18 : 6 }, g);
        const t = el('text', { x: x + box.w / 2, y: y + 16, 'text-anchor': 'middle', 'font-weight': 600 }, g);
        t.textContent = box.name.length > 26 ? box.name.slice(0, 25) + '…' : box.name;
        const s = el('text', { x: x + box.w / 2, y: y + 30, 'text-anchor': 'middle', 'font-size': 10 }, g);
        s.textContent = box.state.Type + ' · ' + status.replaceAll('-', ' ') + (box.state.Catch ? ' · catch' : '');
        const title = el('title', {}, g);
        title.textContent = box.name + ' — ' + status;
      }
    });
  }

  /** Renders {@code definition} into {@code container}; statusOf(name) gives each state's status. */
  function render(container, definition, statusOf, takenEdges) {
    const layout = layoutBlock(definition);
    const w = layout.w + 2 * PAD + 40, h = layout.h + 2 * PAD;
    const svg = el('svg', { class: 'graph', viewBox: `0 0 ${w} ${h}`, width: w, role: 'img',
      'aria-label': 'state machine graph' });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#687078' }, marker);
    drawBlock(svg, layout, PAD, PAD, statusOf, takenEdges || new Set());
    container.replaceChildren(svg);
    return svg;
  }

  global.AslGraph = { render, successors };
})(window);
