import { expect } from 'chai';
import type { Affinity, PodSpec, Taint } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../../src/api/nodes';
import type { PodObject } from '../../src/api/pods';
import {
  addDaemonPodTolerations,
  DaemonPlacement,
  isPodUpdated,
  pinToNode,
  targetNodeName,
} from '../../src/controllers/daemon-pods';

const pod = (labels: Record<string, string> | undefined, spec: Partial<PodSpec> = {}): PodObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod1', namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'foo/bar' }], ...spec },
  }) as PodObject;

const node = (labels: Record<string, string>, extra: { taints?: Taint[]; unschedulable?: boolean } = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'test-node', labels },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
  }) as NodeObject;

const pinned = (...names: string[]): Affinity => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] }],
    },
  },
});

describe('daemon pods', () => {
  // k8s:pkg/controller/daemon/util/daemonset_util_test.go TestIsPodUpdated
  describe('isPodUpdated', () => {
    const generation = '12345';
    const hash = '55555';
    const labels = { 'pod-template-generation': generation, 'controller-revision-hash': hash };
    const labelsNoHash = { 'pod-template-generation': generation };
    const cases: [string, string | undefined, PodObject, string, boolean][] = [
      ['templateGeneration and hash both match', generation, pod(labels), hash, true],
      ["templateGeneration matches, hash doesn't", generation, pod(labels), `${hash}123`, true],
      ['templateGeneration matches, no hash label, has hash', generation, pod(labelsNoHash), hash, true],
      ['templateGeneration matches, no hash label, no hash', generation, pod(labelsNoHash), '', true],
      ['templateGeneration matches, has hash label, no hash', generation, pod(labels), '', true],
      ["templateGeneration doesn't match, hash does", '12350', pod(labels), hash, true],
      ["templateGeneration and hash don't match", '12350', pod(labels), `${hash}123`, false],
      ['empty labels, no hash', generation, pod({}), '', false],
      ['empty labels', generation, pod({}), hash, false],
      ['no labels', generation, pod(undefined), hash, false],
    ];
    for (const [name, gen, p, h, want] of cases) {
      it(name, () => expect(isPodUpdated(p, h, gen)).to.equal(want));
    }
  });

  // daemonset_util_test.go TestReplaceDaemonSetPodNodeNameNodeAffinity
  describe('pinToNode', () => {
    const hostnameIn = (values: string[]) => ({
      matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values }],
    });
    it('gives a pod without affinity the node-name term', () => {
      expect(pinToNode(undefined, 'host_1')).to.deep.equal(pinned('host_1'));
    });
    it('replaces required label terms', () => {
      const affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [hostnameIn(['host_1'])] },
        },
      };
      expect(pinToNode(affinity, 'host_1')).to.deep.equal(pinned('host_1'));
    });
    it('keeps preferred terms', () => {
      const preferred = [{ weight: 1, preference: hostnameIn(['host_1']) }];
      const got = pinToNode(
        { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } },
        'host_1',
      );
      expect(got).to.deep.equal({
        nodeAffinity: {
          ...pinned('host_1').nodeAffinity,
          preferredDuringSchedulingIgnoredDuringExecution: preferred,
        },
      });
    });
    it('narrows a term that names several nodes, and replaces NotIn and unknown field keys', () => {
      expect(pinToNode(pinned('host_1', 'host_2'), 'host_1')).to.deep.equal(pinned('host_1'));
      const notIn = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['host_2'] }] },
            ],
          },
        },
      };
      expect(pinToNode(notIn, 'host_1')).to.deep.equal(pinned('host_1'));
      const foo = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.foo', operator: 'In', values: ['bar'] }] }],
          },
        },
      };
      expect(pinToNode(foo, 'host_1')).to.deep.equal(pinned('host_1'));
    });
    it('replaces several terms by one', () => {
      const twoTerms = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'hostname', operator: 'In', values: ['host_1'] }] },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_2'] }] },
            ],
          },
        },
      };
      expect(pinToNode(twoTerms, 'host_1')).to.deep.equal(pinned('host_1'));
    });
    it('leaves the affinity it was given untouched', () => {
      const original = pinned('a', 'b');
      pinToNode(original, 'a');
      expect(original).to.deep.equal(pinned('a', 'b'));
    });
  });

  // daemonset_util_test.go TestGetTargetNodeName
  describe('targetNodeName', () => {
    it('is the node a pod is bound to', () =>
      expect(targetNodeName(pod({}, { nodeName: 'node-1' }))).to.equal('node-1'));
    it('is the node the affinity pins it to', () =>
      expect(targetNodeName(pod({}, { affinity: pinned('node-1') }))).to.equal('node-1'));
    it('is unknown when the affinity names several nodes', () =>
      expect(targetNodeName(pod({}, { affinity: pinned('node-1', 'node-2') }))).to.equal(undefined));
    it('is unknown without either', () => expect(targetNodeName(pod({}))).to.equal(undefined));
  });

  // k8s:pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations
  describe('addDaemonPodTolerations', () => {
    const keys = (spec: PodSpec) => (spec.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
    it('adds the six tolerations, in order, all Exists and forever', () => {
      const spec: PodSpec = { containers: [] };
      addDaemonPodTolerations(spec);
      expect(keys(spec)).to.deep.equal([
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
      expect(
        spec.tolerations?.every((t) => t.operator === 'Exists' && t.tolerationSeconds === undefined),
      ).to.equal(true);
    });
    it('adds network-unavailable for host-network pods', () => {
      const spec: PodSpec = { containers: [], hostNetwork: true };
      addDaemonPodTolerations(spec);
      expect(keys(spec)[6]).to.equal('node.kubernetes.io/network-unavailable:NoSchedule');
    });
    it('replaces a matching toleration with tolerationSeconds and keeps the others in place', () => {
      const spec: PodSpec = {
        containers: [],
        tolerations: [
          { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
      };
      addDaemonPodTolerations(spec);
      expect(spec.tolerations?.[0]).to.deep.equal({
        key: 'dedicated',
        operator: 'Exists',
        effect: 'NoSchedule',
      });
      expect(spec.tolerations?.[1]).to.deep.equal({
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
      });
      expect(spec.tolerations).to.have.length(7);
    });
    it('changes nothing the second time', () => {
      const spec: PodSpec = { containers: [] };
      addDaemonPodTolerations(spec);
      const once = structuredClone(spec);
      addDaemonPodTolerations(spec);
      expect(spec).to.deep.equal(once);
    });
  });

  // k8s:pkg/controller/daemon/daemon_controller_test.go TestNodeShouldRunDaemonPod (the cases not about resources
  // or host ports, which the scheduler decides) and the taint cases of TestTaintedNode and friends.
  describe('DaemonPlacement', () => {
    const simple = { name: 'simple-daemon', type: 'production' };
    const placement = (spec: Partial<PodSpec>) =>
      new DaemonPlacement({ metadata: { labels: simple }, spec: { containers: [{ name: 'c' }], ...spec } });
    const both = (shouldRun: boolean, shouldContinueRunning: boolean) => ({
      shouldRun,
      shouldContinueRunning,
    });
    it('runs where nothing forbids it, whatever the pod asks for in resources', () => {
      expect(placement({}).on(node(simple))).to.deep.equal(both(true, true));
    });
    it('ErrPodNotMatchHostName: a template naming another node', () => {
      expect(placement({ nodeName: 'other-node' }).on(node(simple))).to.deep.equal(both(false, false));
    });
    it('ErrNodeSelectorNotMatch, and a selector that matches', () => {
      expect(
        placement({ nodeSelector: { name: 'simple-daemon', type: 'test' } }).on(node(simple)),
      ).to.deep.equal(both(false, false));
      expect(placement({ nodeSelector: simple }).on(node(simple))).to.deep.equal(both(true, true));
    });
    it('ErrPodAffinityNotMatch, and affinity that matches', () => {
      const typeIn = (value: string): Partial<PodSpec> => ({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: [value] }] }],
            },
          },
        },
      });
      expect(placement(typeIn('test')).on(node(simple))).to.deep.equal(both(false, false));
      expect(placement(typeIn('production')).on(node(simple))).to.deep.equal(both(true, true));
    });
    it('ShouldRunDaemonPodOnUnschedulableNode', () => {
      expect(placement({}).on(node(simple, { unschedulable: true }))).to.deep.equal(both(true, true));
    });
    it('keeps a pod on a node with an untolerated NoSchedule taint, but creates none there', () => {
      const tainted = node(simple, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
      expect(placement({}).on(tainted)).to.deep.equal(both(false, true));
    });
    it('removes the pod from a node with an untolerated NoExecute taint', () => {
      const tainted = node(simple, { taints: [{ key: 'maintenance', effect: 'NoExecute' }] });
      expect(placement({}).on(tainted)).to.deep.equal(both(false, false));
    });
    it('tolerates the not-ready, unreachable and condition taints', () => {
      const taints: Taint[] = [
        { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      ];
      expect(placement({}).on(node(simple, { taints }))).to.deep.equal(both(true, true));
    });
    it('does not tolerate network-unavailable unless on the host network', () => {
      const taints: Taint[] = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }];
      expect(placement({}).on(node(simple, { taints }))).to.deep.equal(both(false, true));
      expect(placement({ hostNetwork: true }).on(node(simple, { taints }))).to.deep.equal(both(true, true));
    });
    it('ignores PreferNoSchedule taints', () => {
      const taints: Taint[] = [{ key: 'spot', effect: 'PreferNoSchedule' }];
      expect(placement({}).on(node(simple, { taints }))).to.deep.equal(both(true, true));
    });
    it('runs where the template tolerates the taint', () => {
      const taints: Taint[] = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
      const tolerating = placement({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] });
      expect(tolerating.on(node(simple, { taints }))).to.deep.equal(both(true, true));
    });
  });
});
