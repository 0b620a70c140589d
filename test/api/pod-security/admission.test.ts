// The PodSecurity plugin in the API server (k8s:staging/src/k8s.io/pod-security-admission/admission/admission_test.go
// TestValidateNamespace's existing-pod warnings and decoratePodWarnings' counts).
import { expect } from 'chai';
import type { KubeObject } from '../../../src/api/object';
import { Cluster } from '../../../src/cluster';

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team' },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...extra },
  }) as KubeObject;

const labelNamespace = (cluster: Cluster, labels: Record<string, string>) =>
  cluster.asClient(() =>
    cluster.api.patch('Namespace', undefined, 'team', (ns) => {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), ...labels };
    }),
  );

describe('PodSecurity admission', () => {
  it('counts the other pods sharing a warning when a namespace is labelled', async () => {
    const cluster = await Cluster.create();
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
    for (const name of ['web-c', 'web-a', 'web-b']) await cluster.create(pod(name, { hostIPC: true }));
    await labelNamespace(cluster, { 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(cluster.lastWarnings).to.deep.equal([
      'existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"',
      'web-a (and 2 other pods): host namespaces',
    ]);
  });

  it('does not check existing pods when the enforce level is relaxed', async () => {
    const cluster = await Cluster.create();
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', labels: { 'pod-security.kubernetes.io/warn': 'privileged' } },
    } as KubeObject);
    await cluster.create(pod('web', { hostIPC: true }));
    await labelNamespace(cluster, { 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(cluster.lastWarnings).to.have.length(2);
    await labelNamespace(cluster, { 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(cluster.lastWarnings).to.deep.equal([]);
  });

  it('gives a controller no warnings: only a client command collects them', async () => {
    const cluster = await Cluster.create();
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', labels: { 'pod-security.kubernetes.io/warn': 'baseline' } },
    } as KubeObject);
    const warnings: string[] = [];
    await cluster.api.asClient(warnings, () => cluster.create(pod('a', { hostPID: true })));
    await cluster.create(pod('b', { hostPID: true }));
    expect(warnings).to.deep.equal([
      'would violate PodSecurity "baseline:latest": host namespaces (hostPID)',
    ]);
  });

  it('re-evaluates a pod update only when an image changes (isSignificantPodUpdate)', async () => {
    const cluster = await Cluster.create();
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
    await cluster.create(pod('web', { hostIPC: true }));
    await labelNamespace(cluster, { 'pod-security.kubernetes.io/enforce': 'baseline' });
    await cluster.api.patch('Pod', 'team', 'web', (p) => {
      p.metadata.labels = { tier: 'front' };
    });
    let refusal: Error | undefined;
    await cluster.api
      .patch('Pod', 'team', 'web', (p) => {
        (p.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
      })
      .catch((e: Error) => {
        refusal = e;
      });
    expect(refusal?.message).to.equal(
      'pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostIPC)',
    );
  });
});
