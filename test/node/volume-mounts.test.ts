import { expect } from 'chai';
import type { Volume } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import { Store } from '../../src/api/store';
import { missingVolumeSources } from '../../src/node/volume-mounts';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

// What the ConfigMap, Secret and projected volume plugins need before SetUp succeeds (k8s:pkg/volume/configmap/
// configmap_test.go, k8s:pkg/volume/secret/secret_test.go TestPluginOptional / TestPluginOptionalKeys, and
// k8s:pkg/volume/projected/projected_test.go).

function setup(objects: KubeObject[]): Store {
  const store = new Store(new VirtualClock(), new SeededRandom(1));
  for (const o of objects) store.create(o);
  return store;
}

const pod = (volumes: Volume[]): PodObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'prod' },
    spec: { containers: [{ name: 'app', image: 'nginx' }], volumes },
  }) as PodObject;

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'prod' },
  data,
});
const secret = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'prod' },
  data,
});

describe('missingVolumeSources', () => {
  it('names a missing ConfigMap as the FailedMount event does', () => {
    const missing = missingVolumeSources(
      pod([{ name: 'config', configMap: { name: 'app-config' } }]),
      setup([]),
    );
    expect(missing).to.deep.equal([
      {
        volume: 'config',
        message: 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
      },
    ]);
  });

  it('names a missing Secret', () => {
    const missing = missingVolumeSources(
      pod([{ name: 'creds', secret: { secretName: 'db-creds' } }]),
      setup([]),
    );
    expect(missing).to.deep.equal([
      {
        volume: 'creds',
        message: 'MountVolume.SetUp failed for volume "creds" : secret "db-creds" not found',
      },
    ]);
  });

  it('accepts an optional source that is missing, and one in another namespace does not count', () => {
    const store = setup([
      { ...configMap('app-config', {}), metadata: { name: 'app-config', namespace: 'other' } },
    ]);
    expect(
      missingVolumeSources(
        pod([{ name: 'config', configMap: { name: 'app-config', optional: true } }]),
        store,
      ),
    ).to.deep.equal([]);
    expect(
      missingVolumeSources(pod([{ name: 'config', configMap: { name: 'app-config' } }]), store),
    ).to.have.length(1);
  });

  it('names the first item key the object lacks, unless the source is optional (TestPluginOptionalKeys)', () => {
    const store = setup([
      configMap('app-config', { 'app.conf': 'x' }),
      secret('db-creds', { user: 'dXNlcg==' }),
    ]);
    const items = (...keys: string[]) => keys.map((key) => ({ key, path: key }));
    expect(
      missingVolumeSources(
        pod([
          { name: 'config', configMap: { name: 'app-config', items: items('app.conf', 'extra.conf') } },
          { name: 'creds', secret: { secretName: 'db-creds', items: items('password') } },
          { name: 'optional', secret: { secretName: 'db-creds', items: items('token'), optional: true } },
        ]),
        store,
      ).map((m) => m.message),
    ).to.deep.equal([
      'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: extra.conf',
      'MountVolume.SetUp failed for volume "creds" : references non-existent secret key: password',
    ]);
  });

  it('aggregates the errors of a projected volume', () => {
    const volumes: Volume[] = [
      {
        name: 'kube-api-access',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt' } },
            { secret: { name: 'extra' } },
          ],
        },
      },
    ];
    expect(missingVolumeSources(pod(volumes), setup([])).map((m) => m.message)).to.deep.equal([
      'MountVolume.SetUp failed for volume "kube-api-access" : [configmap "kube-root-ca.crt" not found, secret "extra" not found]',
    ]);
    const one = setup([configMap('kube-root-ca.crt', { 'ca.crt': 'x' })]);
    expect(missingVolumeSources(pod(volumes), one).map((m) => m.message)).to.deep.equal([
      'MountVolume.SetUp failed for volume "kube-api-access" : secret "extra" not found',
    ]);
  });

  it('needs nothing for emptyDir, hostPath or claims', () => {
    const volumes: Volume[] = [
      { name: 'scratch', emptyDir: {} },
      { name: 'logs', hostPath: { path: '/var/log' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    ];
    expect(missingVolumeSources(pod(volumes), setup([]))).to.deep.equal([]);
  });
});
