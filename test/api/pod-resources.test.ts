import { expect } from 'chai';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  type PodRequestOptions,
  podQOSClass,
  podRequests,
  type QOSClass,
  type ResourceList,
} from '../../src/api/pod-resources';

type Res = Record<string, string>;

function container(name: string, requests?: Res, limits?: Res, restartPolicy?: string): Container {
  const resources: Container['resources'] = {};
  if (requests) resources.requests = requests;
  if (limits) resources.limits = limits;
  return { name, image: 'pause', resources, ...(restartPolicy ? { restartPolicy } : {}) };
}

const sidecar = (name: string, requests: Res) => container(name, requests, undefined, 'Always');

function pod(containers: Container[], initContainers: Container[] = [], overhead?: Res): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'foo' },
    spec: { containers, initContainers, ...(overhead ? { overhead } : {}) },
  };
}

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

describe('podRequests', () => {
  // k8s:staging/src/k8s.io/component-helpers/resource/helpers_test.go TestPodRequestsAndLimits (requests only).
  // getPod gives the same requirements to one container and one init container, plus the overhead.
  describe('TestPodRequestsAndLimits', () => {
    const getPod = (r: {
      cpuRequest?: string;
      memoryRequest?: string;
      cpuLimit?: string;
      memoryLimit?: string;
      cpuOverhead?: string;
      memoryOverhead?: string;
    }) => {
      const requests: Res = {};
      const limits: Res = {};
      const overhead: Res = {};
      if (r.cpuRequest) requests.cpu = r.cpuRequest;
      if (r.memoryRequest) requests.memory = r.memoryRequest;
      if (r.cpuLimit) limits.cpu = r.cpuLimit;
      if (r.memoryLimit) limits.memory = r.memoryLimit;
      if (r.cpuOverhead) overhead.cpu = r.cpuOverhead;
      if (r.memoryOverhead) overhead.memory = r.memoryOverhead;
      return pod([container('foo', requests, limits)], [container('init-foo', requests, limits)], overhead);
    };
    const cases: { name: string; pod: Pod; want: ResourceList }[] = [
      { name: 'just-limit-no-overhead', pod: getPod({ cpuLimit: '9' }), want: {} },
      {
        name: 'just-overhead',
        pod: getPod({ cpuOverhead: '5', memoryOverhead: '5' }),
        want: { cpu: 5000, memory: 5 },
      },
      {
        name: 'req-and-overhead',
        pod: getPod({ cpuRequest: '1', memoryRequest: '10', cpuOverhead: '5', memoryOverhead: '5' }),
        want: { cpu: 6000, memory: 15 },
      },
      {
        name: 'all-req-lim-and-overhead',
        pod: getPod({
          cpuRequest: '1',
          cpuLimit: '2',
          memoryRequest: '10',
          memoryLimit: '12',
          cpuOverhead: '5',
          memoryOverhead: '5',
        }),
        want: { cpu: 6000, memory: 15 },
      },
      {
        name: 'req-some-lim-and-overhead',
        pod: getPod({
          cpuRequest: '1',
          cpuLimit: '2',
          memoryRequest: '10',
          cpuOverhead: '5',
          memoryOverhead: '5',
        }),
        want: { cpu: 6000, memory: 15 },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(podRequests(c.pod)).to.deep.equal(c.want);
      });
    }
  });

  // helpers_test.go TestPodRequestsAndLimitsWithoutOverhead (requests, ExcludeOverhead).
  describe('TestPodRequestsAndLimitsWithoutOverhead', () => {
    const containers = [
      container('foobar', { cpu: '1', memory: '5' }, { cpu: '2', memory: '10' }),
      container('foobar2', { cpu: '4', memory: '12' }, { cpu: '8', memory: '24' }),
    ];
    const overhead = { cpu: '3', memory: '8' };
    const cases: { name: string; pod: Pod; want: ResourceList }[] = [
      {
        name: 'two container no overhead - should just be sum of containers',
        pod: pod(containers),
        want: { cpu: 5000, memory: 17 },
      },
      {
        name: "two container with overhead - shouldn't consider overhead",
        pod: pod(containers, [], overhead),
        want: { cpu: 5000, memory: 17 },
      },
      {
        name: 'two container with overhead, massive init - should just be the largest init',
        pod: pod(
          containers,
          [
            container('small-init', { cpu: '1', memory: '5' }, { cpu: '1', memory: '5' }),
            container('big-init', { cpu: '40', memory: '120' }, { cpu: '80', memory: '240' }),
          ],
          overhead,
        ),
        want: { cpu: 40000, memory: 120 },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(podRequests(c.pod, { excludeOverhead: true })).to.deep.equal(c.want);
      });
    }
  });

  // helpers_test.go TestPodResourceRequests (the in-place-resize cases need container status resources, which the
  // simulator does not model).
  describe('TestPodResourceRequests', () => {
    const cases: { name: string; pod: Pod; options?: PodRequestOptions; want: ResourceList }[] = [
      {
        name: 'nil options, larger init container',
        pod: pod([container('c', { cpu: '1' })], [container('i', { cpu: '4' })]),
        want: { cpu: 4000 },
      },
      {
        name: 'nil options, larger containers',
        pod: pod(
          [container('c1', { cpu: '2' }), container('c2', { cpu: '3' })],
          [container('i', { cpu: '2' })],
        ),
        want: { cpu: 5000 },
      },
      {
        name: 'pod overhead excluded',
        pod: pod(
          [container('c1', { cpu: '2' }), container('c2', { cpu: '3' })],
          [container('i', { cpu: '2' })],
          { cpu: '1' },
        ),
        options: { excludeOverhead: true },
        want: { cpu: 5000 },
      },
      {
        name: 'pod overhead included',
        pod: pod(
          [container('c1', { cpu: '2' }), container('c2', { cpu: '3' })],
          [container('i', { cpu: '2' }, { cpu: '2' })],
          { cpu: '1', memory: '1Gi' },
        ),
        want: { cpu: 6000, memory: Gi },
      },
      {
        name: 'restartable init container',
        // restartable init + regular container
        pod: pod([container('container-1', { cpu: '1' })], [sidecar('restartable-init-1', { cpu: '1' })]),
        want: { cpu: 2000 },
      },
      {
        name: 'multiple restartable init containers',
        // max(5, restartable init containers(3+2+1) + regular(1)) = 7
        pod: pod(
          [container('container-1', { cpu: '1' })],
          [
            container('init-1', { cpu: '5' }),
            sidecar('restartable-init-1', { cpu: '1' }),
            sidecar('restartable-init-2', { cpu: '2' }),
            sidecar('restartable-init-3', { cpu: '3' }),
          ],
        ),
        want: { cpu: 7000 },
      },
      {
        name: 'multiple restartable and regular init containers',
        // init-2 requires 5 + the previously running restartable init containers (1+2) = 8; the restartable init
        // container that starts after it doesn't count.
        pod: pod(
          [container('container-1', { cpu: '1' })],
          [
            container('init-1', { cpu: '5' }),
            sidecar('restartable-init-1', { cpu: '1' }),
            sidecar('restartable-init-2', { cpu: '2' }),
            container('init-2', { cpu: '5' }),
            sidecar('restartable-init-3', { cpu: '3' }),
          ],
        ),
        want: { cpu: 8000 },
      },
      {
        name: 'restartable-init, init and regular',
        pod: pod(
          [container('container-1', { cpu: '100' })],
          [sidecar('restartable-init-1', { cpu: '10' }), container('init-1', { cpu: '200' })],
        ),
        want: { cpu: 210000 },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(podRequests(c.pod, c.options)).to.deep.equal(c.want);
      });
    }
  });

  // k8s:pkg/scheduler/framework/plugins/noderesources/fit.go, the worked example in the comment on
  // computePodResourceRequest: IC1 2CPU/1G, IC2 2CPU/3G, C1 2CPU/1G, C2 1CPU/1G → 3 CPU / 3G.
  it('takes the larger of the init-container peak and the container sum, per resource (fit.go example)', () => {
    const p = pod(
      [container('C1', { cpu: '2', memory: '1G' }), container('C2', { cpu: '1', memory: '1G' })],
      [container('IC1', { cpu: '2', memory: '1G' }), container('IC2', { cpu: '2', memory: '3G' })],
    );
    expect(podRequests(p)).to.deep.equal({ cpu: 3000, memory: 3_000_000_000 });
  });

  it('counts extended resources like cpu and memory', () => {
    const p = pod(
      [container('c1', { 'example.com/foo': '2' }), container('c2', { 'example.com/foo': '1' })],
      [container('i', { 'example.com/foo': '5' })],
    );
    expect(podRequests(p)).to.deep.equal({ 'example.com/foo': 5 });
  });

  // NonMissingContainerRequests with the scheduler's values (k8s:pkg/scheduler/util/pod_resources.go
  // DefaultMilliCPURequest 100m, DefaultMemoryRequest 200Mi; k8s:pkg/scheduler/framework/types.go
  // getNonMissingContainerRequests). helpers_test.go TestPodRequestsAndLimitsVerticalScalingWrappers
  // "non missing container requests applied to init container / regular container" with those values.
  describe('nonMissingDefaults', () => {
    it('non missing container requests applied to init container', () => {
      const p = pod([], [container('i1', { cpu: '1' })]);
      expect(podRequests(p, { nonMissingDefaults: true })).to.deep.equal({ cpu: 1000, memory: 200 * Mi });
    });

    it('non missing container requests applied to regular container', () => {
      const p = pod([container('c1', { cpu: '1' })]);
      expect(podRequests(p, { nonMissingDefaults: true })).to.deep.equal({ cpu: 1000, memory: 200 * Mi });
    });

    // k8s:pkg/scheduler/framework/types_test.go TestPodInfoCalculateResources "requestless container".
    it('gives a container without requests the defaults', () => {
      expect(podRequests(pod([container('c', {})]), { nonMissingDefaults: true })).to.deep.equal({
        cpu: DEFAULT_MILLI_CPU_REQUEST,
        memory: DEFAULT_MEMORY_REQUEST,
      });
      expect(DEFAULT_MEMORY_REQUEST).to.equal(200 * Mi);
    });

    // The default replaces a missing request only: an explicit zero stays zero.
    it('keeps an explicit zero request', () => {
      const p = pod([container('c', { cpu: '0', memory: '0' })]);
      expect(podRequests(p, { nonMissingDefaults: true })).to.deep.equal({ cpu: 0, memory: 0 });
    });

    it('gives a pod without containers nothing', () => {
      expect(podRequests(pod([]), { nonMissingDefaults: true })).to.deep.equal({});
    });

    it('leaves the requests alone without the option', () => {
      expect(podRequests(pod([container('c', {})]))).to.deep.equal({});
    });
  });
});

