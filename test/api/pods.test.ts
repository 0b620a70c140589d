import { expect } from 'chai';
import type { Pod } from 'kubernetes-types/core/v1';
import { ApiServer } from '../../src/api/apiserver';
import type { KubeObject } from '../../src/api/object';
import { defaultPod, type PodObject, registerPodApi, SYSTEM_PRIORITY_CLASSES } from '../../src/api/pods';
import { ApiError, Store } from '../../src/api/store';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

async function newApi(): Promise<ApiServer> {
  const api = new ApiServer(new Store(new VirtualClock(), new SeededRandom(1)));
  registerPodApi(api, api.store);
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (const pc of SYSTEM_PRIORITY_CLASSES) await api.create(structuredClone(pc) as unknown as KubeObject);
  return api;
}

type Spec = NonNullable<Pod['spec']>;

const pod = (spec: Partial<Spec> = {}, name = 'web'): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  }) as KubeObject;

const priorityClass = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...extra,
});

async function created(spec: Partial<Spec>, api?: ApiServer): Promise<PodObject> {
  return (await (api ?? (await newApi())).create(pod(spec))) as PodObject;
}

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
}

async function fieldErrors(spec: Partial<Spec>): Promise<string[]> {
  const err = await refusal((await newApi()).create(pod(spec)));
  expect(err.reason).to.equal('Invalid');
  return err.causes.map((c) => c.toString());
}

const container = (resources: Record<string, Record<string, unknown>>, name = 'app') => ({
  name,
  image: 'nginx',
  resources,
});

