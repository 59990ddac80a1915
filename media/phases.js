// The phase progress panel's script (see src/vscode/phases/protocol.ts for the message shapes it mirrors).
//
// From the extension: { type: 'model', model: PanelModel } where PanelModel is
//   { kind: 'no-plan', message }
//   | { kind: 'plan', plan, title?, phases: PanelPhase[], next?: { phase, step }, lastStep?: { id, title },
//       running?: { step?, message }, canWrite }
//   PanelPhase = { id, title, description?, files: { total, done }, validations: { total, passed }, steps: PanelStep[] }
//   PanelStep = { id, title, action, description?, status, complete, files?: { total, done }, summary?, finishedAt?,
//                 reports: string[], problems }
// To the extension: { type: 'ready' } | { type: 'runStep', step } | { type: 'runPhase', phase } | { type: 'runNext' }
//   | { type: 'rollBack' } | { type: 'verify' } | { type: 'openReport', path } | { type: 'showProblems' }
// Kept with setState: { model?, collapsed?: string[] } (WebviewState), so a reload draws the last model at once.
// @ts-check
(function () {
  // @ts-expect-error acquireVsCodeApi is defined by the webview host.
  const vscode = acquireVsCodeApi();
  let state = vscode.getState() || {};

  const phasesElement = /** @type {HTMLElement} */ (document.getElementById('phases'));
  const runningElement = /** @type {HTMLElement} */ (document.getElementById('running'));
  const titleElement = /** @type {HTMLElement} */ (document.getElementById('plan-title'));
  const toolbarButtons = {
    runNext: /** @type {HTMLButtonElement} */ (document.getElementById('run-next')),
    verify: /** @type {HTMLButtonElement} */ (document.getElementById('verify')),
    rollBack: /** @type {HTMLButtonElement} */ (document.getElementById('roll-back')),
    showProblems: /** @type {HTMLButtonElement} */ (document.getElementById('show-problems')),
  };

  const statusLabels = {
    'not-started': 'not started',
    running: 'running',
    done: 'done',
    failed: 'failed',
    skipped: 'skipped',
  };

  function save(changes) {
    state = Object.assign({}, state, changes);
    vscode.setState(state);
  }

  /** An element with a class and text. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(id, label, ariaLabel, message, secondary) {
    const node = /** @type {HTMLButtonElement} */ (element('button', secondary ? 'secondary' : '', label));
    node.type = 'button';
    node.id = id;
    node.setAttribute('aria-label', ariaLabel);
    node.dataset.message = JSON.stringify(message);
    return node;
  }

  function progress(label, done, total) {
    const wrapper = element('div', 'meter');
    const bar = /** @type {HTMLProgressElement} */ (element('progress'));
    bar.max = Math.max(total, 1);
    bar.value = total === 0 ? 0 : done;
    bar.setAttribute('aria-label', `${label}: ${done} of ${total}`);
    wrapper.append(element('span', 'meter-label', `${label} ${done}/${total}`), bar);
    return wrapper;
  }

  function stepState(step, model) {
    if (model.running && model.running.step === step.id) return 'running';
    if (step.complete) return 'done';
    if (step.status === 'failed') return 'failed';
    return step.status === 'done' ? 'done' : 'not-started';
  }

  function renderStep(step, phase, model, busy) {
    const shown = stepState(step, model);
    const item = element('li', `step state-${shown}`);
    item.dataset.step = step.id;
    const isNext = model.next && model.next.step === step.id;
    if (isNext) item.classList.add('next');

    const head = element('div', 'step-head');
    const icon = element('span', `icon icon-${shown}`);
    icon.setAttribute('role', 'img');
    icon.setAttribute('aria-label', statusLabels[shown] || shown);
    head.append(icon, element('span', 'step-title', step.title), element('span', 'tag', step.action));
    if (isNext) head.append(element('span', 'tag tag-next', 'next'));
    if (step.files) head.append(element('span', 'step-files', `${step.files.done}/${step.files.total} files`));
    const verb = step.complete || step.status === 'done' ? 'Re-run' : step.status === 'failed' ? 'Retry' : 'Run';
    const run = button(`run-${step.id}`, verb, `${verb} step ${step.title}`, { type: 'runStep', step: step.id });
    run.disabled = busy || !model.canWrite;
    head.append(run);
    item.append(head);

    if (step.description) item.append(element('p', 'description', step.description));
    if (shown === 'running' && model.running) item.append(element('p', 'summary', `${model.running.message}…`));
    else if (step.summary) {
      const summary = element('p', 'summary', step.summary);
      if (step.finishedAt) summary.title = `finished ${new Date(step.finishedAt).toLocaleString()}`;
      item.append(summary);
    }
    const links = element('div', 'links');
    const reports = step.reports.filter((path) => path.endsWith('.md') || path.endsWith('.json')).slice(0, 6);
    const names = reports.map((path) => path.split('/').pop());
    reports.forEach((report, index) => {
      // Several READMEs (the docs step) are told apart by their folder.
      const name = names.indexOf(names[index]) !== names.lastIndexOf(names[index]) ? report.split('/').slice(-2).join('/') : names[index];
      links.append(button(`report-${step.id}-${report}`, name, `Open report ${report}`, { type: 'openReport', path: report }, true));
    });
    if (step.problems > 0) {
      links.append(button(`problems-${step.id}`, `${step.problems} problems`, `Show the ${step.problems} problems of ${step.title}`, { type: 'showProblems' }, true));
    }
    if (links.childElementCount > 0) {
      links.querySelectorAll('button').forEach((node) => node.classList.add('link'));
      item.append(links);
    }
    return item;
  }

  function renderPhase(phase, index, model, busy) {
    const collapsed = (state.collapsed || []).includes(phase.id);
    const section = element('section', 'phase');
    section.setAttribute('aria-labelledby', `phase-title-${phase.id}`);
    const header = element('div', 'phase-head');
    const heading = element('h2');
    const fold = button(`fold-${phase.id}`, `Phase ${index + 1}: ${phase.title}`, `Phase ${index + 1}: ${phase.title}`, { type: 'fold', phase: phase.id }, true);
    fold.classList.add('fold');
    fold.id = `phase-title-${phase.id}`;
    fold.setAttribute('aria-expanded', String(!collapsed));
    heading.append(fold);
    const complete = phase.steps.filter((step) => step.complete).length;
    const runPhase = button(`run-phase-${phase.id}`, 'Run Phase', `Run phase ${index + 1}: ${phase.title}`, { type: 'runPhase', phase: phase.id });
    runPhase.disabled = busy || !model.canWrite || complete === phase.steps.length;
    header.append(heading, element('span', 'phase-count', `${complete}/${phase.steps.length} steps complete`), runPhase);
    section.append(header);

    const meters = element('div', 'meters');
    if (phase.files.total > 0) meters.append(progress('Files moved', phase.files.done, phase.files.total));
    if (phase.validations.total > 0) meters.append(progress('Validations passed', phase.validations.passed, phase.validations.total));
    meters.append(progress('Steps', complete, phase.steps.length));
    section.append(meters);

    const list = element('ol', 'steps');
    list.hidden = collapsed;
    for (const step of phase.steps) list.append(renderStep(step, phase, model, busy));
    section.append(list);
    return section;
  }

  function render() {
    const model = state.model;
    const focused = document.activeElement && document.activeElement.id;
    phasesElement.replaceChildren();
    if (!model) {
      phasesElement.append(element('p', 'empty', 'Loading the plan…'));
      Object.values(toolbarButtons).forEach((node) => (node.disabled = true));
      return;
    }
    if (model.kind === 'no-plan') {
      titleElement.textContent = 'Phase progress';
      runningElement.hidden = true;
      phasesElement.append(element('p', 'empty', model.message));
      Object.values(toolbarButtons).forEach((node) => (node.disabled = true));
      return;
    }
    const busy = Boolean(model.running);
    titleElement.textContent = model.title || 'Phase progress';
    runningElement.hidden = !busy;
    runningElement.textContent = busy ? `Running: ${model.running.message}…` : '';
    toolbarButtons.runNext.disabled = busy || !model.canWrite || !model.next;
    toolbarButtons.verify.disabled = busy;
    toolbarButtons.rollBack.disabled = busy || !model.canWrite || !model.lastStep;
    toolbarButtons.rollBack.textContent = model.lastStep ? `Roll Back: ${model.lastStep.title}` : 'Roll Back Last Step';
    toolbarButtons.rollBack.setAttribute('aria-label', model.lastStep ? `Roll back the last step, ${model.lastStep.title}` : 'Roll back the last step (none has run)');
    toolbarButtons.showProblems.disabled = false;
    model.phases.forEach((phase, index) => phasesElement.append(renderPhase(phase, index, model, busy)));
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
  }

  document.body.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const node = target.closest('button');
    if (!node || node.disabled) return;
    if (node.dataset.action) {
      vscode.postMessage({ type: node.dataset.action });
      return;
    }
    if (!node.dataset.message) return;
    const message = JSON.parse(node.dataset.message);
    if (message.type === 'fold') {
      const collapsed = new Set(state.collapsed || []);
      if (collapsed.has(message.phase)) collapsed.delete(message.phase);
      else collapsed.add(message.phase);
      save({ collapsed: [...collapsed] });
      render();
      return;
    }
    vscode.postMessage(message);
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'model') {
      save({ model: message.model });
      render();
    }
  });

  render();
  vscode.postMessage({ type: 'ready' });
})();
