import { expect } from 'chai';
import { Cluster } from '../../src/cluster';
import { describeAnswer, describeConnection, serviceViews } from '../../src/network/views';
import { renderClusterSvg } from '../../src/report/cluster-svg';
import { clusterView } from '../../src/report/scenario-report';

describe('network views', () => {
  async function cluster(): Promise<Cluster> {
    const c = await Cluster.create();
    await c.applyManifests(
      `apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: a, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.12
  selector: {app: web}
  ports: [{port: 80, targetPort: 9376, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {type: ExternalName, externalName: db.example.com}
`,
      'net.yaml',
    );
    return c;
  }

  it('shows the Services that select pods or alias a name, with their endpoints', async () => {
    const c = await cluster();
    expect(serviceViews(c.store).map((s) => [s.name, s.external, s.endpoints])).to.deep.equal([
      ['web', '<pending>', []],
      ['db', undefined, []],
    ]);
    await c.reconcile();
    const [web, db] = serviceViews(c.store);
    expect(web).to.deep.equal({
      namespace: 'default',
      name: 'web',
      type: 'LoadBalancer',
      address: '10.96.0.12',
      ports: ['80:30080→9376/TCP'],
      external: '203.0.113.1',
      endpoints: [{ pod: 'web-1', state: 'ready' }],
    });
    expect(db.address).to.equal('db.example.com');
  });

  it('draws a Services lane in the cluster picture', async () => {
    const c = await cluster();
    await c.reconcile();
    const svg = renderClusterSvg(clusterView(c));
    expect(svg).to.include('>Services (2)</text>');
    expect(svg).to.include('endpoint web-1 of service default/web: ready');
    expect(svg).to.include('no endpoints: a DNS alias');
  });

  it('says what a connection or a lookup did, for failure messages', () => {
    expect(
      describeConnection({
        outcome: 'reached',
        pod: { namespace: 'prod', name: 'web' },
        ip: '10.244.0.2',
        port: 80,
        via: 'cluster IP 10.96.0.9:80',
      }),
    ).to.equal('reached pod prod/web at 10.244.0.2:80 (via cluster IP 10.96.0.9:80)');
    expect(describeConnection({ outcome: 'refused', reason: 'no endpoints' })).to.equal(
      'refused: no endpoints',
    );
    expect(describeAnswer({ rcode: 'NXDOMAIN', records: [], queried: ['a.b'] })).to.equal(
      'NXDOMAIN (asked a.b)',
    );
    expect(
      describeAnswer({
        rcode: 'NOERROR',
        records: [{ type: 'A', name: 'x', address: '10.0.0.1' }],
        queried: ['x'],
      }),
    ).to.equal('A 10.0.0.1 (asked x)');
  });
});
