/* live.js - pvt live's page: pick a claim, predict, run, watch the lanes
 *
 * Talks to the pvt-live that served it, and to nothing else: /api/claims
 * once, /events (Server-Sent Events) for the queue and the run as it
 * happens, POST /api/run and /api/stop. Every page open on the server sees
 * the same run.
 */
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const MODEL_ORDER = ['sequential', 'process', 'thread', 'gil',
  'py-sequential', 'py-process', 'py-thread'];
const KIND_TASK = 0, KIND_HELD = 1, KIND_WAIT = 2;	/* enum tl_kind */

let info = null;	/* /api/claims */
let chosen = null;	/* the claim being set up */
let view = null;	/* the run on screen */
let clicked = null;	/* {id, t0}: the run this page started */
let last = null;	/* the latest state */

/* ---- small helpers ------------------------------------------------------ */

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/* The value of --name in a list of option words, or null. */
function optionValue(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--' + name && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith('--' + name + '=')) {
      return args[i].slice(name.length + 3);
    }
  }
  return null;
}

/* The words without --name and its value. */
function withoutOption(args, name) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--' + name) i++;
    else if (!args[i].startsWith('--' + name + '=')) out.push(args[i]);
  }
  return out;
}

/* "1,2,4", "1..16", "0-3" as numbers. */
function parseList(s) {
  const out = [];
  for (const part of (s || '').split(',')) {
    const m = part.match(/^(\d+)(?:(?:\.\.|-)(\d+))?$/);
    if (!m) continue;
    const a = +m[1], b = m[2] === undefined ? a : +m[2];
    for (let v = a; v <= b && out.length < 64; v++) {
      if (!out.includes(v)) out.push(v);
    }
  }
  return out;
}

function byModel(a, b) {
  return MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b), n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
}

function fmtX(v) {
  return Number.isFinite(v) ? v.toFixed(2) + '×' : '—';
}

function claimOf(name) {
  return info ? info.claims.find((c) => c.name === name) : null;
}

/* ---- the claims and the set-up form ------------------------------------- */

function renderClaims() {
  const list = $('claim-list');
  list.replaceChildren();
  for (const c of info.claims) {
    const b = el('button', { type: 'button', 'data-claim': c.name,
      'aria-pressed': 'false', title: c.summary, text: c.name });
    b.addEventListener('click', () => selectClaim(c));
    list.append(el('li', {}, b));
  }
}

function checkbox(group, value, checked, label) {
  const input = el('input', { type: 'checkbox', name: group, value });
  input.checked = checked;
  input.addEventListener('change', updateQuestion);
  return el('label', {}, input, ' ' + (label || value));
}

function checked(group) {
  return [...document.querySelectorAll(`input[name=${group}]:checked`)]
    .map((i) => i.value);
}

function selectClaim(c) {
  chosen = c;
  for (const b of document.querySelectorAll('#claim-list button')) {
    b.setAttribute('aria-pressed', String(b.dataset.claim === c.name));
  }
  $('setup').hidden = false;
  $('claim-name').textContent = c.name;
  $('claim-summary').textContent = c.summary;
  $('claim-lesson').open = false;
  $('claim-lesson').querySelector('p').textContent = c.lesson;
  $('run-error').hidden = true;

  let rest = c.args.slice();
  const models = (optionValue(rest, 'models') || c.default_models)
    .split(',').filter(Boolean);
  rest = withoutOption(rest, 'models');
  let counts = parseList(optionValue(rest, 'workers') || c.default_workers);
  rest = withoutOption(rest, 'workers');
  if (!counts.length) counts = parseList('1..' + 2 * info.cores);
  counts = counts.filter((w) => w <= info.max_workers);

  $('models-field').hidden = !c.models;
  const mbox = $('models');
  mbox.replaceChildren();
  let offer = ['process', 'thread', 'gil'];
  if (c.python) offer = offer.concat(['py-process', 'py-thread']);
  for (const m of models) if (!offer.includes(m) && m !== 'sequential') offer.push(m);
  for (const m of offer) mbox.append(checkbox('model', m, models.includes(m)));
  if (c.speedup) mbox.append(el('span', { class: 'muted', text: '(sequential always runs: the baseline)' }));

  $('workers-field').hidden = !c.workers;
  const wbox = $('workers');
  wbox.replaceChildren();
  const offered = [...new Set([1, 2, 4, 8, 16, info.cores, ...counts])]
    .filter((w) => w <= info.max_workers).sort((a, b) => a - b);
  for (const w of offered) wbox.append(checkbox('workers', String(w), counts.includes(w)));

  $('options').value = rest.join(' ');
  $('prediction').value = '';
  for (const r of document.querySelectorAll('input[name=holds]')) r.checked = false;
  $('q-speedup').hidden = !c.speedup;
  $('q-verdict').hidden = c.speedup;
  updateQuestion();
}

