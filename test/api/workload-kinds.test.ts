import { expect } from 'chai';
import type { DaemonSetObject } from '../../src/api/daemonsets';
import { defaultDaemonSet, validateDaemonSetSpec } from '../../src/api/daemonsets';
import type { JobObject } from '../../src/api/jobs';
import { defaultJob, validateJobSpec } from '../../src/api/jobs';
import { parseManifests } from '../../src/api/manifests';
import { renderLabelSelector, renderLabels } from '../../src/api/pod-templates';
import type { StatefulSetObject } from '../../src/api/statefulsets';
import { defaultStatefulSet, validateStatefulSetSpec } from '../../src/api/statefulsets';
import { ApiError } from '../../src/api/store';
import { Cluster } from '../../src/cluster';
import { parseKubernetesVersion } from '../../src/sim/version';

// Defaults after k8s:pkg/apis/apps/v1/defaults_test.go (TestSetDefaultStatefulSet, TestSetDefaultDaemonSetSpec) and
// k8s:pkg/apis/batch/v1/defaults_test.go TestSetDefaultJob; validation after the error cases of
// k8s:pkg/apis/apps/validation/validation_test.go (TestValidateStatefulSet, TestValidateDaemonSet) and
// k8s:pkg/apis/batch/validation/validation_test.go TestValidateJob.

const v135 = parseKubernetesVersion('v1.35');
const v133 = parseKubernetesVersion('v1.33');
const labels = { a: 'b' };
const template = (extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    containers: [
      { name: 'abc', image: 'image', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' },
    ],
    ...extra,
  },
});
const messages = (errs: { toString(): string }[]) => errs.map(String);

