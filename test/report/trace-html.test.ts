import { expect } from 'chai';
import { MAX_NODE_ROWS, renderTraceHtml } from '../../src/report/trace-html';
import type { Decision } from '../../src/rules/types';
import type { NodeVerdict, RuleDecisionEntry, SchedulingAttemptEntry } from '../../src/sim/trace';

const START = new Date('2025-01-01T00:00:00Z');
const T0 = START.getTime();

const VOID_ELEMENTS = new Set(['br', 'wbr', 'img', 'hr', 'meta']);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/y;
const ENTITY = /&(amp|lt|gt|quot|#39);/y;

/**
 * Checks the fragment closely enough for generated markup: tags balance, and no `<`, `>` or bare `&` is
 * left in text or attribute values (so nothing from the trace can become markup). The <style> body is CSS.
 */
function assertWellFormedHtml(html: string): void {
  const stack: string[] = [];
  let pos = 0;
  const checkText = (text: string, where: number) => {
    if (text.includes('>')) throw new Error(`bare > at ${where}: ${text.slice(0, 60)}`);
    for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(text)) throw new Error(`bare & at ${where + i}: ${text.slice(i, i + 20)}`);
    }
  };
  while (pos < html.length) {
    const lt = html.indexOf('<', pos);
    checkText(html.slice(pos, lt < 0 ? html.length : lt), pos);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) throw new Error(`malformed tag at ${lt}: ${html.slice(lt, lt + 40)}`);
    const [whole, closing, name, attrs] = m;
    checkText(
      attrs.replace(/="[^"]*"/g, (v) => v.replaceAll('>', '')),
      lt,
    );
    pos = lt + whole.length;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
    } else if (name === 'style') {
      const end = html.indexOf('</style>', pos);
      if (end < 0) throw new Error('unclosed <style>');
      pos = end + '</style>'.length;
    } else if (!VOID_ELEMENTS.has(name)) {
      stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
}

/** The node rows of the first nodes table: [row class, cell texts]. */
function nodeRows(html: string): { cls: string; cells: string[] }[] {
  const body = /<table><thead>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr(?: class="(\w+)")?>([\s\S]*?)<\/tr>/g)].map((m) => ({
    cls: m[1] ?? '',
    cells: [...m[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()),
  }));
}

function filterDecision(facts: Decision['facts'] = []): Decision {
  return { point: 'scheduling.filter', events: [], facts };
}

function rejected(
  node: string,
  plugin = 'TaintToleration',
  reason = 'node(s) had untolerated taint(s)',
): NodeVerdict {
  return {
    node,
    rejected: {
      plugin,
      code: 'UnschedulableAndUnresolvable',
      reasons: [reason],
      rules: [`${plugin.toLowerCase()}/reject`],
    },
    filterDecision: filterDecision([
      { fact: 'untoleratedTaint', value: { text: 'dedicated=gpu:NoSchedule' } },
    ]),
  };
}

function passed(node: string, fit: number, taint: number): NodeVerdict {
  return {
    node,
    filterDecision: filterDecision(),
    scores: [
      {
        plugin: 'NodeResourcesFit',
        raw: fit,
        normalized: fit,
        weight: 1,
        rules: ['node-resources-fit/least-allocated'],
      },
      {
        plugin: 'TaintToleration',
        raw: taint,
        normalized: 100 - taint * 100,
        weight: 3,
        rules: ['taint-toleration/prefer'],
      },
    ],
    total: fit + 3 * (100 - taint * 100),
    scoreDecision: {
      point: 'scheduling.score',
      events: [],
      facts: [{ fact: 'leastAllocatedScore', value: fit }],
    },
  };
}

function bound(pod: string, node: string, verdicts: NodeVerdict[], time = T0): SchedulingAttemptEntry {
  return { kind: 'scheduling', time, pod, outcome: 'bound', node, verdicts };
}