function fillSelect(sel, values, preferred) {
  const keep = sel.value;
  sel.replaceChildren(...values.map((v) => el('option', { value: v, text: v })));
  if (values.includes(keep)) sel.value = keep;
  else if (values.includes(preferred)) sel.value = preferred;
}

/* The question follows the models and workers chosen. */
function updateQuestion() {
  if (!chosen) return;
  if (chosen.speedup) {
    const models = checked('model').sort(byModel);
    const counts = checked('workers').map(Number).sort((a, b) => a - b);
    const near = counts.filter((w) => w <= info.cores).pop() || counts[0];
    fillSelect($('q-model'), models, 'thread');
    fillSelect($('q-workers'), counts.map(String), String(near));
  }
  updateRunButton();
}

function prediction() {
  if (chosen.speedup) return $('prediction').value.trim();
  const r = document.querySelector('input[name=holds]:checked');
  return r ? r.value : '';
}

function updateRunButton() {
  const ready = chosen && prediction() !== '' &&
    (!chosen.speedup || ($('q-model').value && $('q-workers').value));
  $('run').disabled = !ready;
  $('run-hint').hidden = !!ready;
}

function request() {
  const c = chosen, args = [];
  if (c.models) {
    let models = checked('model').sort(byModel);
    if (c.speedup) {
      if (models.some((m) => m.startsWith('py-'))) models.unshift('py-sequential');
      models.unshift('sequential');
    }
    args.push('--models', models.join(','));
  }
  if (c.workers) args.push('--workers', checked('workers').join(','));
  args.push(...$('options').value.split(/\s+/).filter(Boolean));
  const req = { scenario: c.name, args, prediction: prediction() };
  if (c.speedup) {
    req.model = $('q-model').value;
    req.workers = +$('q-workers').value;
  }
  return req;
}

async function submit(ev) {
  ev.preventDefault();
  if ($('run').disabled) return;
  const t0 = performance.now();
  $('run').disabled = true;
  try {
    const r = await fetch('/api/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request()),
    });
    const body = await r.json();
    if (r.status === 202) {
      clicked = { id: body.id, t0 };
      $('run-error').hidden = true;
    } else {
      $('run-error').textContent = body.error || `HTTP ${r.status}`;
      $('run-error').hidden = false;
    }
  } catch (e) {
    $('run-error').textContent = 'pvt live is not answering: ' + e;
    $('run-error').hidden = false;
  }
  updateRunButton();
}

