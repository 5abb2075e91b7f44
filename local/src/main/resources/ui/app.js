// The local execution view: an execution list and an execution page (graph, event history, stored order); the
// Express run and Map Run pages are in runs.js. It reads the Step Functions API (through /ui/sfn), the orders API
// and, for Express runs, which that API keeps nowhere, what this process saw of them: so it shows the truth.
(function () {
  'use strict';

  const { BASE, sfn, expressRuns, h, toDate, fmt, badge, executionHref, mapRunHref, isExpressArn, pretty } = window.ViewKit;
  const app = document.getElementById('app');
  let refreshTimer = null;

  async function ordersApi(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    const json = await res.json().catch(() => null);
    return { status: res.status, json };
  }

  // ---------- execution list ----------
  async function renderList() {
    const params = new URLSearchParams(location.search);
    const filter = params.get('status') || '';
    const machines = (await sfn('ListStateMachines', { maxResults: 100 })).stateMachines || [];
    let executions = [];
    // Express runs are not listed by ListExecutions (StateMachineTypeNotSupported, as on AWS, whose console lists them
    // from CloudWatch Logs): the list shows those this process saw
    const expressMachines = new Set(machines.filter(m => m.type === 'EXPRESS').map(m => m.stateMachineArn));
    if (expressMachines.size) {
      executions = (await expressRuns()).filter(x => expressMachines.has(x.stateMachineArn) && (!filter || x.status === filter))
        .map(x => Object.assign({ express: true }, x));
    }
    for (const m of machines.filter(m => !expressMachines.has(m.stateMachineArn))) {
      let token;
      do {
        const page = await sfn('ListExecutions', Object.assign({ stateMachineArn: m.stateMachineArn, maxResults: 100 },
          filter ? { statusFilter: filter } : {}, token ? { nextToken: token } : {}));
        executions = executions.concat(page.executions || []);
        token = page.nextToken;
      } while (token && executions.length < 1000);
    }
    executions.sort((a, b) => toDate(b.startDate) - toDate(a.startDate));
    const select = h('select', { id: 'status-filter', onchange: (e) => {
      const q = e.target.value ? '?status=' + e.target.value : '';
      history.pushState(null, '', BASE + '/' + q); route();
    } }, ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].map(s =>
      h('option', Object.assign({ value: s }, s === filter ? { selected: 'selected' } : {}), s || 'All statuses')));
    const rows = executions.map(x => h('tr', { class: 'execution-row', 'data-name': x.name, 'data-status': x.status,
      'data-type': x.express ? 'EXPRESS' : 'STANDARD' },
      h('td', {}, h('a', { href: executionHref(x.executionArn) }, x.name),
        x.express ? [' ', h('span', { class: 'badge type', title: 'an Express run, as this process saw it' }, 'Express')] : ''),
      h('td', {}, badge(x.status), x.redriveCount ? h('span', { class: 'muted redriven', title: 'redriven' },
        ' ↻ ' + x.redriveCount) : ''),
      h('td', {}, x.stateMachineArn.split(':').pop()),
      h('td', {}, fmt(x.startDate)),
      h('td', {}, fmt(x.stopDate))));
    app.replaceChildren(
      h('h1', {}, 'Executions'),
      h('div', { class: 'panel' },
        h('div', { class: 'toolbar' }, h('label', { for: 'status-filter' }, 'Status'), select,
          h('span', { class: 'muted' }, executions.length + ' execution(s) · name = order id · newest first'
            + (expressMachines.size ? ' · Express runs: the last this process saw, kept in memory' : ''))),
        h('table', { id: 'executions' },
          h('thead', {}, h('tr', {}, ['Name', 'Status', 'State machine', 'Started', 'Ended'].map(t => h('th', {}, t)))),
          h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No executions yet. POST an order to /orders.'))))));
    refreshTimer = setTimeout(route, 3000);
  }

  // ---------- execution page ----------
  function allStates(block, out) {
    Object.entries(block.States || {}).forEach(([name, st]) => {
      out[name] = st;
      (st.Branches || []).forEach(b => allStates(b, out));
      if (st.ItemProcessor || st.Iterator) allStates(st.ItemProcessor || st.Iterator, out);
    });
    return out;
  }

  function detailsOf(event) {
    const key = Object.keys(event).find(k => k.endsWith('EventDetails'));
    return key ? event[key] : null;
  }

  /** Works out each state's status from the history: not-started, in-progress, succeeded, failed, caught. */
  function stateStatuses(definition, events, executionStatus) {
    const states = allStates(definition, {});
    const status = {}, enteredAt = {}, failedAt = {}, succeededAt = {}, stateOfEvent = {};
    const taken = new Set();
    const openContainers = [];
    events.forEach(ev => {
      let name = null;
      if (ev.type === 'ExecutionRedriven') {
        // the redriven attempt carries on inside the Parallel and Map states that had not completed
        openContainers.length = 0;
        Object.keys(enteredAt).sort((a, b) => enteredAt[a] - enteredAt[b]).forEach(n => {
          const type = (states[n] || {}).Type;
          if ((type === 'Parallel' || type === 'Map') && status[n] !== 'succeeded' && status[n] !== 'caught') openContainers.push(n);
        });
      }
      const container = /^(Parallel|Map)State(Started|Succeeded|Failed|Aborted)$/.test(ev.type);
      if (container) {
        // a Parallel/Map event follows its last branch event; it belongs to the innermost open container
        name = openContainers[openContainers.length - 1] || null;
        if (/(Succeeded|Failed|Aborted)$/.test(ev.type)) openContainers.pop();
      } else if (ev.type.endsWith('StateEntered')) {
        name = ev.stateEnteredEventDetails && ev.stateEnteredEventDetails.name;
        const from = stateOfEvent[ev.previousEventId];
        if (from && from !== name) taken.add(from + '>' + name);
        status[name] = 'in-progress';
        enteredAt[name] = ev.id;
        if (ev.type === 'ParallelStateEntered' || ev.type === 'MapStateEntered') openContainers.push(name);
      } else if (ev.type.endsWith('StateExited')) {
        name = ev.stateExitedEventDetails && ev.stateExitedEventDetails.name;
        // a state that exits after a failure with no success since has been caught by a Catcher
        status[name] = (failedAt[name] || 0) > (succeededAt[name] || 0) ? 'caught' : 'succeeded';
      } else {
        name = stateOfEvent[ev.previousEventId] || null;
      }
      stateOfEvent[ev.id] = name;
      if (name && !ev.type.startsWith('Execution') && ev.type.endsWith('Succeeded')) succeededAt[name] = ev.id;
      if (name && !ev.type.startsWith('Execution') && /(Failed|TimedOut|Aborted)$/.test(ev.type)) {
        status[name] = 'failed';
        failedAt[name] = ev.id;
      }
    });
    Object.keys(status).forEach(name => {
      const st = states[name] || {};
      if (st.Type === 'Fail' && status[name] === 'in-progress') status[name] = 'failed';
      if (status[name] === 'failed') {
        const targets = (st.Catch || []).map(c => c.Next);
        if (targets.some(t => enteredAt[t] > failedAt[name])) status[name] = 'caught';
      }
      if (status[name] === 'in-progress' && executionStatus !== 'RUNNING') {
        status[name] = executionStatus === 'SUCCEEDED' ? 'succeeded' : 'failed';
      }
    });
    return { statusOf: (n) => status[n] || 'not-started', taken, stateOfEvent };
  }

  /**
   * The Task states waiting on a task token, as the console shows them: a callback after its TaskSubmitted, an
   * activity after ActivityScheduled (waiting for a worker) and ActivityStarted (a worker has it), until their end.
   */
  function waitingTasks(events, stateOfEvent, executionStatus) {
    const waiting = {};
    if (executionStatus !== 'RUNNING') return waiting;
    events.forEach(ev => {
      const name = stateOfEvent[ev.id];
      if (!name) return;
      const d = detailsOf(ev) || {};
      if (ev.type === 'TaskSubmitted') {
        waiting[name] = { kind: 'callback', since: ev.timestamp, note: 'waiting for callback: SendTaskSuccess or SendTaskFailure with its task token' };
      } else if (ev.type === 'ActivityScheduled') {
        waiting[name] = { kind: 'activity', since: ev.timestamp, resource: d.resource,
          note: 'waiting for a worker: GetActivityTask on ' + String(d.resource).split(':').pop() };
      } else if (ev.type === 'ActivityStarted' && waiting[name]) {
        waiting[name].note = 'waiting for callback from worker ' + (d.workerName || '(unnamed)');
      } else if (/^(Task|Activity)(Succeeded|Failed|TimedOut)$/.test(ev.type)) {
        delete waiting[name];
      }
    });
    return waiting;
  }

  function waitingPanel(waiting) {
    const names = Object.keys(waiting);
    if (!names.length) return '';
    return h('div', { class: 'panel waiting', id: 'waiting' }, h('h2', {}, 'Waiting for callback'),
      h('table', {}, h('thead', {}, h('tr', {}, ['State', 'Waiting since', 'For'].map(t => h('th', {}, t)))),
        h('tbody', {}, names.map(n => h('tr', { class: 'waiting-row', 'data-state': n, 'data-kind': waiting[n].kind },
          h('td', {}, n), h('td', {}, fmt(waiting[n].since)), h('td', {}, waiting[n].note))))));
  }

  /** Marks the graph's nodes of waiting tasks, under their in-progress colour. */
  function markWaiting(graph, waiting) {
    Object.keys(waiting).forEach(name => {
      graph.querySelectorAll('g.state-node').forEach(g => {
        if (g.getAttribute('data-state') !== name) return;
        g.setAttribute('data-waiting', waiting[name].kind);
        const lines = g.querySelectorAll('text');
        if (lines.length > 1) lines[1].textContent = 'Task · waiting for callback';
        const title = g.querySelector('title');
        if (title) title.textContent = name + ' — in progress, ' + waiting[name].note;
      });
    });
  }

  function legend() {
    return h('div', { class: 'legend' }, [['not-started', 'Not started', '--notrun'], ['in-progress', 'In progress', '--running'],
      ['succeeded', 'Succeeded', '--ok'], ['failed', 'Failed', '--fail'], ['caught', 'Caught error', '--caught']]
      .map(([, label, v]) => h('span', {}, h('i', { style: `background: var(${v}); border-color: var(${v}-ink, #aab7b8)` }), label)));
  }

  function historyTable(events, startTs, stateOfEvent, restarts) {
    const body = h('tbody', {});
    const restartBefore = {};
    (restarts || []).forEach(r => { restartBefore[r.beforeEventId] = r; });
    events.forEach(ev => {
      const restart = restartBefore[ev.id];
      if (restart) {
        body.append(h('tr', { class: 'restart-row' }, h('td', { colspan: 6 },
          'Local stack restarted ' + fmt(restart.at) + ': the execution resumed here from its last recorded event')));
      }
      const d = detailsOf(ev) || {};
      if (ev.type === 'ExecutionRedriven') {
        // the redrive point, as the console marks it: what follows runs again what had not completed
        body.append(h('tr', { class: 'redrive-row', 'data-redrive': d.redriveCount }, h('td', { colspan: 6 },
          'Redrive ' + d.redriveCount + ' at ' + fmt(ev.timestamp)
          + ': the execution runs again from the states that had not completed; those that had keep their results')));
      }
      const row = h('tr', { class: 'event-row' + (/(Failed|TimedOut|Aborted)$/.test(ev.type) ? ' failed' : '')
        + (ev.type === 'ExecutionRedriven' ? ' redriven' : ''),
        'data-type': ev.type, 'data-id': ev.id },
        h('td', {}, ev.id),
        h('td', { class: 'type' }, ev.type),
        h('td', {}, d.name || stateOfEvent[ev.id] || ''),
        h('td', {}, d.mapRunArn ? h('a', { href: mapRunHref(d.mapRunArn), class: 'map-run-link', onclick: (e) => e.stopPropagation() }, 'Map Run')
          : d.resource ? (d.resourceType ? d.resourceType + ':' + d.resource : String(d.resource).split(':').slice(-2).join(':')) : ''),
        h('td', {}, Math.max(0, Math.round((toDate(ev.timestamp) - startTs))) + ' ms'),
        h('td', {}, fmt(ev.timestamp)));
      const detail = h('tr', { class: 'detail-row', hidden: 'hidden' }, h('td', { colspan: 6 }, detailView(d, ev.type)));
      row.addEventListener('click', () => { detail.hidden = !detail.hidden; });
      body.append(row, detail);
    });
    return h('table', { id: 'history' },
      h('thead', {}, h('tr', {}, ['ID', 'Type', 'Step', 'Resource', 'Started after', 'Date and time'].map(t => h('th', {}, t)))),
      body);
  }

  // What a Task is called with is its arguments, as the console calls them (JSONata Arguments, JSONPath Parameters).
  const ARGUMENTS_OF = { LambdaFunctionScheduled: 'input', TaskScheduled: 'parameters' };
  const SHOWN = ['input', 'output', 'parameters', 'error', 'cause', 'assignedVariables', 'assignedVariablesDetails'];

  function detailView(d, type) {
    const parts = [];
    ['input', 'output', 'parameters', 'error', 'cause'].forEach(k => {
      const label = ARGUMENTS_OF[type] === k ? 'arguments' : k;
      if (d[k] !== undefined) parts.push(h('div', { 'data-part': label }, h('strong', {}, label), h('pre', { class: 'json' }, pretty(d[k]))));
    });
    if (d.assignedVariables && Object.keys(d.assignedVariables).length) {
      // each variable's value is JSON text in the history, shown parsed like the console's Variables tab
      const variables = Object.fromEntries(Object.entries(d.assignedVariables).map(([name, text]) => {
        try { return [name, JSON.parse(text)]; } catch (e) { return [name, text]; }
      }));
      parts.push(h('div', { 'data-part': 'assigned variables' }, h('strong', {}, 'assigned variables'),
        h('pre', { class: 'json' }, JSON.stringify(variables, null, 2))));
    }
    const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !SHOWN.includes(k)));
    if (Object.keys(rest).length) parts.push(h('div', {}, h('strong', {}, 'details'), h('pre', { class: 'json' }, pretty(rest))));
    return parts.length ? parts : h('span', { class: 'muted' }, 'no details');
  }

  async function orderPanel(orderId) {
    const panel = h('div', { class: 'panel', id: 'order' }, h('h2', {}, 'Stored order'));
    const [current, history] = await Promise.all([
      ordersApi('/orders/' + encodeURIComponent(orderId)).catch(() => ({ status: 0 })),
      ordersApi('/orders/' + encodeURIComponent(orderId) + '/history').catch(() => ({ status: 0 }))]);
    if (current.status !== 200 || !current.json) {
      panel.append(h('p', { class: 'muted' }, current.status === 404 ? 'No order stored under ' + orderId + '.' : 'The orders API did not answer.'));
      return panel;
    }
    const o = current.json;
    panel.append(h('div', { class: 'summary' },
      h('div', {}, h('span', {}, 'Order'), h('a', { href: '/orders/' + encodeURIComponent(orderId), target: '_blank' }, orderId)),
      h('div', {}, h('span', {}, 'Status'), badge(o.status || 'UNKNOWN')),
      h('div', {}, h('span', {}, 'Reason'), o.reason || '—'),
      h('div', {}, h('span', {}, 'Total'), o.order ? (o.order.total + ' ' + o.order.currency) : (o.total ? o.total + ' ' + (o.currency || '') : '—'))));
    const versions = history.json ? (Array.isArray(history.json) ? history.json : (history.json.versions || history.json.items || [])) : [];
    panel.append(h('h2', { style: 'margin-top:14px' }, 'S3 versions of orders/' + orderId + '.json'),
      h('table', { id: 'versions' },
        h('thead', {}, h('tr', {}, ['Version', 'Status', 'Time'].map(t => h('th', {}, t)))),
        h('tbody', {}, versions.map(v => h('tr', { class: 'version-row', 'data-status': v.status },
          h('td', {}, h('code', {}, v.versionId || '')), h('td', {}, badge(v.status || '?')),
          h('td', {}, fmt(v.updatedAt || v.lastModified || v.time)))))),
      h('p', {}, h('a', { href: '/orders/' + encodeURIComponent(orderId) + '/history', target: '_blank' }, 'history JSON')));
    return panel;
  }

  async function renderExecution(arn) {
    const exec = await sfn('DescribeExecution', { executionArn: arn });
    // the definition this execution ran, even if the state machine was updated since
    const machine = await sfn('DescribeStateMachineForExecution', { executionArn: arn });
    let events = [], token;
    do {
      const page = await sfn('GetExecutionHistory', Object.assign({ executionArn: arn, maxResults: 1000, includeExecutionData: true },
        token ? { nextToken: token } : {}));
      events = events.concat(page.events || []);
      token = page.nextToken;
    } while (token);
    events.sort((a, b) => a.id - b.id);
    const definition = JSON.parse(machine.definition);
    const { statusOf, taken, stateOfEvent } = stateStatuses(definition, events, exec.status);
    const graph = h('div', { id: 'graph' });
    const waiting = waitingTasks(events, stateOfEvent, exec.status);
    const startTs = toDate(exec.startDate);
    const [mapRuns, childOf] = await Promise.all([window.ViewRuns.mapRunsPanel(arn, definition), window.ViewRuns.childFigures(exec)]);
    const view = [
      h('p', {}, h('a', { href: BASE + '/' }, '← Executions')),
      h('h1', {}, exec.name),
      h('div', { class: 'panel', id: 'summary' }, h('div', { class: 'summary' },
        h('div', {}, h('span', {}, 'Status'), badge(exec.status)),
        h('div', {}, h('span', {}, 'State machine'), machine.name),
        ...childOf,
        h('div', {}, h('span', {}, 'Started'), fmt(exec.startDate)),
        h('div', {}, h('span', {}, 'Ended'), fmt(exec.stopDate)),
        h('div', {}, h('span', {}, 'Duration'), exec.stopDate ? Math.round(toDate(exec.stopDate) - startTs) + ' ms' : 'running…'),
        exec.redriveCount ? h('div', { id: 'redrives' }, h('span', {}, 'Redrive count'),
          h('span', { 'data-count': exec.redriveCount }, exec.redriveCount + ' (last ' + fmt(exec.redriveDate) + ')')) : '',
        exec.error ? h('div', {}, h('span', {}, 'Error'), h('span', { class: 'error' }, exec.error)) : '',
        exec.cause ? h('div', { style: 'grid-column: 1 / -1' }, h('span', {}, 'Cause'), h('pre', {}, pretty(exec.cause))) : ''),
        h('p', { class: 'muted', style: 'margin:10px 0 0' }, 'ARN ', h('code', {}, exec.executionArn))),
      waitingPanel(waiting),
      mapRuns,
      h('div', { class: 'grid' },
        h('div', { class: 'panel' }, h('h2', {}, 'Graph view'), legend(), graph),
        h('div', {},
          exec.mapRunArn ? '' : await orderPanel(exec.name),
          h('div', { class: 'panel' }, h('h2', {}, 'Input'), h('pre', {}, pretty(exec.input || '{}')),
            exec.output ? h('h2', { style: 'margin-top:10px' }, 'Output') : '', exec.output ? h('pre', {}, pretty(exec.output)) : ''))),
      h('div', { class: 'panel' }, h('h2', {}, 'Event history (' + events.length + ')'),
        historyTable(events, startTs, stateOfEvent, exec.localRestarts))];
    app.replaceChildren(...view);
    // a Distributed Map's item processor runs in its Map Run's child executions, not in this history
    const inChildren = window.ViewRuns.distributedProcessorStates(definition);
    window.AslGraph.render(graph, definition, (n) => inChildren.has(n) ? 'in-child-executions' : statusOf(n), taken);
    markWaiting(graph, waiting);
    document.body.dataset.executionStatus = exec.status;
    if (exec.status === 'RUNNING') refreshTimer = setTimeout(route, 1000);
  }

  async function route() {
    clearTimeout(refreshTimer);
    const path = location.pathname;
    try {
      if (path.startsWith(BASE + '/executions/')) {
        const arn = decodeURIComponent(path.slice((BASE + '/executions/').length));
        if (isExpressArn(arn)) {
          const shown = await window.ViewRuns.renderExpress(app, arn);
          document.body.dataset.executionStatus = shown.status;
          if (shown.status === 'RUNNING') refreshTimer = setTimeout(route, 1000);
        } else {
          await renderExecution(arn);
        }
      } else if (path.startsWith(BASE + '/map-runs/')) {
        const shown = await window.ViewRuns.renderMapRun(app, decodeURIComponent(path.slice((BASE + '/map-runs/').length)), route);
        document.body.dataset.mapRunStatus = shown.status;
        if (shown.status === 'RUNNING') refreshTimer = setTimeout(route, 2000);
      } else {
        await renderList();
      }
      document.body.dataset.ready = 'true';
    } catch (e) {
      app.replaceChildren(h('div', { class: 'panel error', id: 'load-error' }, 'Could not load: ' + e.message));
      document.body.dataset.ready = 'error';
    }
  }

  window.addEventListener('popstate', route);
  route();
})();