describe('renderTraceHtml', () => {
  it('shows a bound attempt: rejected nodes with plugin, reason and rule, passed nodes with their scores', () => {
    const html = renderTraceHtml(
      [
        bound('default/web', 'general', [
          rejected('gpu-1'),
          passed('general', 87, 0),
          passed('spare', 75, 0),
        ]),
      ],
      START,
    );
    assertWellFormedHtml(html);
    expect(html).to.include(
      '<span class="badge bound">Scheduled</span>pod <b>default/web</b> → node <b>general</b>',
    );
    expect(html).to.include(
      '3 nodes: 2 passed the filters; 1 rejected by TaintToleration: node(s) had untolerated taint(s)',
    );
    const rows = nodeRows(html);
    expect(rows.map((r) => r.cls)).to.deep.equal(['rejected', 'chosen', '']);
    expect(rows[0].cells).to.deep.equal([
      'gpu-1',
      'rejected by TaintToleration: node(s) had untolerated taint(s) (UnschedulableAndUnresolvable; rule tainttoleration/reject)',
    ]);
    // Each score cell: the weighted score, then raw → normalized ×weight; then the total.
    expect(rows[1].cells).to.deep.equal(['✔ general (chosen)', '8787 → 87 ×1', '3000 → 100 ×3', '387']);
    expect(rows[2].cells).to.deep.equal(['spare', '7575 → 75 ×1', '3000 → 100 ×3', '375']);
    expect(html).to.include(
      'NodeResourcesFit<div class="muted rules">node-resources-fit/least-allocated</div>',
    );
    expect(html).to.include('<td>leastAllocatedScore</td><td></td><td>87</td>');
  });

  it('highlights only the node the pod was bound to', () => {
    const html = renderTraceHtml(
      [bound('default/web', 'b', [passed('a', 90, 0), passed('b', 90, 0)])],
      START,
    );
    expect(nodeRows(html).map((r) => r.cls)).to.deep.equal(['', 'chosen']);
    expect(html.match(/class="chosen"/g)).to.have.length(1);
  });

  it('shows an unschedulable attempt with its FailedScheduling message and no chosen node', () => {
    const entry: SchedulingAttemptEntry = {
      kind: 'scheduling',
      time: T0,
      pod: 'default/big',
      outcome: 'unschedulable',
      message: '0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s).',
      nominatedNode: 'general',
      verdicts: [rejected('gpu-1'), rejected('general', 'NodeResourcesFit', 'Insufficient memory')],
    };
    const html = renderTraceHtml([entry], START);
    assertWellFormedHtml(html);
    expect(html).to.include(
      '<span class="badge unschedulable">FailedScheduling</span>pod <b>default/big</b>',
    );
    expect(html).to.include(
      '<p class="message">0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s).</p>',
    );
    expect(html).to.include('nominated node: <b>general</b>');
    expect(html).not.to.include('class="chosen"');
    expect(nodeRows(html).map((r) => r.cells[1].split(':')[0])).to.deep.equal([
      'rejected by TaintToleration',
      'rejected by NodeResourcesFit',
    ]);
  });

  it('says when a node passed the filters without being scored, and when it was not evaluated', () => {
    const html = renderTraceHtml(
      [bound('default/pinned', 'n1', [{ node: 'n0', skipped: 'PreFilter NodeAffinity' }, { node: 'n1' }])],
      START,
    );
    const rows = nodeRows(html);
    expect(rows[0].cells).to.deep.equal(['n0', 'not evaluated: PreFilter NodeAffinity']);
    expect(rows[1]).to.deep.equal({
      cls: 'chosen',
      cells: ['✔ n1 (chosen)', 'passed the filters (not scored)'],
    });
  });

  it('shows a rule decision with its fired rules, their params and the facts', () => {
    const entry: RuleDecisionEntry = {
      kind: 'decision',
      time: T0 + 90_000,
      subject: 'pod default/web on node n1',
      outcome: 'evict after 300s',
      decision: {
        point: 'taint.eviction',
        events: [
          {
            type: 'evict',
            params: { after: 300 },
            ruleSet: 'toleration-seconds',
            rule: 'shortest',
            priority: 1,
          },
        ],
        facts: [
          { fact: 'untoleratedTaints', value: [] },
          { fact: 'minTolerationSeconds', params: { effect: 'NoExecute' }, value: 300 },
        ],
      },
    };
    const html = renderTraceHtml([entry], START);
    assertWellFormedHtml(html);
    expect(html).to.include('<span class="time">+1m30s</span><span class="badge rule">taint.eviction</span>');
    expect(html).to.include('pod default/web on node n1: <b>evict after 300s</b>');
    expect(html).to.include(
      '<td>toleration-seconds/shortest</td><td>evict</td><td>{&quot;after&quot;:300}</td>',
    );
    expect(html).to.include('<td>untoleratedTaints</td><td></td><td>[]</td>');
    expect(html).to.include(
      '<td>minTolerationSeconds</td><td>{&quot;effect&quot;:&quot;NoExecute&quot;}</td><td>300</td>',
    );
    const quiet: RuleDecisionEntry = { ...entry, decision: { ...entry.decision, events: [] } };
    expect(renderTraceHtml([quiet], START)).to.include('<p class="muted">no rule fired</p>');
  });

  it('escapes everything that comes from the trace', () => {
    const evil = `<img src=x onerror="alert('x')">&amp;`;
    const entries = [
      bound(evil, evil, [
        {
          ...rejected(evil, evil, evil),
          filterDecision: filterDecision([{ fact: evil, params: { k: evil }, value: evil }]),
        },
        passed(evil, 50, 0),
      ]),
      {
        kind: 'decision',
        time: T0,
        subject: evil,
        outcome: evil,
        decision: {
          point: evil,
          events: [{ type: evil, params: { [evil]: evil }, ruleSet: evil, rule: evil, priority: 1 }],
          facts: [{ fact: evil, value: { evil } }],
        },
      } satisfies RuleDecisionEntry,
    ];
    const html = renderTraceHtml(entries, START);
    assertWellFormedHtml(html);
    expect(html).not.to.include('<img');
    expect(html).not.to.include(`'x'`);
    expect(html).to.include('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;');
  });

  it('cuts long fact values and keeps the whole value in the tooltip', () => {
    const long = 'x'.repeat(1000);
    const html = renderTraceHtml(
      [
        bound('default/web', 'n1', [
          { node: 'n1', filterDecision: filterDecision([{ fact: 'big', value: long }]) },
        ]),
      ],
      START,
    );
    expect(html).to.include(`<span title="&quot;${long}&quot;">&quot;${'x'.repeat(238)}…</span>`);
  });

  it('lists the entries in time order, each at its offset from the start', () => {
    const html = renderTraceHtml(
      [
        bound('default/late', 'n1', [passed('n1', 1, 0)], T0 + 5 * 60_000),
        bound('default/early', 'n1', [passed('n1', 1, 0)], T0),
        bound('default/middle', 'n1', [passed('n1', 1, 0)], T0 + 1500),
      ],
      START,
    );
    const order = [...html.matchAll(/<span class="time">([^<]*)<\/span>.*?pod <b>([^<]*)<\/b>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(order).to.deep.equal([
      ['+0s', 'default/early'],
      ['+1.5s', 'default/middle'],
      ['+5m0s', 'default/late'],
    ]);
    expect(html).to.include(
      '<p>3 scheduling attempts (3 bound, 0 unschedulable), 0 other rule decisions</p>',
    );
  });

  it('opens scheduling attempts of a short trace and closes them in a long one; rule decisions start closed', () => {
    const decision: RuleDecisionEntry = {
      kind: 'decision',
      time: T0,
      subject: 'pod default/web',
      outcome: 'tolerations added',
      decision: { point: 'admission', events: [], facts: [] },
    };
    const short = renderTraceHtml([decision, bound('default/web', 'n1', [passed('n1', 1, 0)])], START);
    expect(short.match(/<details class="entry" open>/g)).to.have.length(1);
    expect(short).to.include(
      '<details class="entry"><summary><span class="time">+0s</span><span class="badge rule">',
    );
    const many = Array.from({ length: 20 }, (_, i) => bound(`default/p${i}`, 'n1', [passed('n1', 1, 0)]));
    expect(renderTraceHtml(many, START)).not.to.include('<details class="entry" open>');
  });

  it('keeps hundreds of nodes bounded: the chosen node, the best scores, one of each verdict, then a count', () => {
    const verdicts: NodeVerdict[] = [];
    for (let i = 0; i < 299; i++) {
      const name = `node-${String(i).padStart(3, '0')}`;
      if (i % 3 === 0) verdicts.push(rejected(name, 'NodeResourcesFit', 'Insufficient cpu'));
      else if (i % 3 === 1) verdicts.push(rejected(name));
      else verdicts.push(passed(name, i % 100, 0));
    }
    const html = renderTraceHtml(
      [bound('default/web', 'node-299', verdicts.concat(passed('node-299', 1, 0)))],
      START,
    );
    assertWellFormedHtml(html);
    const rows = nodeRows(html);
    expect(rows).to.have.length(MAX_NODE_ROWS + 1);
    expect(rows.filter((r) => r.cls === 'chosen').map((r) => r.cells[0])).to.deep.equal([
      '✔ node-299 (chosen)',
    ]);
    const names = rows.slice(0, MAX_NODE_ROWS).map((r) => r.cells[0]);
    // node-098 scored 98+300, the best total among the passed nodes.
    expect(names).to.include('node-098');
    expect(names).to.include.members(['node-000', 'node-001']);
    expect(rows[MAX_NODE_ROWS].cells[0]).to.match(/^280 more nodes not shown: \d+ rejected by /);
    expect(html).to.include(
      '300 nodes: 100 rejected by NodeResourcesFit: Insufficient cpu; 100 rejected by TaintToleration: ' +
        'node(s) had untolerated taint(s); 100 passed the filters',
    );
    expect(html.length).to.be.lessThan(60_000);
  });

  it('stops adding entries once the fragment is about 2 MB, and counts the ones left out', () => {
    const wide = 'v'.repeat(200);
    const verdicts = Array.from({ length: MAX_NODE_ROWS }, (_, i) => ({
      node: `n${i}`,
      filterDecision: filterDecision(Array.from({ length: 10 }, (_, f) => ({ fact: `f${f}`, value: wide }))),
    }));
    const entries = Array.from({ length: 100 }, (_, i) => bound(`default/p${i}`, 'n0', verdicts, T0 + i));
    const html = renderTraceHtml(entries, START);
    assertWellFormedHtml(html);
    const shown = html.match(/<details class="entry"/g)?.length ?? 0;
    expect(shown).to.be.greaterThan(0).and.lessThan(100);
    expect(html).to.include(`<p class="muted">${100 - shown} later entries not shown: the trace is too long`);
    expect(html.length).to.be.within(1_500_000, 2_100_000);
  });

  it('says so when nothing was traced', () => {
    expect(renderTraceHtml([], START)).to.include('<p>No decisions were traced.</p>');
  });
});
