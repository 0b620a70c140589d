// InterPodAffinity's facts, with cases adapted from
// k8s:pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go (TestRequiredAffinitySingleNode,
// TestRequiredAffinityMultipleNodes) and scoring_test.go (TestPreferredAffinity).
import { expect } from 'chai';
import type { Affinity } from 'kubernetes-types/core/v1';
import type { PodObject } from '../../src/api/pods';
import {
  type ClusterSnapshot,
  InterPodAffinityPreFilter,
  InterPodAffinityPreScore,
} from '../../src/scheduler/inter-pod-affinity';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo } from '../../src/scheduler/pod-info';

let seq = 0;
function pod(labels: Record<string, string>, affinity?: Affinity, namespace = 'default') {
  seq += 1;
  return buildPodInfo({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${seq}`, namespace, uid: `u${seq}`, labels },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(affinity ? { affinity } : {}) },
  } as PodObject);
}

function node(name: string, labels: Record<string, string>, ...pods: ReturnType<typeof pod>[]): NodeInfo {
  const info = new NodeInfo(name, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  } as never);
  for (const p of pods) info.addPod(p);
  return info;
}

function cluster(
  nodes: NodeInfo[],
  namespaces: Record<string, Record<string, string>> = {},
): ClusterSnapshot {
  const all = nodes.flatMap((n) => [...n.pods.values()]);
  return {
    nodes,
    podsWithAffinity: all.filter((p) => p.podAffinity).length,
    podsWithRequiredAntiAffinity: all.filter((p) => p.podAffinity?.requiredAntiAffinity.length).length,
    namespaceLabels: (ns) => namespaces[ns],
    namespacesSelectedBy: (s) => Object.keys(namespaces).filter((ns) => s.matches(namespaces[ns])),
  };
}

const term = (matchLabels: Record<string, string>, topologyKey: string, extra: object = {}) => ({
  labelSelector: { matchLabels },
  topologyKey,
  ...extra,
});
const required = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: object[]) => ({
  [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms },
});

describe('InterPodAffinity facts', () => {
  it('skips a pod without terms when no running pod has required anti-affinity', () => {
    const n = node('n1', {}, pod({ service: 'securityscan' }));
    expect(InterPodAffinityPreFilter.build(pod({}), cluster([n]))).to.equal(undefined);
  });

  it('satisfies affinity on the node whose pod matches, not on another zone (filtering_test: "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity")', () => {
    const a = node('a', { zone: 'z1' }, pod({ security: 'S1' }));
    const b = node('b', { zone: 'z1' });
    const c = node('c', { zone: 'z2' });
    const incoming = pod({}, required('podAffinity', term({ security: 'S1' }, 'zone')));
    const state = InterPodAffinityPreFilter.build(incoming, cluster([a, b, c]));
    expect(state?.facts(a, a).podAffinityMatches).to.equal(true);
    expect(state?.facts(b, b).podAffinityMatches).to.equal(true);
    expect(state?.facts(c, c).podAffinityMatches).to.equal(false);
  });

  it('fails affinity on a node without the topology key even for the first pod of a group', () => {
    const a = node('a', {});
    const incoming = pod({ app: 'w' }, required('podAffinity', term({ app: 'w' }, 'zone')));
    const state = InterPodAffinityPreFilter.build(incoming, cluster([a, node('b', { zone: 'z' })]));
    expect(state?.facts(a, a).podAffinityMatches).to.equal(false);
  });

  it('lets the first pod of a group that matches its own terms go anywhere with the key (filtering_test: "verify that PodAffinity is satisfied ... when no other pod matches")', () => {
    const b = node('b', { zone: 'z' });
    const self = pod({ app: 'w' }, required('podAffinity', term({ app: 'w' }, 'zone')));
    expect(InterPodAffinityPreFilter.build(self, cluster([b]))?.facts(b, b).podAffinityMatches).to.equal(
      true,
    );
    // A pod that does not match its own terms gets no such exception.
    const other = pod({ app: 'x' }, required('podAffinity', term({ app: 'w' }, 'zone')));
    expect(InterPodAffinityPreFilter.build(other, cluster([b]))?.facts(b, b).podAffinityMatches).to.equal(
      false,
    );
  });

  it('counts only pods in the term namespaces, selected by name or by labels', () => {
    const a = node('a', {}, pod({ app: 'db' }, undefined, 'data'));
    const byDefault = pod({}, required('podAffinity', term({ app: 'db' }, 'kubernetes.io/hostname')));
    const bySelector = pod(
      {},
      required(
        'podAffinity',
        term({ app: 'db' }, 'kubernetes.io/hostname', {
          namespaceSelector: { matchLabels: { team: 'data' } },
        }),
      ),
    );
    const snapshot = cluster([a], { default: {}, data: { team: 'data' } });
    expect(InterPodAffinityPreFilter.build(byDefault, snapshot)?.facts(a, a).podAffinityMatches).to.equal(
      false,
    );
    expect(InterPodAffinityPreFilter.build(bySelector, snapshot)?.facts(a, a).podAffinityMatches).to.equal(
      true,
    );
  });

  it('rejects by anti-affinity in the matching pod domain only (filtering_test: "Anti Affinity: pod that does not match topology key & match the pods in nodes will be scheduled")', () => {
    const a = node('a', { zone: 'z1' }, pod({ service: 'securityscan' }));
    const b = node('b', { zone: 'z1' });
    const c = node('c', { zone: 'z2' });
    const incoming = pod({}, required('podAntiAffinity', term({ service: 'securityscan' }, 'zone')));
    const state = InterPodAffinityPreFilter.build(incoming, cluster([a, b, c]));
    expect(state?.facts(b, b).podAntiAffinityMatches).to.equal(false);
    expect(state?.facts(c, c).podAntiAffinityMatches).to.equal(true);
  });

  it("honours a running pod's anti-affinity against the incoming pod (symmetry), and forgets it once the pod is removed", () => {
    const guard = pod({}, required('podAntiAffinity', term({ app: 'web' }, 'kubernetes.io/hostname')));
    const a = node('a', {}, guard);
    const b = node('b', {});
    const web = pod({ app: 'web' });
    const state = InterPodAffinityPreFilter.build(web, cluster([a, b]));
    expect(state?.facts(a, a).existingPodsAntiAffinityMatches).to.equal(false);
    expect(state?.facts(b, b).existingPodsAntiAffinityMatches).to.equal(true);
    // Preemption's dry run: the same node without the guard.
    const trial = a.clone();
    trial.removePod(guard.key);
    expect(state?.facts(trial, a).existingPodsAntiAffinityMatches).to.equal(true);
  });

  it('applies matchLabelKeys with the pod own label values', () => {
    const a = node('a', {}, pod({ app: 'web', rev: '1' }));
    const incoming = pod(
      { app: 'web', rev: '2' },
      required(
        'podAntiAffinity',
        term({ app: 'web' }, 'kubernetes.io/hostname', { matchLabelKeys: ['rev'] }),
      ),
    );
    expect(
      InterPodAffinityPreFilter.build(incoming, cluster([a]))?.facts(a, a).podAntiAffinityMatches,
    ).to.equal(true);
  });

  it('scores preferred terms by weight per domain, anti-affinity negative (scoring_test: "Affinity: pod that matches topology key & pods in nodes will get high score")', () => {
    const a = node('a', { region: 'China' }, pod({ security: 'S1' }));
    const b = node('b', { region: 'China' });
    const c = node('c', { region: 'India' }, pod({ security: 'S2' }));
    const incoming = pod(
      {},
      {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, podAffinityTerm: term({ security: 'S1' }, 'region') },
          ],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 3, podAffinityTerm: term({ security: 'S2' }, 'region') },
          ],
        },
      },
    );
    const state = InterPodAffinityPreScore.build(incoming, cluster([a, b, c]));
    expect([a, b, c].map((n) => state?.score(n))).to.deep.equal([5, 5, -3]);
  });

  it("scores a running pod's required affinity the incoming pod matches with weight 1 (hard pod affinity symmetric weight)", () => {
    const a = node('a', { zone: 'z1' }, pod({}, required('podAffinity', term({ app: 'web' }, 'zone'))));
    const b = node('b', { zone: 'z2' });
    const state = InterPodAffinityPreScore.build(pod({ app: 'web' }), cluster([a, b]));
    expect([a, b].map((n) => state?.score(n))).to.deep.equal([1, 0]);
    expect(InterPodAffinityPreScore.build(pod({ app: 'db' }), cluster([a, b]))).to.equal(undefined);
  });
});