describe('pods', () => {
  // k8s:pkg/apis/core/v1/defaults.go SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container.
  describe('defaulting', () => {
    it('fills in what a pod spec leaves out', () => {
      const p = pod() as PodObject;
      defaultPod(p);
      expect(p.spec).to.deep.equal({
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        securityContext: {},
        schedulerName: 'default-scheduler',
        enableServiceLinks: true,
      });
    });

    it('treats an empty string like a missing value and keeps what is given', () => {
      const p = pod({
        restartPolicy: '',
        dnsPolicy: 'Default',
        terminationGracePeriodSeconds: 0,
      }) as PodObject;
      defaultPod(p);
      expect(p.spec).to.include({
        restartPolicy: 'Always',
        dnsPolicy: 'Default',
        terminationGracePeriodSeconds: 0,
      });
    });

    // SetDefaults_Container: the image's tag decides (parsers.ParseImageName: no tag means latest).
    const pullPolicies: [string, string][] = [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['nginx:1.27', 'IfNotPresent'],
      ['docker.io/library/nginx', 'Always'],
      ['registry.local:5000/team/nginx', 'Always'],
      ['registry.local:5000/team/nginx:2', 'IfNotPresent'],
      [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
      [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
      // ParseNormalizedNamed refuses an upper-case repository; without a tag the policy is IfNotPresent.
      ['Nginx', 'IfNotPresent'],
    ];
    for (const [image, policy] of pullPolicies) {
      it(`pulls ${image} ${policy}`, () => {
        const p = pod({ containers: [{ name: 'app', image }] }) as PodObject;
        defaultPod(p);
        expect(p.spec?.containers[0].imagePullPolicy).to.equal(policy);
      });
    }

    it('defaults the protocol of a container port to TCP', () => {
      const p = pod({
        containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }],
      }) as PodObject;
      defaultPod(p);
      expect(p.spec?.containers[0].ports).to.deep.equal([{ containerPort: 80, protocol: 'TCP' }]);
    });

    it('copies a limit into a missing request, for init containers too, and keeps a given request', async () => {
      const p = await created({
        initContainers: [container({ limits: { memory: '64Mi' } }, 'init')],
        containers: [container({ requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } })],
      });
      expect(p.spec?.initContainers?.[0].resources?.requests).to.deep.equal({ memory: '64Mi' });
      expect(p.spec?.containers[0].resources?.requests).to.deep.equal({ cpu: '100m', memory: '1Gi' });
    });
  });

  describe('on create', () => {
    it('is Pending with its QoS class and generation 1', async () => {
      const p = await created({});
      expect(p.status).to.deep.equal({ phase: 'Pending', qosClass: 'BestEffort' });
      expect(p.metadata.generation).to.equal(1);
    });

    it('ignores a status given in the manifest', async () => {
      const api = await newApi();
      const p = (await api.create({ ...pod(), status: { phase: 'Running', podIP: '1.2.3.4' } })) as PodObject;
      expect(p.status).to.deep.equal({ phase: 'Pending', qosClass: 'BestEffort' });
    });

    // k8s:pkg/apis/core/helper/qos/qos_test.go TestComputePodQOS, the three outcomes.
    it('is Guaranteed when every container limits cpu and memory and requests the same', async () => {
      const p = await created({ containers: [container({ limits: { cpu: '1', memory: '1Gi' } })] });
      expect(p.status?.qosClass).to.equal('Guaranteed');
    });

    it('is Burstable when something is requested but not everything limited', async () => {
      const p = await created({ containers: [container({ requests: { cpu: '1' } })] });
      expect(p.status?.qosClass).to.equal('Burstable');
    });
  });

  // k8s:plugin/pkg/admission/priority/admission_test.go TestPodAdmission, the cases kubespec can express.
  describe('Priority admission', () => {
    it('gives a pod without a class priority 0 and PreemptLowerPriority', async () => {
      const p = await created({});
      expect(p.spec).to.include({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
      expect(p.spec?.priorityClassName).to.equal(undefined);
    });

    it('resolves the system classes', async () => {
      const p = await created({ priorityClassName: 'system-node-critical' });
      expect(p.spec?.priority).to.equal(2_000_001_000);
    });

    it('resolves a user class with its preemption policy', async () => {
      const api = await newApi();
      await api.create(priorityClass('batch', 10, { preemptionPolicy: 'Never' }));
      const p = await created({ priorityClassName: 'batch' }, api);
      expect(p.spec).to.include({ priority: 10, preemptionPolicy: 'Never' });
    });

    it('refuses a class that does not exist', async () => {
      const err = await refusal((await newApi()).create(pod({ priorityClassName: 'high' })));
      expect([err.reason, err.message, err.field]).to.deep.equal([
        'Forbidden',
        'pods "web" is forbidden: no PriorityClass with name high was found',
        'spec.priorityClassName',
      ]);
    });

    it('gives a pod without a class the global default, the lowest one if there are several', async () => {
      const api = await newApi();
      await api.create(priorityClass('standard', 1000, { globalDefault: true }));
      // Two defaults only arise from a race; store them directly.
      api.store.create(
        priorityClass('low', 5, { globalDefault: true, preemptionPolicy: 'PreemptLowerPriority' }),
      );
      const p = await created({}, api);
      expect(p.spec).to.include({ priorityClassName: 'low', priority: 5 });
    });

    it('refuses a priority or preemption policy the pod sets itself when it differs', async () => {
      const api = await newApi();
      const byPriority = await refusal(api.create(pod({ priority: 7 })));
      expect(byPriority.message).to.equal(
        'pods "web" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
      );
      expect(byPriority.field).to.equal('spec.priority');
      const byPolicy = await refusal(api.create(pod({ preemptionPolicy: 'Never' })));
      expect(byPolicy.message).to.equal(
        'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
      );
      // The same values as the class computes are accepted.
      await api.create(pod({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' }, 'same'));
    });
  });

  // k8s:pkg/apis/scheduling/validation/validation.go ValidatePriorityClass and the plugin's Validate.
  describe('PriorityClass', () => {
    it('defaults the preemption policy', async () => {
      const pc = await (await newApi()).create(priorityClass('batch', 10));
      expect(pc.preemptionPolicy).to.equal('PreemptLowerPriority');
    });

    it('reserves the system- prefix and the values above one billion', async () => {
      const api = await newApi();
      const system = await refusal(api.create(priorityClass('system-high', 5)));
      expect(system.causes.map((c) => c.toString())).to.deep.equal([
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class",
      ]);
      const known = await refusal(api.create(priorityClass('system-node-critical', 5)));
      expect(known.causes[0].toString()).to.match(
        /error: value of system-node-critical PriorityClass must be 2000001000$/,
      );
      const high = await refusal(api.create(priorityClass('huge', 1_000_000_001)));
      expect(high.causes.map((c) => c.toString())).to.deep.equal([
        'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
      ]);
    });

    it('refuses an unknown preemption policy', async () => {
      const err = await refusal(
        (await newApi()).create(priorityClass('batch', 1, { preemptionPolicy: 'Sometimes' })),
      );
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
      ]);
    });

    it('allows one global default only', async () => {
      const api = await newApi();
      await api.create(priorityClass('a', 1, { globalDefault: true }));
      const err = await refusal(api.create(priorityClass('b', 2, { globalDefault: true })));
      expect(err.message).to.equal(
        'priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist',
      );
    });

    it('may not change its value', async () => {
      const api = await newApi();
      await api.apply(priorityClass('batch', 10));
      const err = await refusal(api.apply(priorityClass('batch', 20)));
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'value: Forbidden: may not be changed in an update.',
      ]);
    });
  });

  // k8s:pkg/apis/core/validation/validation.go validateResourceRequirements and validateContainerResourceName.
  describe('resource validation', () => {
    it('refuses a request above its limit, naming the requests and both quantities', async () => {
      expect(
        await fieldErrors({ containers: [container({ requests: { cpu: '1500m' }, limits: { cpu: '1' } })] }),
      ).to.deep.equal([
        'spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1',
      ]);
    });

    it('refuses a negative quantity', async () => {
      expect(await fieldErrors({ containers: [container({ requests: { memory: '-1Gi' } })] })).to.deep.equal([
        'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
      ]);
    });

    it('refuses names that are not container resources, printing them without quotes', async () => {
      expect(
        await fieldErrors({ containers: [container({ requests: { cpus: '1', pods: '1' } })] }),
      ).to.deep.equal([
        'spec.containers[0].resources.requests[cpus]: Invalid value: cpus: must be a standard resource type or fully qualified',
        'spec.containers[0].resources.requests[cpus]: Invalid value: cpus: must be a standard resource for containers',
        'spec.containers[0].resources.requests[pods]: Invalid value: pods: must be a standard resource for containers',
      ]);
    });

    it('accepts extended resources with equal whole requests and limits', async () => {
      const p = await created({ containers: [container({ limits: { 'example.com/foo': '2' } })] });
      expect(p.spec?.containers[0].resources?.requests).to.deep.equal({ 'example.com/foo': '2' });
    });

    it('wants an extended resource whole, limited, and requested as much as limited', async () => {
      expect(
        await fieldErrors({
          containers: [
            container({ requests: { 'example.com/foo': '1' } }, 'a'),
            container({ requests: { 'example.com/foo': '1' }, limits: { 'example.com/foo': '2' } }, 'b'),
            container({ limits: { 'example.com/foo': '1500m' } }, 'c'),
          ],
        }),
      ).to.deep.equal([
        'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
        'spec.containers[1].resources.requests: Invalid value: "1": must be equal to example.com/foo limit of 2',
        'spec.containers[2].resources.limits[example.com/foo]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
        'spec.containers[2].resources.requests[example.com/foo]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
      ]);
    });

    it('checks the overhead as limits under spec.overhead', async () => {
      expect(await fieldErrors({ overhead: { 'example.com/foo': '0.5' } })).to.deep.equal([
        'spec.overhead.limits[example.com/foo]: Invalid value: resource.Quantity{i:resource.int64Amount{value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
      ]);
    });
  });

  // k8s:pkg/apis/core/validation/validation.go ValidatePodSpec, in its order.
  describe('spec validation', () => {
    it('wants containers', async () => {
      expect(await fieldErrors({ containers: [] })).to.deep.equal(['spec.containers: Required value']);
    });

    it('checks container names, images, ports and their uniqueness', async () => {
      expect(
        await fieldErrors({
          containers: [
            { name: 'App', image: 'nginx' },
            { name: 'web', image: '', ports: [{ containerPort: 0 }, { containerPort: 80, hostPort: 70000 }] },
            { name: 'web', image: ' nginx' },
          ],
          initContainers: [{ name: 'web', image: 'busybox' }],
        }),
      ).to.deep.equal([
        `spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        'spec.containers[1].image: Required value',
        'spec.containers[1].ports[0].containerPort: Required value',
        'spec.containers[1].ports[1].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[2].name: Duplicate value: "web"',
        'spec.initContainers[0].name: Duplicate value: "web"',
        'spec.containers[2].image: Invalid value: " nginx": must not have leading or trailing whitespace',
      ]);
    });

    it('checks the policies against their lists', async () => {
      expect(
        await fieldErrors({
          restartPolicy: 'Sometimes',
          dnsPolicy: 'Google',
          containers: [{ name: 'app', image: 'nginx', imagePullPolicy: 'Maybe', restartPolicy: 'Always' }],
        }),
      ).to.deep.equal([
        'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
        'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ]);
    });

    it('checks node selection, names of other objects and tolerations in Kubernetes order', async () => {
      const errors = await fieldErrors({
        tolerations: [{ key: 'dedicated', operator: 'Exists', value: 'gpu' }],
        nodeName: 'Node_1',
        nodeSelector: { disktype: 'fast ssd' },
        activeDeadlineSeconds: 0,
        hostname: 'web.local',
      });
      expect(errors.map((e) => e.slice(0, e.indexOf(':')))).to.deep.equal([
        'spec.nodeSelector',
        'spec.nodeName',
        'spec.activeDeadlineSeconds',
        'spec.hostname',
        'spec.tolerations[0].operator',
      ]);
      expect(errors[2]).to.equal(
        'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      );
      expect(errors[3]).to.equal('spec.hostname: Invalid value: "web.local": must not contain dots');
    });

    it('does not take ephemeral containers or a node for a gated pod on create', async () => {
      expect(
        await fieldErrors({
          nodeName: 'n1',
          schedulingGates: [{ name: 'example.com/wait' }],
          ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
        }),
      ).to.deep.equal([
        'spec.ephemeralContainers: Forbidden: cannot be set on create',
        'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
      ]);
    });
  });

  // k8s:pkg/apis/core/validation/validation.go ValidatePodUpdate.
  describe('update validation', () => {
    async function updated(change: (spec: Spec) => void): Promise<string[]> {
      const api = await newApi();
      await api.apply(
        pod({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }),
      );
      const next = pod({
        tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      });
      change(next.spec as Spec);
      try {
        await api.apply(next);
        return [];
      } catch (error) {
        return (error as ApiError).causes.map((c) => c.toString());
      }
    }

    it('allows a new image, a shorter deadline, a new toleration and a new tolerationSeconds', async () => {
      expect(
        await updated((spec) => {
          spec.containers[0].image = 'nginx:1.28';
          spec.tolerations = [
            { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
            { key: 'b', operator: 'Exists' },
          ];
        }),
      ).to.deep.equal([]);
    });

    it('refuses removing a toleration', async () => {
      expect(
        await updated((spec) => {
          spec.tolerations = [{ key: 'b', operator: 'Exists' }];
        }),
      ).to.deep.equal([
        'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
      ]);
    });

    it('refuses another container', async () => {
      expect(
        await updated((spec) => {
          spec.containers.push({ name: 'sidecar', image: 'envoy' });
        }),
      ).to.deep.equal(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    });

    it('compares quantities by value, not by how they are written', async () => {
      const api = await newApi();
      await api.apply(pod({ containers: [container({ requests: { cpu: '0.5' } })] }));
      const again = await api.apply(pod({ containers: [container({ requests: { cpu: '500m' } })] }));
      expect(again.metadata.generation).to.equal(1);
    });
  });
});