describe('workload kinds in the API server', () => {
  describe('defaults', () => {
    it('SetDefaults_StatefulSet', () => {
      const set = {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: {},
        spec: { template: template() },
      } as unknown as StatefulSetObject;
      defaultStatefulSet(set);
      expect(set.spec).to.include({
        podManagementPolicy: 'OrderedReady',
        replicas: 1,
        revisionHistoryLimit: 10,
      });
      expect(set.spec?.updateStrategy).to.deep.equal({
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0 },
      });
      expect(set.spec?.persistentVolumeClaimRetentionPolicy).to.deep.equal({
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      });
    });
    it('leaves OnDelete without rollingUpdate', () => {
      const set = {
        metadata: {},
        spec: { template: template(), updateStrategy: { type: 'OnDelete' } },
      } as unknown as StatefulSetObject;
      defaultStatefulSet(set);
      expect(set.spec?.updateStrategy).to.deep.equal({ type: 'OnDelete' });
    });
    it('gives a claim template its kind, volume mode and Pending phase', () => {
      const set = {
        metadata: {},
        spec: { template: template(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] },
      } as unknown as StatefulSetObject;
      defaultStatefulSet(set);
      expect(set.spec?.volumeClaimTemplates?.[0]).to.deep.equal({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      });
    });
    it('SetDefaults_DaemonSet', () => {
      const ds = { metadata: {}, spec: { template: template() } } as unknown as DaemonSetObject;
      defaultDaemonSet(ds);
      expect(ds.spec?.updateStrategy).to.deep.equal({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      });
      expect(ds.spec?.revisionHistoryLimit).to.equal(10);
    });
    // TestSetDefaultJob
    it('SetDefaults_Job: both counts unset give 1 and 1; parallelism alone keeps completions unset', () => {
      const both = { metadata: {}, spec: { template: { metadata: { labels } } } } as unknown as JobObject;
      defaultJob(both);
      expect(both.spec).to.include({
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        manualSelector: false,
      });
      expect(both.metadata.labels).to.deep.equal(labels);
      const wq = { metadata: {}, spec: { parallelism: 3, template: {} } } as unknown as JobObject;
      defaultJob(wq);
      expect(wq.spec?.completions).to.equal(undefined);
      const perIndex = {
        metadata: {},
        spec: { backoffLimitPerIndex: 1, template: {} },
      } as unknown as JobObject;
      defaultJob(perIndex);
      expect(perIndex.spec?.backoffLimit).to.equal(2147483647);
      const withPolicy = {
        metadata: {},
        spec: { podFailurePolicy: { rules: [] }, template: {} },
      } as unknown as JobObject;
      defaultJob(withPolicy);
      expect(withPolicy.spec?.podReplacementPolicy).to.equal('Failed');
    });
  });

  describe('StatefulSet validation', () => {
    const valid = () =>
      ({
        metadata: { name: 'abc' },
        spec: {
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          replicas: 3,
          selector: { matchLabels: labels },
          template: template(),
        },
      }) as unknown as StatefulSetObject;
    const errorsOf = (change: (s: StatefulSetObject) => void, v = v135) => {
      const set = valid();
      change(set);
      return messages(validateStatefulSetSpec(set, v));
    };
    it('accepts a valid StatefulSet', () => expect(errorsOf(() => {})).to.deep.equal([]));
    it('negative replicas', () => {
      expect(errorsOf((s) => ((s.spec as { replicas: number }).replicas = -1))).to.deep.equal([
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      ]);
    });
    it('invalid podManagementPolicy', () => {
      expect(
        errorsOf((s) => ((s.spec as { podManagementPolicy: string }).podManagementPolicy = 'foo')),
      ).to.deep.equal([
        `spec.podManagementPolicy: Invalid value: "foo": must be 'OrderedReady' or 'Parallel'`,
      ]);
    });
    it('negative partition', () => {
      expect(
        errorsOf((s) => {
          (s.spec as { updateStrategy: unknown }).updateStrategy = {
            type: 'RollingUpdate',
            rollingUpdate: { partition: -1 },
          };
        }),
      ).to.deep.equal([
        'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
      ]);
    });
    it('an empty selector', () => {
      expect(errorsOf((s) => ((s.spec as { selector: unknown }).selector = {}))).to.deep.equal([
        'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
      ]);
    });
    it('a missing selector, which selects nothing', () => {
      expect(errorsOf((s) => delete (s.spec as { selector?: unknown }).selector)).to.deep.equal([
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: {"a":"b"}: `selector` does not match template `labels`',
      ]);
    });
    it('activeDeadlineSeconds and restart policies', () => {
      expect(
        errorsOf((s) => {
          (s.spec as { template: unknown }).template = template({
            restartPolicy: 'Never',
            activeDeadlineSeconds: 5,
          });
        }),
      ).to.deep.equal([
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
      ]);
    });
    it('an unknown update strategy, in either rendering', () => {
      const change = (s: StatefulSetObject) => {
        (s.spec as { updateStrategy: unknown }).updateStrategy = { type: 'Foo' };
      };
      expect(errorsOf(change)).to.deep.equal([
        `spec.updateStrategy: Invalid value: {"Type":"Foo","RollingUpdate":null}: must be 'RollingUpdate' or 'OnDelete'`,
      ]);
      expect(errorsOf(change, v133)).to.deep.equal([
        `spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'`,
      ]);
    });
  });

  describe('DaemonSet validation', () => {
    const valid = () =>
      ({
        metadata: { name: 'abc' },
        spec: {
          selector: { matchLabels: labels },
          template: template(),
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        },
      }) as unknown as DaemonSetObject;
    const errorsOf = (change: (d: DaemonSetObject) => void, v = v135) => {
      const ds = valid();
      change(ds);
      return messages(validateDaemonSetSpec(ds, v));
    };
    const strategy = (d: DaemonSetObject, rollingUpdate: Record<string, unknown>) => {
      (d.spec as { updateStrategy: unknown }).updateStrategy = { type: 'RollingUpdate', rollingUpdate };
    };
    it('accepts a valid DaemonSet', () => expect(errorsOf(() => {})).to.deep.equal([]));
    it('validates the whole pod template', () => {
      const errs = errorsOf((d) => {
        const noImage = [{ name: 'abc', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }];
        (d.spec as { template: unknown }).template = template({ containers: noImage });
      });
      expect(errs).to.deep.equal(['spec.template.spec.containers[0].image: Required value']);
    });
    it('maxUnavailable and maxSurge both zero, or both set', () => {
      expect(errorsOf((d) => strategy(d, { maxUnavailable: 0, maxSurge: 0 }))).to.deep.equal([
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ]);
      expect(errorsOf((d) => strategy(d, { maxUnavailable: '10%', maxSurge: '10%' }), v133)).to.deep.equal([
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
      ]);
    });
    it('percentages above 100% and malformed ones', () => {
      expect(errorsOf((d) => strategy(d, { maxUnavailable: '101%', maxSurge: 0 }))).to.deep.equal([
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
      ]);
      expect(errorsOf((d) => strategy(d, { maxUnavailable: 'x', maxSurge: 0 }))).to.deep.equal([
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "x": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ]);
    });
  });

  describe('Job validation', () => {
    const valid = () =>
      ({
        metadata: { name: 'myjob', uid: '1a2b3c' },
        spec: {
          selector: { matchLabels: labels },
          template: template({ restartPolicy: 'OnFailure' }),
          completionMode: 'NonIndexed',
        },
      }) as unknown as JobObject;
    const errorsOf = (change: (j: JobObject) => void) => {
      const j = valid();
      change(j);
      return messages(validateJobSpec(j, v135));
    };
    const spec = (j: JobObject) => j.spec as unknown as Record<string, unknown>;
    it('accepts a valid Job', () => expect(errorsOf(() => {})).to.deep.equal([]));
    it('negative parallelism, completions, activeDeadlineSeconds, backoffLimit and ttl', () => {
      const errs = errorsOf((j) => {
        Object.assign(spec(j), {
          parallelism: -1,
          completions: -1,
          activeDeadlineSeconds: -1,
          backoffLimit: -1,
          ttlSecondsAfterFinished: -1,
        });
      });
      expect(errs).to.deep.equal(
        [
          'parallelism',
          'completions',
          'activeDeadlineSeconds',
          'backoffLimit',
          'ttlSecondsAfterFinished',
        ].map((f) => `spec.${f}: Invalid value: -1: must be greater than or equal to 0`),
      );
    });
    it('restartPolicy Always, and an unknown one', () => {
      expect(
        errorsOf(
          (j) => ((spec(j).template as { spec: { restartPolicy: string } }).spec.restartPolicy = 'Always'),
        ),
      ).to.deep.equal([
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      ]);
    });
    it('an unsupported completion mode and an Indexed Job without completions', () => {
      expect(errorsOf((j) => (spec(j).completionMode = 'Foo'))).to.deep.equal([
        'spec.completionMode: Unsupported value: "Foo": supported values: "NonIndexed", "Indexed"',
      ]);
      expect(errorsOf((j) => (spec(j).completionMode = 'Indexed'))).to.deep.equal([
        'spec.completions: Required value: when completion mode is Indexed',
      ]);
    });
    it('an unsupported pod replacement policy', () => {
      expect(errorsOf((j) => (spec(j).podReplacementPolicy = 'Foo'))).to.deep.equal([
        'spec.podReplacementPolicy: Unsupported value: "Foo": supported values: "Failed", "TerminatingOrFailed"',
      ]);
    });
  });

  describe('through the API server', () => {
    it('generates the Job selector and labels from its name and uid', async () => {
      const c = await Cluster.create();
      const job = (
        await c.applyManifests(
          'apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]',
          'job',
        )
      )[0] as JobObject;
      const uid = job.metadata.uid as string;
      expect(job.spec?.selector).to.deep.equal({
        matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
      });
      expect(job.spec?.template.metadata?.labels).to.deep.equal({
        'job-name': 'pi',
        'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': uid,
        'batch.kubernetes.io/controller-uid': uid,
      });
      expect(job.metadata.labels).to.deep.equal(job.spec?.template.metadata?.labels);
    });

    it('bumps a DaemonSet template generation only when the template changes', async () => {
      const c = await Cluster.create();
      const manifest = (image: string, minReady: number) =>
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  minReadySeconds: ${minReady}\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: ${image}}]`;
      const generation = () =>
        c.get('DaemonSet', 'default', 'ds')?.metadata.annotations?.[
          'deprecated.daemonset.template.generation'
        ];
      await c.applyManifests(manifest('a', 0), 'ds');
      expect(generation()).to.equal('1');
      await c.applyManifests(manifest('a', 5), 'ds');
      expect(generation()).to.equal('1');
      await c.applyManifests(manifest('b', 5), 'ds');
      expect(generation()).to.equal('2');
    });

    it('refuses to change a Job template', async () => {
      const c = await Cluster.create();
      const manifest = (image: string) =>
        `apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: ${image}}]`;
      await c.applyManifests(manifest('perl:5.34'), 'job');
      let error: unknown;
      try {
        await c.api.apply(parseManifests(manifest('perl:5.36'), 'job')[0].object);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ApiError);
      expect((error as ApiError).message).to.match(
        /^Job\.batch "pi" is invalid: spec\.template: Invalid value: .*: field is immutable$/,
      );
    });
  });

  describe('value rendering', () => {
    it('prints label maps as JSON from v1.34 and with %#v before, keys sorted', () => {
      expect(renderLabels({ z: '1', a: '2' }, v135)).to.equal('{"a":"2","z":"1"}');
      expect(renderLabels({ z: '1', a: '2' }, v133)).to.equal('map[string]string{"a":"2", "z":"1"}');
      expect(renderLabels(undefined, v133)).to.equal('map[string]string(nil)');
      expect(renderLabels(undefined, v135)).to.equal('null');
    });
    it('prints label selectors', () => {
      const sel = {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }],
      };
      expect(renderLabelSelector(sel, v135)).to.equal(
        '{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["db"]}]}',
      );
      expect(renderLabelSelector(sel, v133)).to.equal(
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"db"}}}}',
      );
    });
  });
});
