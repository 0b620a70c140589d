// PodTopologySpread's facts and its normalisation, with cases adapted from
// k8s:pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go (TestSingleConstraint) and
// scoring_test.go (TestPodTopologySpreadScore).
import { expect } from 'chai';
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { Selector, selectorFromSet } from '../../src/api/labels';
import type { PodObject } from '../../src/api/pods';
import type { ClusterSnapshot } from '../../src/scheduler/inter-pod-affinity';
import { NodeInfo } from '../../src/scheduler/node-info';
import { normalizedScore } from '../../src/scheduler/normalize';
import { buildPodInfo } from '../../src/scheduler/pod-info';
import { TopologySpreadPreFilter, TopologySpreadPreScore } from '../../src/scheduler/topology-spread';

let seq = 0;
function pod(labels: Record<string, string>, spec: Record<string, unknown> = {}) {
  seq += 1;
  return buildPodInfo({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${seq}`, namespace: 'default', uid: `u${seq}`, labels },
    spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
  } as PodObject);
}

function node(name: string, labels: Record<string, string>, count = 0): NodeInfo {
  const info = new NodeInfo(name, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  } as never);
  for (let i = 0; i < count; i++) info.addPod(pod({ foo: '' }));
  return info;
}

const cluster = (nodes: NodeInfo[]): ClusterSnapshot => ({
  nodes,
  podsWithAffinity: 0,
  podsWithRequiredAntiAffinity: 0,
  namespaceLabels: () => undefined,
  namespacesSelectedBy: () => [],
});

const constraint = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: 'zone',
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
  ...extra,
});

const noDefaults = () => Selector.everything();

describe('PodTopologySpread facts', () => {
  // TestSingleConstraint "normal case": zone1 has 3 matching pods (node-a 2, node-b 1), zone2 has 1 (node-x).
  const nodes = () => [
    node('node-a', { zone: 'zone1' }, 2),
    node('node-b', { zone: 'zone1' }, 1),
    node('node-x', { zone: 'zone2' }, 1),
    node('node-y', { zone: 'zone2' }),
  ];

  it('rejects the zone with more matching pods and accepts the other (TestSingleConstraint "normal case")', () => {
    const all = nodes();
    const state = TopologySpreadPreFilter.build(
      pod({ foo: '' }, { topologySpreadConstraints: [constraint()] }),
      cluster(all),
      noDefaults,
    );
    expect(all.map((n) => state?.violation(n, n)?.missingLabel ?? 'fits')).to.deep.equal([
      false,
      false,
      'fits',
      'fits',
    ]);
  });

  it('does not count the pod itself when it does not match the selector', () => {
    const all = nodes();
    const state = TopologySpreadPreFilter.build(
      pod({ bar: '' }, { topologySpreadConstraints: [constraint({ maxSkew: 2 })] }),
      cluster(all),
      noDefaults,
    );
    // zone1: 3 + 0 - 1 = 2 <= 2.
    expect(state?.violation(all[0], all[0])).to.equal(null);
  });

  it('reports a node without the topology key as missing the label', () => {
    const bare = node('bare', {});
    const state = TopologySpreadPreFilter.build(
      pod({ foo: '' }, { topologySpreadConstraints: [constraint()] }),
      cluster([bare, ...nodes()]),
      noDefaults,
    );
    expect(state?.violation(bare, bare)).to.deep.equal({ topologyKey: 'zone', missingLabel: true });
  });

  it('takes the global minimum as 0 while there are fewer domains than minDomains (TestSingleConstraint "minDomains")', () => {
    const all = [node('node-a', { zone: 'zone1' }, 1), node('node-x', { zone: 'zone2' }, 1)];
    const incoming = (minDomains: number) =>
      pod({ foo: '' }, { topologySpreadConstraints: [constraint({ minDomains })] });
    expect(
      TopologySpreadPreFilter.build(incoming(2), cluster(all), noDefaults)?.violation(all[0], all[0]),
    ).to.equal(null);
    expect(
      TopologySpreadPreFilter.build(incoming(3), cluster(all), noDefaults)?.violation(all[0], all[0]),
    ).to.deep.equal({ topologyKey: 'zone', missingLabel: false });
  });

  it('leaves out of the domains the nodes the pod node affinity excludes (nodeAffinityPolicy Honor) unless told to Ignore', () => {
    const all = nodes();
    const nodeSelector = { zone: 'zone1' };
    const honor = TopologySpreadPreFilter.build(
      pod({ foo: '' }, { nodeSelector, topologySpreadConstraints: [constraint({ maxSkew: 2 })] }),
      cluster(all),
      noDefaults,
    );
    // Only zone1 counts: its own minimum is 3, so node-a's skew is 3 + 1 - 3 = 1.
    expect(honor?.violation(all[0], all[0])).to.equal(null);
    const ignore = TopologySpreadPreFilter.build(
      pod(
        { foo: '' },
        {
          nodeSelector,
          topologySpreadConstraints: [constraint({ maxSkew: 2, nodeAffinityPolicy: 'Ignore' })],
        },
      ),
      cluster(all),
      noDefaults,
    );
    // Both zones count: 3 + 1 - 1 = 3 > 2.
    expect(ignore?.violation(all[0], all[0])?.missingLabel).to.equal(false);
  });

  it('recounts a node whose pods changed (preemption removing victims)', () => {
    const all = nodes();
    const state = TopologySpreadPreFilter.build(
      pod({ foo: '' }, { topologySpreadConstraints: [constraint()] }),
      cluster(all),
      noDefaults,
    );
    const trial = all[0].clone();
    for (const key of [...trial.pods.keys()]) trial.removePod(key);
    // zone1 now has 1 matching pod: 1 + 1 - 1 = 1.
    expect(state?.violation(trial, all[0])).to.equal(null);
  });

  it('scores fewer matching pods higher across zones (TestPodTopologySpreadScore "one constraint on zone, all nodes fit")', () => {
    const all = nodes();
    const incoming = pod(
      { foo: '' },
      { topologySpreadConstraints: [constraint({ whenUnsatisfiable: 'ScheduleAnyway' })] },
    );
    const state = TopologySpreadPreScore.build(incoming, all, cluster(all), noDefaults);
    const raw = all.map((n) => state?.score(n) as number);
    // 2 zones: weight ln(4); zone1 has 3 pods, zone2 1.
    expect(raw).to.deep.equal([4, 4, 1, 1]);
    const range = { min: 1, max: 4 };
    expect(raw.map((r) => normalizedScore(r, range, 'spread'))).to.deep.equal([25, 25, 100, 100]);
  });

  it('gives the system defaults to a pod with a default selector, spreading nodes without a zone by hostname', () => {
    const big = node('big', {}, 2);
    const small = node('small', {});
    const owned = pod({ foo: '' });
    const state = TopologySpreadPreScore.build(owned, [big, small], cluster([big, small]), () =>
      selectorFromSet({ foo: '' }),
    );
    // hostname maxSkew 3 over 2 nodes: 2 * ln(4) + 2 and 0 + 2; the zone constraint scores no node.
    expect([big, small].map((n) => state?.score(n))).to.deep.equal([5, 2]);
    expect(TopologySpreadPreScore.build(owned, [big, small], cluster([big, small]), noDefaults)).to.equal(
      undefined,
    );
  });
});

describe('score normalisation', () => {
  it('InterPodAffinity min-max: the lowest node 0, the highest 100, all equal 0', () => {
    expect([-3, 0, 5].map((s) => normalizedScore(s, { min: -3, max: 5 }, 'minMax'))).to.deep.equal([
      0, 37, 100,
    ]);
    expect(normalizedScore(4, { min: 4, max: 4 }, 'minMax')).to.equal(0);
  });

  it('PodTopologySpread: 100 when every node scores 0', () => {
    expect(normalizedScore(0, { min: 0, max: 0 }, 'spread')).to.equal(100);
  });
});
