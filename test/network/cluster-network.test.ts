import { expect } from 'chai';
import { renderList } from '../../src/cli/simulate';
import { Cluster } from '../../src/cluster';

describe('the network of a new cluster', () => {
  it('has the kubernetes Service at the first address, with its Endpoints and EndpointSlice', async () => {
    const cluster = await Cluster.create();
    const svc = cluster.get('Service', 'default', 'kubernetes');
    expect(svc?.spec).to.deep.equal({
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      clusterIP: '10.96.0.1',
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      clusterIPs: ['10.96.0.1'],
      ipFamilies: ['IPv4'],
    });
    expect(cluster.get('Endpoints', 'default', 'kubernetes')?.subsets).to.deep.equal([
      { addresses: [{ ip: '172.18.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);
    const slice = cluster.get('EndpointSlice', 'default', 'kubernetes');
    expect(slice?.metadata.labels).to.deep.equal({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice?.endpoints).to.deep.equal([{ addresses: ['172.18.0.1'], conditions: { ready: true } }]);
  });

  it('takes its service range from the options', async () => {
    const cluster = await Cluster.create({ serviceCIDR: '10.0.0.0/24' });
    expect(cluster.get('Service', 'default', 'kubernetes')?.spec).to.include({ clusterIP: '10.0.0.1' });
  });

  it('prints Services, Endpoints and EndpointSlices with the other objects, as `kubespec simulate` does', async () => {
    const cluster = await Cluster.create();
    await cluster.applyManifests(
      `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
      'web.yaml',
    );
    await cluster.reconcile();
    const list = JSON.parse(renderList(cluster.allObjects(), 'json')) as {
      items: { kind: string; metadata: { name: string } }[];
    };
    const network = list.items
      .filter((i) => ['Service', 'Endpoints', 'EndpointSlice'].includes(i.kind))
      .map((i) => `${i.kind}/${i.metadata.name}`);
    expect(network).to.have.length(6);
    expect(network.slice(0, 4)).to.deep.equal([
      'Service/kubernetes',
      'Service/web',
      'Endpoints/kubernetes',
      'Endpoints/web',
    ]);
    expect(network[4]).to.equal('EndpointSlice/kubernetes');
    expect(network[5]).to.match(/^EndpointSlice\/web-[a-z0-9]{5}$/);
  });
});
