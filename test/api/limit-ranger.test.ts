// LimitRanger's defaulting and limits, with cases adapted from k8s:plugin/pkg/admission/limitranger/admission_test.go
// (TestDefaultContainerResourceRequirements, TestMergePodResourceRequirements, TestPodLimitFunc,
// TestPersistentVolumeClaimLimitFunc) and SetDefaults_LimitRangeItem's test in k8s:pkg/apis/core/v1/defaults_test.go
// (TestSetDefaultLimitRangeItem).
import { expect } from 'chai';
import type { Container, LimitRangeItem, Pod } from 'kubernetes-types/core/v1';
import {
  claimViolations,
  containerDefaults,
  LIMIT_RANGER_ANNOTATION,
  mergePodResourceRequirements,
  podViolations,
} from '../../src/api/limit-ranger';
import { defaultLimitRangeItem, type LimitRangeObject, validateLimitRange } from '../../src/api/limit-ranges';

type Res = Record<string, string>;
const limitRange = (...limits: LimitRangeItem[]): LimitRangeObject => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'abc', namespace: 'test' },
  spec: { limits },
});
const c = (name: string, requests?: Res, limits?: Res): Container => ({
  name,
  image: 'foo:V1',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pod', namespace: 'test' },
  spec: { containers, initContainers },
});

// createLimitRange(Container, min, max, default, defaultRequest, ratio) of the Kubernetes test.
const containerItem = (min: Res, max: Res, def: Res, defReq: Res, ratio: Res = {}): LimitRangeItem => ({
  type: 'Container',
  min,
  max,
  default: def,
  defaultRequest: defReq,
  maxLimitRequestRatio: ratio,
});

describe('LimitRanger defaulting', () => {
  it('takes limits from default and requests from defaultRequest: TestDefaultContainerResourceRequirements', () => {
    const lr = limitRange(
      containerItem({}, {}, { cpu: '50m', memory: '5Mi' }, { cpu: '25m', memory: '1Mi' }),
    );
    expect(containerDefaults(lr)).to.deep.equal({
      requests: { cpu: '25m', memory: '1Mi' },
      limits: { cpu: '50m', memory: '5Mi' },
    });
  });

  it('fills only what each container lacks and annotates it: TestMergePodResourceRequirements', () => {
    const lr = limitRange(
      containerItem({}, {}, { cpu: '50m', memory: '5Mi' }, { cpu: '25m', memory: '1Mi' }),
    );
    const p = pod([c('foo'), c('bar', { cpu: '10m' }, { cpu: '20m' })], [c('init')]);
    mergePodResourceRequirements(p, lr);
    expect(p.spec?.containers[0].resources).to.deep.equal({
      requests: { cpu: '25m', memory: '1Mi' },
      limits: { cpu: '50m', memory: '5Mi' },
    });
    expect(p.spec?.containers[1].resources).to.deep.equal({
      requests: { cpu: '10m', memory: '1Mi' },
      limits: { cpu: '20m', memory: '5Mi' },
    });
    expect(p.metadata?.annotations?.[LIMIT_RANGER_ANNOTATION]).to.equal(
      'LimitRanger plugin set: cpu, memory request for container foo; cpu, memory limit for container foo; ' +
        'memory request for container bar; memory limit for container bar; ' +
        'cpu, memory request for init container init; cpu, memory limit for init container init',
    );
  });

  it('leaves a pod that declares everything without an annotation', () => {
    const lr = limitRange(containerItem({}, {}, { cpu: '50m' }, { cpu: '25m' }));
    const p = pod([c('foo', { cpu: '10m' }, { cpu: '20m' })]);
    mergePodResourceRequirements(p, lr);
    expect(p.metadata?.annotations).to.equal(undefined);
  });

  it('defaults a Container item: default from max, defaultRequest from default then min: TestSetDefaultLimitRangeItem', () => {
    const item: LimitRangeItem = { type: 'Container', max: { cpu: '100m' }, min: { memory: '100Mi' } };
    defaultLimitRangeItem(item);
    expect(item.default).to.deep.equal({ cpu: '100m' });
    expect(item.defaultRequest).to.deep.equal({ cpu: '100m', memory: '100Mi' });
  });
});

describe('LimitRanger limits (PodValidateLimitFunc)', () => {
  it('admits containers within min and max: TestPodLimitFunc valid cases', () => {
    const lr = limitRange(containerItem({ cpu: '25m' }, { cpu: '100m' }, {}, {}, { cpu: '10' }));
    expect(podViolations(lr, pod([c('foo', { cpu: '50m' }, { cpu: '100m' })]))).to.deep.equal([]);
  });

  it('refuses a container over the max, a container without a limit, and a ratio too high', () => {
    const lr = limitRange(containerItem({}, { cpu: '1' }, {}, {}, { memory: '2' }));
    expect(podViolations(lr, pod([c('a', { cpu: '500m' }, { cpu: '2' })]))).to.deep.equal([
      'maximum cpu usage per Container is 1, but limit is 2',
      'memory max limit to request ratio per Container is 2, but no request is specified or request is 0',
    ]);
    expect(podViolations(lr, pod([c('a', { cpu: '500m', memory: '1Gi' }, { memory: '3Gi' })]))).to.deep.equal(
      [
        'maximum cpu usage per Container is 1.  No limit is specified',
        'memory max limit to request ratio per Container is 2, but provided ratio is 3.000000',
      ],
    );
  });

  it('refuses a request below the min', () => {
    const lr = limitRange(containerItem({ memory: '64Mi' }, {}, {}, {}));
    expect(podViolations(lr, pod([c('a', { memory: '32Mi' })]))).to.deep.equal([
      'minimum memory usage per Container is 64Mi, but request is 32Mi',
    ]);
    expect(podViolations(lr, pod([c('a')]))).to.deep.equal([
      'minimum memory usage per Container is 64Mi.  No request is specified',
    ]);
  });

  it('holds the pod as a whole to Pod items, containers summed', () => {
    const lr = limitRange({ type: 'Pod', max: { cpu: '2' } });
    const p = pod([c('a', { cpu: '1' }, { cpu: '1500m' }), c('b', { cpu: '1' }, { cpu: '1' })]);
    expect(podViolations(lr, p)).to.deep.equal(['maximum cpu usage per Pod is 2, but limit is 2500m']);
  });

  it('holds a claim storage request to min and max: TestPersistentVolumeClaimLimitFunc', () => {
    const lr = limitRange({
      type: 'PersistentVolumeClaim',
      min: { storage: '1Gi' },
      max: { storage: '10Gi' },
    });
    const claim = (storage: string) => ({ spec: { resources: { requests: { storage } } } });
    expect(claimViolations(lr, claim('5Gi'))).to.deep.equal([]);
    expect(claimViolations(lr, claim('500Mi'))).to.deep.equal([
      'minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    ]);
    expect(claimViolations(lr, claim('20Gi'))).to.deep.equal([
      'maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    ]);
  });
});

describe('ValidateLimitRange', () => {
  it('refuses default and defaultRequest on a Pod item', () => {
    const errs = validateLimitRange(limitRange({ type: 'Pod', default: { cpu: '1' } })).map(String);
    expect(errs).to.deep.equal([
      "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    ]);
  });

  it('refuses a min above the max', () => {
    const errs = validateLimitRange(
      limitRange({ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }),
    ).map((e) => e.detail);
    expect(errs).to.deep.equal(['min value 2 is greater than max value 1']);
  });
});
