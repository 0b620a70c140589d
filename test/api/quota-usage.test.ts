// The quota usage of pods, services and claims, and the quota admission check, with cases adapted from
// k8s:pkg/quota/v1/evaluator/core/pods_test.go (TestPodEvaluatorUsage, TestPodConstraintsFunc,
// TestPodEvaluatorMatchingScopes), services_test.go (TestServiceEvaluatorUsage) and
// k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/admission_test.go
// (TestAdmitBelowQuotaLimit, TestAdmitExceedQuotaLimit).
import { expect } from 'chai';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src/api/object';
import { admit } from '../../src/api/quota-admission';
import { type QuotaList, toStored } from '../../src/api/quota-lists';
import { podConstraints, podMatchesScope, podUsage, serviceUsage } from '../../src/api/quota-usage';
import { ApiError, Store } from '../../src/api/store';
import { EPOCH, VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

type Res = Record<string, string>;
const c = (name: string, requests: Res = {}, limits: Res = {}): Container => ({
  name,
  image: 'pause',
  resources: { requests, limits },
});
const pod = (spec: Partial<NonNullable<Pod['spec']>>, extra: Partial<Pod> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'test' },
  spec: { containers: [], ...spec },
  ...extra,
});
const shown = (list: QuotaList) => toStored(list);

describe('pod quota usage (PodUsageFunc)', () => {
  it('charges an init container alone: "init container CPU"', () => {
    const usage = podUsage(pod({ initContainers: [c('i', { cpu: '1m' }, { cpu: '2m' })] }), EPOCH);
    expect(shown(usage)).to.deep.equal({
      'count/pods': '1',
      cpu: '1m',
      'limits.cpu': '2m',
      pods: '1',
      'requests.cpu': '1m',
    });
  });

  it('lets the largest init container override the sum of containers: "init container maximums override sum of containers"', () => {
    const usage = podUsage(
      pod({
        initContainers: [
          c('i1', { cpu: '4', memory: '100M' }, { cpu: '8', memory: '200M' }),
          c('i2', { cpu: '1', memory: '50M' }, { cpu: '2', memory: '100M' }),
        ],
        containers: [
          c('a', { cpu: '1', memory: '50M' }, { cpu: '2', memory: '100M' }),
          c('b', { cpu: '2', memory: '25M' }, { cpu: '5', memory: '50M' }),
        ],
      }),
      EPOCH,
    );
    expect(shown(usage)).to.deep.equal({
      'count/pods': '1',
      cpu: '4',
      'limits.cpu': '8',
      'limits.memory': '200M',
      memory: '100M',
      pods: '1',
      'requests.cpu': '4',
      'requests.memory': '100M',
    });
  });

  it('adds the pod overhead to requests and to the limits the pod has: "pod overhead included"', () => {
    const usage = podUsage(
      pod({
        overhead: { cpu: '1', memory: '1Gi' },
        containers: [c('a', { cpu: '1', memory: '1Gi' }, { cpu: '2' })],
      }),
      EPOCH,
    );
    expect(shown(usage)).to.include({ 'requests.cpu': '2', 'requests.memory': '2Gi', 'limits.cpu': '3' });
    expect(usage.has('limits.memory')).to.equal(false);
  });

  it('charges extended resources as requests.<name> and hugepages under both names', () => {
    const usage = podUsage(
      pod({
        containers: [
          c('a', { 'example.com/dongle': '3', 'hugepages-2Mi': '4Mi' }, { 'example.com/dongle': '3' }),
        ],
      }),
      EPOCH,
    );
    expect(shown(usage)).to.include({
      'requests.example.com/dongle': '3',
      'hugepages-2Mi': '4Mi',
      'requests.hugepages-2Mi': '4Mi',
    });
  });

  it('charges only the object count of a finished pod: "terminal pod"', () => {
    const done = pod({ containers: [c('a', { cpu: '1' })] }, { status: { phase: 'Succeeded' } });
    expect(shown(podUsage(done, EPOCH))).to.deep.equal({ 'count/pods': '1' });
  });

  it('stops charging a pod stuck past its deletion grace period: "pod deletion timestamp exceeded"', () => {
    const deleting = pod(
      { containers: [c('a', { cpu: '1' })] },
      {
        metadata: {
          name: 'p',
          deletionTimestamp: new Date(EPOCH).toISOString(),
          deletionGracePeriodSeconds: 30,
        },
      },
    );
    expect(
      podUsage(deleting, EPOCH + 30_000)
        .get('requests.cpu')
        ?.toString(),
    ).to.equal('1');
    expect(shown(podUsage(deleting, EPOCH + 31_000))).to.deep.equal({ 'count/pods': '1' });
  });
});

