import { expect } from 'chai';
import { type ClusterView, type NodeView, type PodBox, renderClusterSvg } from '../../src/report/cluster-svg';

const GI = 2 ** 30;

function pod(name: string, extra: Partial<PodBox> = {}): PodBox {
  return {
    namespace: 'default',
    name,
    phase: 'Running',
    status: 'Running',
    ready: true,
    terminating: false,
    ...extra,
  };
}

function node(name: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    name,
    ready: 'True',
    unschedulable: false,
    labels: {
      'topology.kubernetes.io/zone': 'zone-a',
      'node-role.kubernetes.io/worker': '',
      'kubernetes.io/hostname': name,
    },
    taints: [],
    conditions: [],
    cpu: { requestedMilli: 1500, allocatableMilli: 4000 },
    memory: { requestedBytes: 3 * GI, allocatableBytes: 8 * GI },
    pods: { count: 3, allocatable: 110 },
    podBoxes: [pod(`${name}-a`), pod(`${name}-b`), pod(`${name}-c`)],
    ...extra,
  };
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;

/** Checks XML well-formedness closely enough for generated markup: tags balance, one root, text and attribute values escaped. */
function assertWellFormedXml(doc: string): void {
  const stack: string[] = [];
  let roots = 0;
  const checkEscapes = (text: string, where: number) => {
    for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(text)) throw new Error(`bare & at ${where + i}: ${text.slice(i, i + 20)}`);
    }
    const control = Array.from(text).find((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd;
    });
    if (control !== undefined) throw new Error(`control character near ${where}`);
  };
  let pos = 0;
  while (pos < doc.length) {
    const lt = doc.indexOf('<', pos);
    const text = doc.slice(pos, lt < 0 ? doc.length : lt);
    checkEscapes(text, pos);
    if (text.includes('>')) throw new Error(`bare > in text at ${pos}`);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${pos}`);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(doc);
    if (!m) throw new Error(`malformed tag at ${lt}: ${doc.slice(lt, lt + 40)}`);
    const [whole, closing, name, attrs, selfClosing] = m;
    checkEscapes(attrs, lt);
    const names = [...attrs.matchAll(/([\w:.-]+)="/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute in <${name}> at ${lt}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
    pos = lt + whole.length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function rectsOf(svg: string): Rect[] {
  return [...svg.matchAll(/<rect x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(m[3]),
    height: Number(m[4]),
  }));
}

function size(svg: string): { width: number; height: number } {
  const m = /<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!m) throw new Error('no svg size');
  expect([m[3], m[4]]).to.deep.equal([m[1], m[2]]);
  return { width: Number(m[1]), height: Number(m[2]) };
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** The frame of a node and the rects drawn inside its group. */
function nodeGroup(svg: string, name: string): { frame: Rect; rects: Rect[]; markup: string } {
  const start = svg.indexOf(`<g><title>node ${name}:`);
  expect(start, `group of node ${name}`).to.be.at.least(0);
  let depth = 0;
  let end = start;
  for (const m of svg.slice(start).matchAll(/<(\/?)g[ >]/g)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      end = start + (m.index ?? 0);
      break;
    }
  }
  const markup = svg.slice(start, end);
  const [frame, ...rects] = rectsOf(markup);
  return { frame, rects, markup };
}

function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

describe('report/cluster-svg', () => {
  const view: ClusterView = {
    nodes: [
      node('node-a'),
      node('node-b', {
        ready: 'False',
        taints: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
        podBoxes: [
          pod('db-0', { status: 'Terminating', ready: false, terminating: true }),
          pod('db-1', { phase: 'Failed', status: 'Error', ready: false }),
        ],
      }),
      node('node-c', {
        unschedulable: true,
        taints: ['node.kubernetes.io/unschedulable:NoSchedule', 'dedicated=gpu:PreferNoSchedule'],
        conditions: ['MemoryPressure', 'DiskPressure'],
        podBoxes: [
          pod('job-1', { phase: 'Succeeded', status: 'Completed', ready: false }),
          pod('web-x', { status: 'CrashLoopBackOff', ready: false }),
        ],
      }),
      node('node-d', { ready: 'Unknown', podBoxes: [], pods: { count: 0, allocatable: 110 } }),
    ],
    pendingPods: [pod('pending-1', { phase: 'Pending', status: 'Pending', ready: false })],
  };
  const svg = renderClusterSvg(view);

  it('is one well-formed, self-contained SVG document', () => {
    assertWellFormedXml(svg);
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /);
    expect(svg).not.to.match(/<(script|style|image|foreignObject|use)\b|href=|@import|url\(/);
  });

  it('checks well-formedness for real: the checker refuses broken markup', () => {
    expect(() => assertWellFormedXml('<svg><g></svg>')).to.throw();
    expect(() => assertWellFormedXml('<svg><text>a & b</text></svg>')).to.throw();
    expect(() => assertWellFormedXml('<svg><text>a < b</text></svg>')).to.throw();
    expect(() => assertWellFormedXml('<svg/><svg/>')).to.throw();
  });

  it('escapes markup characters in names, taints and labels', () => {
    const nasty = renderClusterSvg({
      nodes: [
        node('n<&>"\'', {
          labels: { 'a<b': 'x&y' },
          taints: ['k="v"<:NoSchedule'],
          podBoxes: [pod('p<&>"', { namespace: 'ns&', status: '<Status>' })],
        }),
      ],
      pendingPods: [pod('q&<', { phase: 'Pending', ready: false })],
    });
    assertWellFormedXml(nasty);
    expect(nasty).to.contain('n&lt;&amp;&gt;&quot;&apos;');
    expect(nasty).to.contain('ns&amp;/p&lt;&amp;&gt;&quot;\nSTATUS: &lt;Status&gt;');
    expect(nasty).to.contain('k=&quot;v&quot;&lt;:NoSchedule');
    expect(nasty).to.contain('a&lt;b=x&amp;y');
    expect(nasty).not.to.contain('p<&>');
  });

  it('drops characters XML cannot carry', () => {
    const odd = renderClusterSvg({ nodes: [node('bad\u0000\u001bname\ud800')], pendingPods: [] });
    assertWellFormedXml(odd);
    expect(odd).to.contain('badname');
  });

  it('shows each node with its name, status badge and cordon', () => {
    const texts = textsOf(svg);
    expect(texts).to.include.members([
      'node-a',
      'node-b',
      'node-c',
      'node-d',
      'Ready',
      'NotReady',
      'Unknown',
    ]);
    expect(textsOf(nodeGroup(svg, 'node-c').markup)).to.include.members(['Ready', 'SchedulingDisabled']);
    expect(textsOf(nodeGroup(svg, 'node-a').markup)).not.to.include('SchedulingDisabled');
    expect(nodeGroup(svg, 'node-b').markup).to.contain('stroke="#c92a2a" stroke-width="2"');
  });

  it('shows a few labels compactly: zone, role, then custom labels, not the hostname', () => {
    const labels = renderClusterSvg({
      nodes: [
        node('n', {
          labels: {
            disk: 'ssd',
            'kubernetes.io/hostname': 'n',
            'topology.kubernetes.io/zone': 'z1',
            'node-role.kubernetes.io/gpu': '',
          },
        }),
      ],
      pendingPods: [],
    });
    expect(textsOf(labels)).to.include('zone=z1  role=gpu  disk=ssd');
  });

  it('draws taint chips whose effect is visually distinct, and pressure conditions', () => {
    const chip = (effect: string) => {
      const m = new RegExp(`<rect [^>]*/><text [^>]*>[^<]*:${effect}</text>`).exec(svg);
      expect(m, effect).to.not.equal(null);
      return m?.[0] ?? '';
    };
    const noExecute = chip('NoExecute');
    const noSchedule = chip('NoSchedule');
    const prefer = chip('PreferNoSchedule');
    const fills = [noExecute, noSchedule, prefer].map((c) => /fill="([^"]+)"/.exec(c)?.[1]);
    expect(new Set(fills).size).to.equal(3);
    expect(prefer).to.contain('stroke-dasharray');
    expect(noExecute).not.to.contain('stroke-dasharray');
    expect(textsOf(nodeGroup(svg, 'node-c').markup)).to.include.members(['MemoryPressure', 'DiskPressure']);
  });

  it('keeps the effect of a taint that is too long to show whole', () => {
    const long = renderClusterSvg({
      nodes: [node('n', { taints: ['example.com/a-very-long-taint-key-indeed=and-a-long-value:NoExecute'] })],
      pendingPods: [],
    });
    const label = textsOf(long).find((t) => t.endsWith(':NoExecute'));
    expect(label).to.match(/^example\.com\/a-very.*…:NoExecute$/);
  });

  it('counts taints that do not fit as +N', () => {
    const taints = Array.from({ length: 20 }, (_, i) => `key-${i}=value-${i}:NoSchedule`);
    const many = renderClusterSvg({ nodes: [node('n', { taints })], pendingPods: [] });
    const shown = textsOf(many).filter((t) => t.endsWith(':NoSchedule')).length;
    expect(shown).to.be.within(1, 19);
    expect(textsOf(many)).to.include(`+${20 - shown}`);
  });

  it('draws cpu, memory and pod bars with readable requested/allocatable labels', () => {
    const texts = textsOf(nodeGroup(svg, 'node-a').markup);
    expect(texts).to.include.members(['1.5/4 cpu', '3Gi/8Gi mem', '3/110 pods']);
    const odd = renderClusterSvg({
      nodes: [
        node('n', {
          cpu: { requestedMilli: 250, allocatableMilli: 3920 },
          memory: { requestedBytes: 512 * 2 ** 20, allocatableBytes: 1.5 * GI },
        }),
      ],
      pendingPods: [],
    });
    expect(textsOf(odd)).to.include.members(['0.25/3.92 cpu', '512Mi/1.5Gi mem']);
  });

  it('fills a bar in proportion and turns it red when requests exceed allocatable', () => {
    const over = renderClusterSvg({
      nodes: [node('n', { cpu: { requestedMilli: 6000, allocatableMilli: 4000 } })],
      pendingPods: [],
    });
    const cpuBar =
      /<title>requested\/allocatable: 6\/4 cpu<\/title><rect [^>]*width="(\d+)"[^>]*\/><rect [^>]*width="(\d+)"[^>]*fill="([^"]+)"/.exec(
        over,
      );
    expect(cpuBar?.[2]).to.equal(cpuBar?.[1]);
    expect(cpuBar?.[3]).to.equal('#c92a2a');
    const half =
      /<title>requested\/allocatable: 3Gi\/8Gi mem<\/title><rect [^>]*width="(\d+)"[^>]*\/><rect [^>]*width="(\d+)"/.exec(
        svg,
      );
    expect(Number(half?.[2])).to.equal(Math.round((Number(half?.[1]) * 3) / 8));
  });

  it('draws pods as boxes coloured by state, with full name and status on hover', () => {
    const fillOf = (name: string) => {
      const m = new RegExp(
        `<title>default/${name}\\n[^<]*</title><rect [^>]*fill="([^"]+)" stroke="([^"]+)"`,
      ).exec(svg);
      expect(m, name).to.not.equal(null);
      return m?.[1];
    };
    const states = ['node-a-a', 'web-x', 'pending-1', 'job-1', 'db-1', 'db-0'].map(fillOf);
    expect(new Set(states).size).to.equal(6);
    expect(svg).to.contain(
      '<title>default/web-x\nSTATUS: CrashLoopBackOff (phase Running, not ready)</title>',
    );
    expect(svg).to.contain(
      '<title>default/db-0\nSTATUS: Terminating (phase Running, not ready, terminating)</title>',
    );
  });

  it('keeps every pod box inside its node box', () => {
    for (const name of ['node-a', 'node-b', 'node-c']) {
      const group = nodeGroup(svg, name);
      expect(group.rects.length).to.be.greaterThan(0);
      for (const rect of group.rects)
        expect(inside(rect, group.frame), `${name} ${JSON.stringify(rect)}`).to.equal(true);
    }
  });

  it('puts unbound pods in an Unscheduled lane', () => {
    expect(textsOf(svg)).to.include('Unscheduled (1)');
    expect(svg.indexOf('Unscheduled (1)')).to.be.lessThan(svg.indexOf('<title>default/pending-1'));
    const none = renderClusterSvg({ nodes: [node('n')], pendingPods: [] });
    expect(none).not.to.contain('Unscheduled');
  });

  it('has a legend naming every pod state, taint effect and pressure', () => {
    expect(textsOf(svg)).to.include.members([
      'Legend',
      'Running, ready',
      'Running, not ready',
      'Pending',
      'Succeeded',
      'Failed',
      'Terminating',
      'Unknown',
      'NoExecute taint',
      'NoSchedule taint',
      'PreferNoSchedule taint',
      'pressure condition',
    ]);
  });

  it('is deterministic: the same view gives the same bytes', () => {
    expect(renderClusterSvg(view)).to.equal(svg);
    expect(renderClusterSvg(structuredClone(view))).to.equal(svg);
  });

  it('caps the pods shown per node with "+N more" so that 100 pods stay legible', () => {
    const pods = Array.from({ length: 100 }, (_, i) => pod(`api-${i}`));
    const crowded = renderClusterSvg({
      nodes: [node('big', { podBoxes: pods, pods: { count: 100, allocatable: 110 } })],
      pendingPods: [],
    });
    assertWellFormedXml(crowded);
    const shown = (crowded.match(/<title>default\/api-/g) ?? []).length;
    expect(shown).to.be.within(40, 99);
    expect(textsOf(crowded)).to.include(`+${100 - shown} more`);
    const group = nodeGroup(crowded, 'big');
    for (const rect of group.rects) expect(inside(rect, group.frame)).to.equal(true);
  });

  it('shows a few pods as named boxes and many as small ones', () => {
    const few = renderClusterSvg({ nodes: [node('n')], pendingPods: [] });
    expect(textsOf(few)).to.include.members(['n-a', 'n-b', 'n-c']);
    const pods = Array.from({ length: 30 }, (_, i) => pod(`many-${i}`));
    const lots = renderClusterSvg({ nodes: [node('n', { podBoxes: pods })], pendingPods: [] });
    expect(textsOf(lots)).not.to.include('many-0');
    expect(lots).to.contain('<title>default/many-29\n');
  });

  it('switches to compact boxes for 50 nodes, wrapping rows within a page width', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => node(`worker-${i}`));
    const big = renderClusterSvg({ nodes, pendingPods: [] });
    assertWellFormedXml(big);
    const { width, height } = size(big);
    expect(width).to.be.at.most(1400);
    for (const n of nodes) expect(textsOf(big)).to.include(n.name);
    for (const rect of rectsOf(big)) {
      expect(rect.x + rect.width).to.be.at.most(width);
      expect(rect.y + rect.height).to.be.at.most(height);
    }
    const frames = nodes.map((n) => nodeGroup(big, n.name).frame);
    const rows = new Set(frames.map((f) => f.y));
    expect(rows.size).to.be.greaterThan(5);
    for (let i = 0; i < frames.length; i++) {
      for (let j = i + 1; j < frames.length; j++) {
        const a = frames[i];
        const b = frames[j];
        const overlap =
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${nodes[i].name} overlaps ${nodes[j].name}`).to.equal(false);
      }
    }
  });

  it('keeps everything inside the picture', () => {
    const { width, height } = size(svg);
    for (const rect of rectsOf(svg)) {
      expect(rect.x).to.be.at.least(0);
      expect(rect.x + rect.width).to.be.at.most(width);
      expect(rect.y + rect.height).to.be.at.most(height);
    }
  });

  it('renders an empty cluster', () => {
    const empty = renderClusterSvg({ nodes: [], pendingPods: [] });
    assertWellFormedXml(empty);
    expect(textsOf(empty)).to.include('No nodes');
  });
});