async function stop(id) {
  await fetch('/api/stop?id=' + id, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
}

/* ---- the queue ------------------------------------------------------------- */

function questionText(job) {
  if (job.model) {
    return `speedup of ${job.model} at ${job.workers} workers: ` +
      (job.prediction ? `${job.prediction}×` : 'no prediction');
  }
  return job.prediction ? `predicted: it ${job.prediction}` : 'no prediction';
}

function jobLine(job, button) {
  const b = el('button', { type: 'button', class: 'stop', 'data-stop': job.id,
    text: button });
  b.addEventListener('click', () => stop(job.id));
  return el('div', { class: 'job' }, el('b', { text: `#${job.id} ${job.scenario} ` }),
    questionText(job), ' ', b, el('br'), el('code', { text: job.args.join(' ') }));
}

function renderState(s) {
  last = s;
  const now = $('now');
  now.replaceChildren();
  if (s.running) now.append(jobLine(s.running, 'Stop'));
  else now.append(el('span', { class: 'muted', text: 'nothing is running' }));
  $('waiting').replaceChildren(...s.queue.map((j) =>
    el('li', {}, jobLine(j, 'Remove'))));
  now.dataset.running = s.running ? s.running.id : '';
  const stopRun = $('stop-run');
  stopRun.hidden = !(s.running && view && view.job.id === s.running.id);
  stopRun.dataset.stop = s.running ? s.running.id : '';
}

/* ---- the run ------------------------------------------------------------- */

/* Models and worker counts of a job, from its options and its claim. */
function configsOf(job) {
  const c = claimOf(job.scenario);
  const models = (optionValue(job.args, 'models') ||
    optionValue(job.args, 'model') || (c && c.default_models) || '')
    .split(',').filter(Boolean).sort(byModel);
  let counts = parseList(optionValue(job.args, 'workers') ||
    (c && c.default_workers));
  if (!counts.length && info) counts = parseList('1..' + 2 * info.cores);
  return { models, counts };
}

function startView(job, cores) {
  const { models, counts } = configsOf(job);
  view = { job, cores: cores || (info && info.cores) || 1, models, counts,
    walls: new Map(), lanes: new Map(), t0: performance.now(), done: false };
  count('progress', 0);
  count('lanes', 0);
  const claim = claimOf(job.scenario);
  $('live').hidden = false;
  $('result').hidden = true;
  $('live-title').replaceChildren(`#${job.id} ${job.scenario} `,
    el('span', { class: 'muted', text: claim ? claim.summary : '' }));
  $('question').textContent = job.model
    ? `What speedup will ${job.model} reach at ${job.workers} workers?`
    : 'Will the claim hold on this machine?';
  $('predicted').textContent = job.prediction
    ? job.prediction + (job.model ? '×' : '') : '—';
  $('measured').textContent = '…';
  $('status').textContent = '';
  $('progress').textContent = 'starting…';
  if (last) renderState(last);
  $('lanes').replaceChildren();
  buildBars();
}

/* Events of the run on screen, counted on #live (data-progress,
 * data-lanes) for whoever checks the page: they come while it runs. */
function count(what, n) {
  $('live').dataset[what] = n === undefined ? +$('live').dataset[what] + 1 : n;
}

function tick() {
  if (view && !view.done) {
    $('clock').textContent = ((performance.now() - view.t0) / 1000).toFixed(1) + ' s';
  }
}

/* One bar per model (but the baselines) and worker count. */
function buildBars() {
  const bars = $('bars');
  bars.replaceChildren();
  view.bars = new Map();
  const claim = claimOf(view.job.scenario);
  if (claim && !claim.speedup) {
    bars.append(el('p', { class: 'muted', text: 'this claim is judged by its verdicts, not by a speedup' }));
    return;
  }
  for (const m of view.models) {
    if (m === 'sequential' || m === 'py-sequential') continue;
    for (const w of view.counts) {
      const bar = el('div', { class: 'bar sofar' });
      const ideal = el('div', { class: 'ideal' });
      const value = el('span', { class: 'bar-value', text: '…' });
      const row = el('div', { class: `bar-row m-${m}`, 'data-config': `${m}/${w}` },
        el('span', { text: `${m} ×${w}` }),
        el('div', { class: 'bar-track' }, bar, ideal), value);
      bars.append(row);
      view.bars.set(`${m}/${w}`, { bar, ideal, value, row, w, speedup: NaN, final: false,
        busy: false });
    }
  }
  bars.append(el('p', { id: 'busy-note', class: 'muted', hidden: '' }));
  layoutBars();
}

function layoutBars() {
  let top = 1.2;
  for (const b of view.bars.values()) {
    top = Math.max(top, Math.min(b.w, view.cores), Number.isFinite(b.speedup) ? b.speedup : 0);
  }
  top *= 1.1;
  for (const b of view.bars.values()) {
    const s = Number.isFinite(b.speedup) ? b.speedup : 0;
    b.bar.style.width = (100 * s / top).toFixed(2) + '%';
    b.bar.classList.toggle('sofar', !b.final);
    b.ideal.style.left = (100 * Math.min(b.w, view.cores) / top).toFixed(2) + '%';
    b.value.textContent = Number.isFinite(b.speedup)
      ? fmtX(b.speedup) + (b.busy ? ' !' : '') : '…';
    b.row.classList.toggle('busy', b.busy);
  }
}

/* Speedups so far: the baseline's median over the configuration's. */
function updateBars() {
  for (const [key, b] of view.bars) {
    const m = key.split('/')[0];
    const base = view.walls.get((m.startsWith('py-') ? 'py-sequential' : 'sequential') + '/1');
    const mine = view.walls.get(key);
    if (base && mine) b.speedup = median(base) / median(mine);
  }
  layoutBars();
}

function onRun(ev) {
  if (!view) return;
  if (!ev.warm && ev.ok) {
    const key = `${ev.model}/${ev.model.endsWith('sequential') ? 1 : ev.workers}`;
    if (!view.walls.has(key)) view.walls.set(key, []);
    view.walls.get(key).push(ev.wall_s);
    updateBars();
  }
  if (ev.lanes) {
    drawLanes(ev);
    count('lanes');
  }
}

/* The lanes of one measured run, replayed over its own duration (at
 * least 0.4 s, so that a short run is seen growing; at most 2 s). */
function drawLanes(ev) {
  let panel = view.lanes.get(ev.model);
  if (!panel) {
    panel = el('div', { class: `lane-panel m-${ev.model}`, 'data-model': ev.model });
    const panels = [...view.lanes.values()];
    view.lanes.set(ev.model, panel);
    panels.push(panel);
    panels.sort((a, b) => byModel(a.dataset.model, b.dataset.model));
    $('lanes').replaceChildren(...panels);
  }
  const rows = ev.model.endsWith('sequential') ? 1 : ev.workers;
  const wall = ev.wall_s > 0 ? ev.wall_s : 1e-9;
  const gil = ev.model === 'gil';
  const title = el('div', { class: 'title' }, el('b', { text: `${ev.model} ×${rows}` }),
    ` — ${(ev.wall_s * 1000).toFixed(1)} ms` +
    (ev.lanes_cut ? ` (${ev.lanes_cut} intervals not shown)` : ''));
  const svgs = [], items = [];
  for (let w = 0; w < rows; w++) {
    svgs.push(svgEl('svg', { viewBox: '0 0 1000 10', preserveAspectRatio: 'none',
      'data-worker': w }));
  }
  for (const [w, kind, s, e] of ev.lanes) {
    if (w < 0 || w >= rows) continue;
    let cls = 'task';
    if (kind === KIND_TASK && gil) cls = 'waiting';	/* in a task, not holding it */
    if (kind === KIND_WAIT) cls = 'wait';
    const x = 1000 * s / wall, width = Math.max(1000 * (e - s) / wall, 0.8);
    const r = svgEl('rect', { x: x.toFixed(2), y: kind === KIND_TASK ? 0 : 1,
      width: 0, height: kind === KIND_TASK ? 10 : 8, class: cls });
    items.push({ r, x, width });
    svgs[w].append(r);
  }
  const lanes = svgs.map((s, w) => el('div', { class: 'lane-row' },
    el('span', { text: 'w' + w }), s));
  panel.replaceChildren(title, ...lanes);
  panel.dataset.rects = String(items.length);
  replay(items, Math.min(Math.max(ev.wall_s, 0.4), 2) * 1000);
}

function replay(items, ms) {
  const t0 = performance.now();
  const frame = (now) => {
    const front = Math.min(1, (now - t0) / ms) * 1000;
    for (const it of items) {
      const w = Math.min(it.width, Math.max(0, front - it.x));
      it.r.setAttribute('width', w.toFixed(2));
    }
    if (front < 1000) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/* ---- the result ------------------------------------------------------------ */

function table(t) {
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.cols.map((c, i) => [c, r[i]])));
}

function verdictClass(v) {
  return v === 'holds' ? 'holds' : v === 'does not hold' ? 'nothold' : 'inconclusive';
}

function onResult(m) {
  if (!view || view.job.id !== m.id) startView(m.job);
  view.done = true;
  $('stop-run').hidden = true;
  $('clock').textContent = m.elapsed_s.toFixed(1) + ' s';
  $('progress').textContent = '';
  const claim = claimOf(m.job.scenario);

  let busiest = 0;	/* other programs' cores during a busy configuration */
  let askedBusy = false;	/* the configuration the question is about */
  for (const row of table(m.summary)) {
    const key = `${row.model}/${row.workers}`;
    const b = view.bars.get(key);
    if (row.busy === '1') busiest = Math.max(busiest, +row.other_cpu || 0);
    if (row.busy === '1' && key === `${m.job.model}/${m.job.workers}`) askedBusy = true;
    if (b && row.speedup !== '') {
      b.speedup = +row.speedup;
      b.final = true;
      b.busy = row.busy === '1';
    }
  }
  if (view.bars.size) {
    layoutBars();
    const note = $('busy-note');
    note.hidden = !busiest;
    note.textContent = `! busy: other programs took up to ${busiest.toFixed(1)} ` +
      'cores while these ran, so their figures do not show the claim';
  }

  const verdicts = table(m.verdicts);
  if (claim && claim.speedup) {
    $('predicted').textContent = m.job.prediction ? m.job.prediction + '×' : '—';
    $('measured').textContent = m.measured === null ? '—' : fmtX(m.measured);
  } else {
    const all = verdicts.map((v) => v.verdict);
    const overall = !all.length ? '—' : all.includes('does not hold') ? 'does not hold'
      : all.every((v) => v === 'holds') ? 'holds' : 'inconclusive';
    $('predicted').textContent = m.job.prediction || '—';
    $('measured').textContent = overall;
  }
  $('measured').dataset.value = m.measured === null ? '' : String(m.measured);

  let status = `${m.status} in ${m.elapsed_s.toFixed(1)} s on ${view.cores} cores`;
  if (m.job.model && m.measured !== null && m.job.prediction) {
    const ratio = +m.job.prediction / m.measured;
    status += Math.abs(ratio - 1) <= 0.1 ? ' · your prediction was within 10%'
      : ratio > 1 ? ' · you expected more' : ' · you expected less';
  }
  if (askedBusy) status += ' · the machine was busy during it';
  if (clicked && clicked.id === m.id) {
    const s = (performance.now() - clicked.t0) / 1000;
    document.body.dataset.clickToResult = s.toFixed(2);
    status += ` · click to result ${s.toFixed(1)} s`;
  }
  if (m.status !== 'done' && m.stderr) status += ' · ' + m.stderr.trim().split('\n').pop();
  $('status').textContent = status;

  const list = $('verdicts');
  list.replaceChildren();
  for (const v of verdicts) {
    list.append(el('li', {}, el('span', { class: 'verdict ' + verdictClass(v.verdict), text: v.verdict }),
      `${v.check}: expected ${v.expected}, measured ${v.measured}` + (v.reason ? ` — ${v.reason}` : '')));
  }
  if (!verdicts.length) {
    list.append(el('li', {}, el('span', { class: 'verdict none', text: 'no verdict' }),
      m.summary ? 'this run wrote no verdicts: the measured figure is above'
        : 'this run wrote no verdicts: its narration below says what it measured'));
  }
  $('lesson').textContent = claim ? claim.lesson : '';
  $('narration').textContent = m.narration || '';
  $('narration').parentElement.open = !(claim && claim.speedup);
  $('result').hidden = false;
}

/* ---- events ----------------------------------------------------------------- */

function onEvent(m) {
  switch (m.t) {
  case 'hello': $('machine').textContent = machineLine(); break;
  case 'state': renderState(m); break;
  case 'start': startView(m.job, m.cores); break;
  case 'progress':
    if (view && !view.done) {
      $('progress').textContent = m.text;
      count('progress');
    }
    break;
  case 'run': onRun(m); break;
  case 'result': onResult(m); break;
  }
}

function machineLine() {
  return info ? `this machine: ${info.cores} cores · pvt ${info.version}` : '';
}

function listen() {
  const es = new EventSource('/events');
  es.onmessage = (e) => {
    try { onEvent(JSON.parse(e.data)); } catch (err) { console.error(err); }
  };
  es.onerror = () => { $('machine').textContent = 'reconnecting to pvt live…'; };
}

async function main() {
  const r = await fetch('/api/claims');
  info = await r.json();
  $('budget').textContent = info.budget_s;
  $('machine').textContent = machineLine();
  renderClaims();
  const first = claimOf(location.hash.slice(1)) || info.claims.find((c) => c.speedup);
  if (first) selectClaim(first);
  $('run-form').addEventListener('submit', submit);
  $('stop-run').addEventListener('click', () => stop(+$('stop-run').dataset.stop));
  $('prediction').addEventListener('input', updateRunButton);
  for (const r of document.querySelectorAll('input[name=holds]')) r.addEventListener('change', updateRunButton);
  $('q-model').addEventListener('change', updateRunButton);
  $('q-workers').addEventListener('change', updateRunButton);
  setInterval(tick, 100);
  listen();
}

main();