describe('pod quota constraints (Constraints)', () => {
  it('names the containers missing a tracked resource: "container resource missing multiple"', () => {
    const p = pod({
      containers: [c('foo', { cpu: '1m' }, { cpu: '2m' }), c('bar', { cpu: '1m' }, { cpu: '2m' })],
    });
    expect(podConstraints(['memory'], p)).to.equal('must specify memory for: bar,foo');
  });

  it('checks init containers too: "init container resource missing"', () => {
    const p = pod({ initContainers: [c('dummy', { cpu: '1m' }, { cpu: '2m' })] });
    expect(podConstraints(['memory'], p)).to.equal('must specify memory for: dummy');
  });

  it('lists each missing resource in name order', () => {
    const p = pod({ containers: [c('app')] });
    expect(podConstraints(['limits.memory', 'requests.cpu'], p)).to.equal(
      'must specify limits.memory for: app; requests.cpu for: app',
    );
  });

  it('requires nothing for resources outside the validation set (count/pods, pods, ephemeral storage)', () => {
    expect(
      podConstraints(['pods', 'count/pods', 'requests.ephemeral-storage'], pod({ containers: [c('app')] })),
    ).to.equal(undefined);
  });
});

describe('pod quota scopes (podMatchesScopeFunc)', () => {
  const bestEffort = pod({ containers: [c('app')] });
  const burstable = pod({ containers: [c('app', { cpu: '100m' })], priorityClassName: 'high' });

  it('tells BestEffort pods from the others', () => {
    expect(podMatchesScope({ scopeName: 'BestEffort', operator: 'Exists' }, bestEffort)).to.equal(true);
    expect(podMatchesScope({ scopeName: 'BestEffort', operator: 'Exists' }, burstable)).to.equal(false);
    expect(podMatchesScope({ scopeName: 'NotBestEffort', operator: 'Exists' }, burstable)).to.equal(true);
  });

  it('counts a pod with activeDeadlineSeconds as Terminating', () => {
    const job = pod({ containers: [c('app')], activeDeadlineSeconds: 60 });
    expect(podMatchesScope({ scopeName: 'Terminating', operator: 'Exists' }, job)).to.equal(true);
    expect(podMatchesScope({ scopeName: 'NotTerminating', operator: 'Exists' }, job)).to.equal(false);
  });

  it('matches priority classes as a label selector on PriorityClass', () => {
    const inHigh = { scopeName: 'PriorityClass', operator: 'In', values: ['high'] };
    const notInHigh = { scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] };
    expect(podMatchesScope(inHigh, burstable)).to.equal(true);
    expect(podMatchesScope(inHigh, bestEffort)).to.equal(false);
    expect(podMatchesScope(notInHigh, bestEffort)).to.equal(true);
    expect(podMatchesScope({ scopeName: 'PriorityClass', operator: 'Exists' }, bestEffort)).to.equal(false);
  });
});

describe('service quota usage (services.go)', () => {
  it('counts the node ports of NodePort and LoadBalancer services: "nodeports" and "loadbalancer"', () => {
    const ports = [{ port: 80 }, { port: 443 }];
    expect(shown(serviceUsage({ spec: { type: 'NodePort', ports } }))).to.deep.equal({
      'count/services': '1',
      services: '1',
      'services.nodeports': '2',
    });
    expect(shown(serviceUsage({ spec: { type: 'LoadBalancer', ports } }))).to.include({
      'services.nodeports': '2',
      'services.loadbalancers': '1',
    });
  });

  it('counts only explicit node ports when a load balancer allocates none', () => {
    const spec = {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      ports: [{ nodePort: 30001 }, {}],
    };
    expect(serviceUsage({ spec }).get('services.nodeports')?.toString()).to.equal('1');
  });
});

describe('quota admission (checkRequest)', () => {
  function storeWithQuota(hard: Res, used: Res): Store {
    const store = new Store(new VirtualClock(), new SeededRandom(1));
    store.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: 'test' },
      spec: { hard },
      status: { hard, used },
    });
    return store;
  }
  const hard = { cpu: '3', memory: '100Gi', pods: '5' };
  const used = { cpu: '1', memory: '50Gi', pods: '3' };
  const newPod = (requests: Res) => pod({ containers: [c('app', requests, requests)] }) as KubeObject;

  it('admits a pod below the limits and charges it at once: TestAdmitBelowQuotaLimit', () => {
    const store = storeWithQuota(hard, used);
    admit(newPod({ cpu: '100m', memory: '2Gi' }), store);
    expect(store.get('ResourceQuota', 'test', 'quota')?.status).to.deep.include({
      used: { cpu: '1100m', memory: '52Gi', pods: '4' },
    });
  });

  it('refuses a pod over a limit, naming only the exceeded resources: TestAdmitExceedQuotaLimit', () => {
    const store = storeWithQuota(hard, used);
    expect(() => admit(newPod({ cpu: '3', memory: '2Gi' }), store))
      .to.throw(ApiError)
      .with.property(
        'message',
        'pods "p" is forbidden: exceeded quota: quota, requested: cpu=3, used: cpu=1, limited: cpu=3',
      );
    expect(store.get('ResourceQuota', 'test', 'quota')?.status).to.deep.include({ used });
  });

  it('refuses while the controller has not counted a tracked resource yet', () => {
    const store = storeWithQuota(hard, { cpu: '1', pods: '3' });
    expect(() => admit(newPod({ cpu: '100m', memory: '1Gi' }), store)).to.throw(
      'pods "p" is forbidden: status unknown for quota: quota, resources: cpu,memory,pods',
    );
  });
});
