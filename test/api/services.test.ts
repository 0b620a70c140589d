import { expect } from 'chai';
import { ApiServer } from '../../src/api/apiserver';
import type { KubeObject } from '../../src/api/object';
import { defaultService, registerServiceApi, type ServiceObject } from '../../src/api/services';
import { ApiError, Store } from '../../src/api/store';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

async function newApi(serviceCIDR?: string): Promise<ApiServer> {
  const api = new ApiServer(new Store(new VirtualClock(), new SeededRandom(1)));
  registerServiceApi(api, api.store, { seed: 1, serviceCIDR });
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

const service = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec }) as KubeObject;

const web = (spec: Record<string, unknown> = {}) =>
  service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9376 }], ...spec });

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error('expected an ApiError');
}

const specOf = (obj: KubeObject) => (obj as ServiceObject).spec ?? {};

describe('Services at the API server', () => {
  // k8s:pkg/apis/core/v1/defaults_test.go TestSetDefaultService and its neighbours.
  describe('SetDefaults_Service', () => {
    const defaulted = (spec: Record<string, unknown>) => {
      const svc = service('s', structuredClone(spec)) as ServiceObject;
      defaultService(svc);
      return svc.spec ?? {};
    };

    it('defaults sessionAffinity to None and type to ClusterIP', () => {
      const spec = defaulted({});
      expect(spec.sessionAffinity).to.equal('None');
      expect(spec.type).to.equal('ClusterIP');
      expect(spec.internalTrafficPolicy).to.equal('Cluster');
      expect(spec.externalTrafficPolicy).to.equal(undefined);
    });

    it('defaults a ClientIP affinity timeout to 10800 seconds and drops the config of None', () => {
      expect(defaulted({ sessionAffinity: 'ClientIP' }).sessionAffinityConfig).to.deep.equal({
        clientIP: { timeoutSeconds: 10800 },
      });
      expect(
        defaulted({ sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } })
          .sessionAffinityConfig,
      ).to.equal(undefined);
    });

    it('defaults a port protocol to TCP and its targetPort to the port (for 0 and "" too)', () => {
      const spec = defaulted({
        ports: [{ port: 80 }, { port: 81, targetPort: 0 }, { port: 82, targetPort: '' }],
      });
      expect(spec.ports).to.deep.equal([
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 81, protocol: 'TCP', targetPort: 81 },
        { port: 82, protocol: 'TCP', targetPort: 82 },
      ]);
    });

    it('gives externally accessible Services the Cluster external traffic policy', () => {
      expect(defaulted({ type: 'NodePort' }).externalTrafficPolicy).to.equal('Cluster');
      expect(defaulted({ type: 'ClusterIP', externalIPs: ['1.2.3.4'] }).externalTrafficPolicy).to.equal(
        'Cluster',
      );
      expect(defaulted({ type: 'ExternalName' }).internalTrafficPolicy).to.equal(undefined);
    });

    it('allocates load balancer node ports by default and marks load balancer IPs as VIPs', () => {
      const svc = service('s', { type: 'LoadBalancer' }) as ServiceObject;
      svc.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example.com' }] } };
      defaultService(svc);
      expect(svc.spec?.allocateLoadBalancerNodePorts).to.equal(true);
      expect(svc.status.loadBalancer?.ingress).to.deep.equal([
        { ip: '1.2.3.4', ipMode: 'VIP' },
        { hostname: 'lb.example.com' },
      ]);
    });
  });

  describe('create', () => {
    it('allocates a cluster IP and records the family and policy, with an empty status', async () => {
      const api = await newApi();
      const created = await api.create(web());
      const spec = specOf(created);
      expect(spec.clusterIPs).to.deep.equal([spec.clusterIP]);
      expect(spec.ipFamilies).to.deep.equal(['IPv4']);
      expect(spec.ipFamilyPolicy).to.equal('SingleStack');
      expect(created.status).to.deep.equal({ loadBalancer: {} });
    });

    it('keeps the plural field in step with a singular cluster IP', async () => {
      const api = await newApi();
      const spec = specOf(await api.create(web({ clusterIP: '10.96.0.50' })));
      expect(spec.clusterIPs).to.deep.equal(['10.96.0.50']);
    });

    it('gives a headless Service no address; without a selector it asks for both families', async () => {
      const api = await newApi();
      const headless = specOf(await api.create(web({ clusterIP: 'None' })));
      expect(headless.clusterIPs).to.deep.equal(['None']);
      expect(headless.ipFamilies).to.deep.equal(['IPv4']);
      const bare = specOf(await api.create(service('peers', { clusterIP: 'None' })));
      expect(bare.ipFamilyPolicy).to.equal('RequireDualStack');
      expect(bare.ipFamilies).to.deep.equal(['IPv4', 'IPv6']);
    });

    it('gives an ExternalName Service neither address nor families', async () => {
      const api = await newApi();
      const spec = specOf(
        await api.create(service('db', { type: 'ExternalName', externalName: 'db.example.com' })),
      );
      expect(spec.clusterIP).to.equal(undefined);
      expect(spec.ipFamilies).to.equal(undefined);
      expect(spec.ipFamilyPolicy).to.equal(undefined);
    });

    it('refuses an IPv6 address and dual-stack requirements on a single-stack cluster', async () => {
      const api = await newApi();
      expect(await refusal(api.create(web({ clusterIP: 'fd00::10' })))).to.equal(
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster',
      );
      expect(await refusal(api.create(web({ ipFamilyPolicy: 'RequireDualStack' })))).to.equal(
        'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
      );
      expect(await refusal(api.create(web({ ipFamilies: ['IPv6'] })))).to.equal(
        'Service "web" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
      );
    });

    it('refuses a malformed cluster IP before allocating anything', async () => {
      const api = await newApi();
      expect(await refusal(api.create(web({ clusterIP: '10.96.0.256' })))).to.equal(
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      );
    });

    it('gives two ports with the same number (TCP and UDP) the same node port', async () => {
      const api = await newApi();
      const spec = specOf(
        await api.create(
          service('dns', {
            type: 'NodePort',
            selector: { app: 'dns' },
            ports: [
              { name: 'udp', port: 53, protocol: 'UDP' },
              { name: 'tcp', port: 53, protocol: 'TCP' },
            ],
          }),
        ),
      );
      const [udp, tcp] = spec.ports ?? [];
      expect(udp.nodePort).to.be.within(30086, 32767);
      expect(tcp.nodePort).to.equal(udp.nodePort);
    });

    it('allocates a health check node port for a LoadBalancer with the Local policy', async () => {
      const api = await newApi();
      const spec = specOf(await api.create(web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
      expect(spec.healthCheckNodePort).to.be.within(30000, 32767);
      expect(spec.healthCheckNodePort).to.not.equal(spec.ports?.[0].nodePort);
    });

    it('reports an exhausted node port range as an internal error', async () => {
      const api = await newApi();
      for (let i = 0; i < 2768; i++) {
        await api.create(
          service(`s${i}`, { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] }),
        );
      }
      expect(
        await refusal(
          api.create(service('last', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] })),
        ),
      ).to.equal('Internal error occurred: failed to allocate a nodePort: range is full');
    });
  });

  // Cases of k8s:pkg/apis/core/validation/validation_test.go TestValidateServiceCreate, with the messages the API
  // server returns.
  describe('ValidateService', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['missing ports', { selector: { app: 'web' } }, 'spec.ports: Required value'],
      [
        'invalid port name',
        { selector: { app: 'web' }, ports: [{ name: 'INVALID', port: 80 }] },
        `spec.ports[0].name: Invalid value: "INVALID": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
      [
        'dup port name',
        {
          selector: { app: 'web' },
          ports: [
            { name: 'p', port: 80 },
            { name: 'p', port: 81 },
          ],
        },
        'spec.ports[1].name: Duplicate value: "p"',
      ],
      [
        'invalid port',
        { selector: { app: 'web' }, ports: [{ port: 65536, targetPort: 80 }] },
        'spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
      ],
      [
        'invalid targetport name',
        { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'a-very-long-port-name' }] },
        'spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters',
      ],
      [
        'invalid targetport with hyphens',
        { selector: { app: 'web' }, ports: [{ port: 80, targetPort: '-http--x' }] },
        '[spec.ports[0].targetPort: Invalid value: "-http--x": must not contain consecutive hyphens, spec.ports[0].targetPort: Invalid value: "-http--x": must not begin or end with a hyphen]',
      ],
      [
        'invalid protocol',
        { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'INVALID' }] },
        'spec.ports[0].protocol: Unsupported value: "INVALID": supported values: "SCTP", "TCP", "UDP"',
      ],
      [
        'invalid type',
        { type: 'InvalidType', selector: { app: 'web' }, ports: [{ port: 80 }] },
        'spec.type: Unsupported value: "InvalidType": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
      [
        'invalid session affinity',
        { sessionAffinity: 'Sticky', selector: { app: 'web' }, ports: [{ port: 80 }] },
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
      ],
      [
        'invalid external traffic policy',
        {
          type: 'NodePort',
          externalTrafficPolicy: 'Nowhere',
          selector: { app: 'web' },
          ports: [{ port: 80 }],
        },
        'spec.externalTrafficPolicy: Unsupported value: "Nowhere": supported values: "Cluster", "Local"',
      ],
      [
        'external traffic policy on a ClusterIP service',
        { externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80 }] },
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
      ],
      [
        'invalid internal traffic policy',
        { internalTrafficPolicy: 'Node', selector: { app: 'web' }, ports: [{ port: 80 }] },
        'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
      ],
      [
        'invalid selector key',
        { selector: { 'NoUppercaseOrSpecialCharsLike=Equals': 'b' }, ports: [{ port: 80 }] },
        `spec.selector: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
      [
        'duplicate nodeports',
        {
          type: 'NodePort',
          selector: { app: 'web' },
          ports: [
            { name: 'a', port: 80, nodePort: 30010 },
            { name: 'b', port: 81, nodePort: 30010 },
          ],
        },
        'spec.ports[1].nodePort: Invalid value: 30010: provided port is already allocated',
      ],
      [
        'external IP in the loopback range',
        { externalIPs: ['127.0.0.1'], selector: { app: 'web' }, ports: [{ port: 80 }] },
        'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
      [
        'source ranges on a ClusterIP service',
        { loadBalancerSourceRanges: ['10.0.0.0/8'], selector: { app: 'web' }, ports: [{ port: 80 }] },
        "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      ],
      [
        'allocateLoadBalancerNodePorts on a NodePort service',
        {
          type: 'NodePort',
          allocateLoadBalancerNodePorts: false,
          selector: { app: 'web' },
          ports: [{ port: 80 }],
        },
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
      ],
      ['ExternalName without a name', { type: 'ExternalName' }, 'spec.externalName: Required value'],
      [
        'ExternalName with a cluster IP',
        { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.5' },
        'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      ],
    ];
    for (const [name, spec, error] of cases) {
      it(`refuses ${name}`, async () => {
        const api = await newApi();
        expect(await refusal(api.create(service('web', spec)))).to.equal(
          `Service "web" is invalid: ${error}`,
        );
      });
    }

    it('accepts a fully qualified external name with a trailing dot', async () => {
      const api = await newApi();
      const created = await api.create(
        service('db', { type: 'ExternalName', externalName: 'db.example.com.' }),
      );
      expect(specOf(created).externalName).to.equal('db.example.com.');
    });
  });

  describe('update', () => {
    it('keeps allocated values the client leaves out, as re-applying the same manifest does', async () => {
      const api = await newApi();
      const first = await api.create(web({ type: 'NodePort' }));
      const allocated = specOf(first);
      const again = await api.apply(web({ type: 'NodePort' }));
      expect(specOf(again).clusterIP).to.equal(allocated.clusterIP);
      expect(specOf(again).ports?.[0].nodePort).to.equal(allocated.ports?.[0].nodePort);
    });

    it('allocates node ports when a ClusterIP Service becomes a NodePort, and drops them on the way back', async () => {
      const api = await newApi();
      await api.apply(web());
      const nodePort = specOf(await api.apply(web({ type: 'NodePort' }))).ports?.[0].nodePort;
      expect(nodePort).to.be.within(30000, 32767);
      const back = specOf(await api.apply(web({ type: 'ClusterIP' })));
      expect(back.ports?.[0].nodePort).to.equal(undefined);
      expect(back.externalTrafficPolicy).to.equal(undefined);
      // The released port can be asked for again.
      const other = await api.create(
        service('other', { type: 'NodePort', selector: { app: 'o' }, ports: [{ port: 80, nodePort }] }),
      );
      expect(specOf(other).ports?.[0].nodePort).to.equal(nodePort);
    });

    it('releases the cluster IP of a Service turned ExternalName', async () => {
      const api = await newApi();
      await api.apply(web({ clusterIP: '10.96.0.77' }));
      const external = specOf(
        await api.apply(service('web', { type: 'ExternalName', externalName: 'x.example.com' })),
      );
      expect(external.clusterIP).to.equal(undefined);
      expect(external.clusterIPs).to.equal(undefined);
      const reused = await api.create(service('again', { clusterIP: '10.96.0.77', ports: [{ port: 80 }] }));
      expect(specOf(reused).clusterIP).to.equal('10.96.0.77');
    });
  });
});
