// The Express run page, the Map Run page, and the Map Run links of an execution page, as the console shows them.
(function (global) {
  'use strict';

  const { sfn, expressRuns, h, fmt, duration, badge, executionHref, mapRunHref, pretty, figure, BASE } = global.ViewKit;

  /** {@code machine/Label:id} of a Map Run ARN, and its label. */
  const mapRunName = (arn) => arn.split(':').slice(6).join(':');
  const mapRunLabel = (arn) => { const name = mapRunName(arn); return name.slice(name.indexOf('/') + 1, name.lastIndexOf(':')); };

  function payloadPanel(run) {
    return h('div', { class: 'panel', id: 'payloads' }, h('h2', {}, 'Input'), h('pre', { id: 'input' }, pretty(run.input || '{}')),
      run.output !== undefined ? [h('h2', { style: 'margin-top:10px' }, 'Output'), h('pre', { id: 'output' }, pretty(run.output))] : '');
  }

  function errorFigures(run) {
    return [run.error ? figure('Error', h('span', { class: 'error' }, run.error), 'error') : '',
      run.cause ? h('div', { 'data-figure': 'cause', style: 'grid-column: 1 / -1' }, h('span', {}, 'Cause'), h('pre', {}, pretty(run.cause))) : ''];
  }

  // ---------- Express run ----------

  /** An Express run: what this process saw of it, and why there is no event history to show. */
  async function renderExpress(app, arn) {
    const run = await expressRuns(arn);
    const back = h('p', {}, h('a', { href: BASE + '/' }, '← Executions'));
    if (!run) {
      app.replaceChildren(back, h('div', { class: 'panel', id: 'express-gone' },
        'This Express run is not held here: Step Functions keeps no record of Express executions, and this view holds only '
        + 'the last runs of this process (lost on restart).'));
      return { status: 'GONE' };
    }
    // ask the API anyway, so the page says in the API's own words why there are no events
    const history = await sfn('GetExecutionHistory', { executionArn: arn, maxResults: 1 }).then(() => null, e => e.message);
    const billing = run.billingDetails;
    app.replaceChildren(back,
      h('h1', {}, run.name, ' ', h('span', { class: 'badge type', 'data-type': 'EXPRESS' }, 'Express')),
      h('div', { class: 'panel', id: 'summary' }, h('div', { class: 'summary' },
        figure('Status', badge(run.status), 'status'),
        figure('State machine', run.stateMachineArn.split(':').pop(), 'state-machine'),
        figure('Started', fmt(run.startDate), 'started'),
        figure('Ended', fmt(run.stopDate), 'ended'),
        figure('Duration', duration(run.startDate, run.stopDate), 'duration'),
        figure('Started by', run.startedBy, 'started-by'),
        ...errorFigures(run)),
        h('p', { class: 'muted', style: 'margin:10px 0 0' }, 'ARN ', h('code', {}, run.executionArn))),
      h('div', { class: 'panel', id: 'billing' }, h('h2', {}, 'Billing details'), billing
        ? h('div', { class: 'summary' },
          figure('Billed duration', billing.billedDurationInMilliseconds + ' ms', 'billed-duration'),
          figure('Billed memory', billing.billedMemoryUsedInMB + ' MB', 'billed-memory'))
        : h('p', { class: 'muted' }, run.startedBy === 'StartSyncExecution'
          ? 'StartSyncExecution has not answered yet.'
          : 'None: only StartSyncExecution answers with billing details, and ' + run.startedBy + ' started this run.')),
      payloadPanel(run),
      h('div', { class: 'panel', id: 'no-history' }, h('h2', {}, 'Event history'),
        h('p', {}, 'Step Functions records no event history for Express executions'
          + (history ? ' (GetExecutionHistory answers ' + history + ')' : '')
          + '. On AWS the console shows an Express run from the CloudWatch Logs its state machine logs to; the local '
          + 'stack has no CloudWatch Logs, so this page shows only what it saw of the run: status, input, output, '
          + 'error and cause, start and stop, and the billing details StartSyncExecution answered.'),
        h('p', { class: 'muted' }, 'The local stack keeps the last Express runs of this process in memory only.')));
    return { status: run.status };
  }

  // ---------- Map Runs of an execution ----------

  const hasDistributedMap = (block) => Object.values(block.States || {}).some(st =>
    (st.Type === 'Map' && ((st.ItemProcessor || st.Iterator || {}).ProcessorConfig || {}).Mode === 'DISTRIBUTED')
    || (st.Branches || []).some(hasDistributedMap) || (st.ItemProcessor || st.Iterator ? hasDistributedMap(st.ItemProcessor || st.Iterator) : false));

  /** The names of the states that run in Map Run children: those of every Distributed Map's item processor. */
  function distributedProcessorStates(block, out = new Set(), inside = false) {
    Object.entries(block.States || {}).forEach(([name, st]) => {
      if (inside) out.add(name);
      const processor = st.ItemProcessor || st.Iterator;
      (st.Branches || []).forEach(b => distributedProcessorStates(b, out, inside));
      if (processor) distributedProcessorStates(processor, out, inside || (processor.ProcessorConfig || {}).Mode === 'DISTRIBUTED');
    });
    return out;
  }

  async function listAll(operation, request, key) {
    let items = [], token;
    do {
      const page = await sfn(operation, Object.assign({}, request, token ? { nextToken: token } : {}));
      items = items.concat(page[key] || []);
      token = page.nextToken;
    } while (token && items.length < 10000);
    return items;
  }

  /** The Map Runs an execution started (ListMapRuns), each with DescribeMapRun's status and counts; '' when none can be. */
  async function mapRunsPanel(executionArn, definition) {
    if (!hasDistributedMap(definition)) return '';
    const runs = await listAll('ListMapRuns', { executionArn, maxResults: 100 }, 'mapRuns');
    const described = await Promise.all(runs.map(r => sfn('DescribeMapRun', { mapRunArn: r.mapRunArn })));
    return h('div', { class: 'panel', id: 'map-runs' }, h('h2', {}, 'Map Runs (' + runs.length + ')'),
      runs.length ? h('table', {},
        h('thead', {}, h('tr', {}, ['Map Run', 'Status', 'Child executions', 'Started', 'Ended'].map(t => h('th', {}, t)))),
        h('tbody', {}, described.map(d => h('tr', { class: 'map-run-row', 'data-map-run': d.mapRunArn, 'data-status': d.status },
          h('td', {}, h('a', { href: mapRunHref(d.mapRunArn) }, mapRunLabel(d.mapRunArn)), ' ', h('span', { class: 'muted' }, mapRunName(d.mapRunArn).split(':').pop())),
          h('td', {}, badge(d.status)),
          h('td', {}, d.executionCounts.succeeded + ' succeeded · ' + d.executionCounts.failed + ' failed · '
            + d.executionCounts.total + ' in all'),
          h('td', {}, fmt(d.startDate)), h('td', {}, fmt(d.stopDate))))))
        : h('p', { class: 'muted' }, 'The Distributed Map has not started a Map Run yet.'));
  }

  /** A Map Run child's links back to its Map Run and the execution that started it. */
  async function childFigures(exec) {
    if (!exec.mapRunArn) return [];
    const run = await sfn('DescribeMapRun', { mapRunArn: exec.mapRunArn });
    return [figure('Map Run', h('a', { href: mapRunHref(exec.mapRunArn), id: 'map-run-link' }, mapRunLabel(exec.mapRunArn)), 'map-run'),
      figure('Parent execution', h('a', { href: executionHref(run.executionArn), id: 'parent-link' }, run.executionArn.split(':').pop()), 'parent')];
  }

  // ---------- Map Run page ----------

  const COUNTS = [['pending', 'Pending'], ['running', 'Running'], ['succeeded', 'Succeeded'], ['failed', 'Failed'],
    ['timedOut', 'Timed out'], ['aborted', 'Aborted'], ['total', 'Total'], ['resultsWritten', 'Results written']];

  /** Where the child list is: the Map Run, its page size, the tokens of the pages seen so far, the status filter. */
  let paging = null;

  function pagingFor(arn) {
    const params = new URLSearchParams(location.search);
    const size = Math.min(1000, Math.max(1, parseInt(params.get('pageSize') || '50', 10) || 50));
    if (!paging || paging.arn !== arn || paging.size !== size) paging = { arn, size, tokens: [null], index: 0, status: '' };
    return paging;
  }

  async function childrenPanel(arn, rerender) {
    const p = pagingFor(arn);
    const token = p.tokens[p.index];
    const page = await sfn('ListExecutions', Object.assign({ mapRunArn: arn, maxResults: p.size },
      p.status ? { statusFilter: p.status } : {}, token ? { nextToken: token } : {}));
    const executions = page.executions || [];
    const go = (delta) => {
      if (delta > 0) p.tokens[p.index + 1] = page.nextToken;
      p.index += delta;
      rerender();
    };
    const select = h('select', { id: 'child-status-filter', onchange: (e) => {
      p.status = e.target.value; p.tokens = [null]; p.index = 0; rerender();
    } }, ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].map(s =>
      h('option', Object.assign({ value: s }, s === p.status ? { selected: 'selected' } : {}), s || 'All statuses')));
    return h('div', { class: 'panel', id: 'map-run-executions' }, h('h2', {}, 'Executions'),
      h('div', { class: 'toolbar' }, h('label', { for: 'child-status-filter' }, 'Status'), select,
        h('button', Object.assign({ id: 'previous-page', onclick: () => go(-1) }, p.index === 0 ? { disabled: 'disabled' } : {}), '‹ Previous'),
        h('span', { class: 'muted', id: 'page-number' }, 'page ' + (p.index + 1)),
        h('button', Object.assign({ id: 'next-page', onclick: () => go(1) }, page.nextToken ? {} : { disabled: 'disabled' }), 'Next ›'),
        h('span', { class: 'muted' }, p.size + ' a page · ListExecutions by mapRunArn')),
      h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Status', 'Started', 'Ended'].map(t => h('th', {}, t)))),
        h('tbody', {}, executions.length ? executions.map(x => h('tr', { class: 'child-row', 'data-name': x.name, 'data-status': x.status },
          h('td', {}, h('a', { href: executionHref(x.executionArn) }, x.name)), h('td', {}, badge(x.status)),
          h('td', {}, fmt(x.startDate)), h('td', {}, fmt(x.stopDate))))
          : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No child executions' + (p.status ? ' with this status.' : ' yet.'))))));
  }

  /** The Map Run Details page: its summary, its item and execution counts, its child executions. */
  async function renderMapRun(app, arn, rerender) {
    const run = await sfn('DescribeMapRun', { mapRunArn: arn });
    const parentName = run.executionArn.split(':').pop();
    const countRows = COUNTS.map(([key, label]) => h('tr', { class: 'count-row', 'data-count': key },
      h('td', {}, label), h('td', { 'data-items': run.itemCounts[key] }, run.itemCounts[key]),
      h('td', { 'data-executions': run.executionCounts[key] }, run.executionCounts[key])));
    app.replaceChildren(
      h('p', {}, h('a', { href: executionHref(run.executionArn), id: 'parent-link' }, '← Execution ' + parentName)),
      h('h1', {}, 'Map Run ', mapRunName(arn)),
      h('div', { class: 'panel', id: 'summary' }, h('div', { class: 'summary' },
        figure('Status', badge(run.status), 'status'),
        figure('Parent execution', h('a', { href: executionHref(run.executionArn) }, parentName), 'parent'),
        figure('Started', fmt(run.startDate), 'started'),
        figure('Ended', fmt(run.stopDate), 'ended'),
        figure('Duration', duration(run.startDate, run.stopDate), 'duration'),
        figure('Max concurrency', run.maxConcurrency === 0 ? '0 (no limit)' : String(run.maxConcurrency), 'max-concurrency'),
        figure('Tolerated failure percentage', run.toleratedFailurePercentage + ' %', 'tolerated-failure-percentage'),
        figure('Tolerated failure count', String(run.toleratedFailureCount), 'tolerated-failure-count'),
        figure('Results written', String(run.itemCounts.resultsWritten), 'results-written'),
        run.redriveCount ? figure('Redrive count', run.redriveCount + ' (last ' + fmt(run.redriveDate) + ')', 'redrives') : ''),
        h('p', { class: 'muted', style: 'margin:10px 0 0' }, 'ARN ', h('code', {}, arn))),
      h('div', { class: 'panel', id: 'item-processing' }, h('h2', {}, 'Item processing status'),
        h('table', {}, h('thead', {}, h('tr', {}, ['Status', 'Items', 'Child executions'].map(t => h('th', {}, t)))),
          h('tbody', {}, countRows))),
      await childrenPanel(arn, rerender));
    return { status: run.status };
  }

  global.ViewRuns = { renderExpress, renderMapRun, mapRunsPanel, childFigures, distributedProcessorStates };
})(window);