describe('podQOSClass', () => {
  // k8s:pkg/apis/core/helper/qos/qos_test.go TestComputePodQOS (pod-level resources cases left out: the simulator
  // does not model spec.resources).
  const getResourceList = (cpu: string, memory: string): Res => ({
    ...(cpu !== '' ? { cpu } : {}),
    ...(memory !== '' ? { memory } : {}),
  });
  const newContainer = (name: string, requests: Res, limits: Res) => container(name, requests, limits);
  const cases: { name: string; pod: Pod; want: QOSClass }[] = [
    {
      name: 'guaranteed',
      pod: pod([
        newContainer('guaranteed', getResourceList('100m', '100Mi'), getResourceList('100m', '100Mi')),
      ]),
      want: 'Guaranteed',
    },
    {
      name: 'guaranteed-guaranteed',
      pod: pod([
        newContainer('guaranteed', getResourceList('100m', '100Mi'), getResourceList('100m', '100Mi')),
        newContainer('guaranteed', getResourceList('100m', '100Mi'), getResourceList('100m', '100Mi')),
      ]),
      want: 'Guaranteed',
    },
    {
      name: 'best-effort-best-effort',
      pod: pod([
        newContainer('best-effort', getResourceList('', ''), getResourceList('', '')),
        newContainer('best-effort', getResourceList('', ''), getResourceList('', '')),
      ]),
      want: 'BestEffort',
    },
    {
      name: 'best-effort',
      pod: pod([newContainer('best-effort', getResourceList('', ''), getResourceList('', ''))]),
      want: 'BestEffort',
    },
    {
      name: 'best-effort-burstable',
      pod: pod([
        newContainer('best-effort', getResourceList('', ''), getResourceList('', '')),
        newContainer('burstable', getResourceList('1', ''), getResourceList('2', '')),
      ]),
      want: 'Burstable',
    },
    {
      name: 'best-effort-guaranteed',
      pod: pod([
        newContainer('best-effort', getResourceList('', ''), getResourceList('', '')),
        newContainer('guaranteed', getResourceList('10m', '100Mi'), getResourceList('10m', '100Mi')),
      ]),
      want: 'Burstable',
    },
    {
      name: 'burstable-cpu-guaranteed-memory',
      pod: pod([newContainer('burstable', getResourceList('', '100Mi'), getResourceList('', '100Mi'))]),
      want: 'Burstable',
    },
    {
      name: 'burstable-no-limits',
      pod: pod([newContainer('burstable', getResourceList('100m', '100Mi'), getResourceList('', ''))]),
      want: 'Burstable',
    },
    {
      name: 'burstable-guaranteed',
      pod: pod([
        newContainer('burstable', getResourceList('1', '100Mi'), getResourceList('2', '100Mi')),
        newContainer('guaranteed', getResourceList('100m', '100Mi'), getResourceList('100m', '100Mi')),
      ]),
      want: 'Burstable',
    },
    {
      name: 'burstable-unbounded-but-requests-match-limits',
      pod: pod([
        newContainer('burstable', getResourceList('100m', '100Mi'), getResourceList('200m', '200Mi')),
        newContainer('burstable-unbounded', getResourceList('100m', '100Mi'), getResourceList('', '')),
      ]),
      want: 'Burstable',
    },
    {
      name: 'burstable-1',
      pod: pod([
        newContainer('burstable', getResourceList('10m', '100Mi'), getResourceList('100m', '200Mi')),
      ]),
      want: 'Burstable',
    },
    {
      name: 'burstable-2',
      pod: pod([newContainer('burstable', getResourceList('0', '0'), getResourceList('100m', '200Mi'))]),
      want: 'Burstable',
    },
    {
      name: 'best-effort-hugepages',
      pod: pod([
        newContainer(
          'best-effort',
          { ...getResourceList('0', '0'), 'hugepages-2Mi': '1Gi' },
          { ...getResourceList('0', '0'), 'hugepages-2Mi': '1Gi' },
        ),
      ]),
      want: 'BestEffort',
    },
    {
      name: 'init-container',
      pod: pod(
        [newContainer('best-effort', getResourceList('', ''), getResourceList('', ''))],
        [newContainer('burstable', getResourceList('10m', '100Mi'), getResourceList('100m', '200Mi'))],
      ),
      want: 'Burstable',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(podQOSClass(c.pod)).to.equal(c.want);
    });
  }

  // qos.go: requests and limits compare as quantities, so equal amounts written differently still match.
  it('compares requests and limits as quantities', () => {
    const p = pod([newContainer('c', getResourceList('1', '1Gi'), getResourceList('1000m', '1024Mi'))]);
    expect(podQOSClass(p)).to.equal('Guaranteed');
  });
});
