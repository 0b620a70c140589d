// Steps about Services: their addresses and endpoints, connections through kube-proxy and cluster DNS lookups.
// A connection or lookup is kept for the Then steps that follow it.
import { isIP } from 'node:net';
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { parseSelector } from '../src/api/labels';
import type { PodObject } from '../src/api/pods';
import type { ServiceObject } from '../src/api/services';
import type { Cluster } from '../src/cluster';
import type { DnsAnswer } from '../src/network/cluster-dns';
import { SERVICE_NAME_LABEL } from '../src/network/endpointslice-reconciler';
import type { ConnectionResult } from '../src/network/kube-proxy';
import { APISERVER_ADDRESS } from '../src/network/kubernetes-service';
import {
  describeAnswer,
  describeConnection,
  EXTERNAL_CLIENT,
  endpointRows,
  endpointsAddresses,
  podClient,
  readyEndpoints,
  slicesOf,
} from '../src/network/views';
import { fieldText } from '../src/scenario/fields';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

interface Observed {
  connections: ConnectionResult[];
  answer?: DnsAnswer;
}
const observed = new WeakMap<KubespecWorld, Observed>();

function observations(world: KubespecWorld): Observed {
  let o = observed.get(world);
  if (!o) {
    o = { connections: [] };
    observed.set(world, o);
  }
  return o;
}

function lastConnection(world: KubespecWorld): ConnectionResult {
  const last = observations(world).connections.at(-1);
  if (!last) throw new Error('no connection was made: use a "When ... connects ..." step first');
  return last;
}

function answer(world: KubespecWorld): DnsAnswer {
  const a = observations(world).answer;
  if (!a) throw new Error('nothing was resolved: use a "When pod ... resolves ..." step first');
  return a;
}

function service(cluster: Cluster, name: string): ServiceObject {
  const ref = parseRef('service', name);
  const svc = cluster.get('Service', ref.namespace, ref.name) as ServiceObject | undefined;
  if (!svc) throw new Error(`service ${ref.namespace}/${ref.name} does not exist`);
  return svc;
}

function pod(cluster: Cluster, name: string): PodObject {
  const ref = parseRef('pod', name);
  const p = cluster.get('Pod', ref.namespace, ref.name) as PodObject | undefined;
  if (!p) throw new Error(`pod ${ref.namespace}/${ref.name} does not exist`);
  return p;
}

const names = (text: string) =>
  text === 'none'
    ? []
    : text
        .split(',')
        .map((s) => s.trim())
        .sort();
const listed = (list: readonly string[]) => (list.length === 0 ? 'none' : list.join(', '));

// ---- addresses and endpoints ------------------------------------------------------------------

Given('the service network {string}', function (this: KubespecWorld, cidr: string) {
  this.configure(`the service network "${cidr}"`, () => {
    this.options.serviceCIDR = cidr;
  });
});

Then(
  'service {string} has cluster IP {string}',
  async function (this: KubespecWorld, name: string, ip: string) {
    expect(service(await this.cluster(), name).spec?.clusterIP, `cluster IP of service ${name}`).to.equal(ip);
  },
);

Then(
  'service {string} has node port {int}',
  async function (this: KubespecWorld, name: string, port: number) {
    const ports = (service(await this.cluster(), name).spec?.ports ?? []).map((p) => p.nodePort);
    expect(ports, `node ports of service ${name}`).to.include(port);
  },
);

Then(
  'service {string} has a node port between {int} and {int}',
  async function (this: KubespecWorld, name: string, low: number, high: number) {
    const ports = (service(await this.cluster(), name).spec?.ports ?? []).map((p) => p.nodePort ?? 0);
    expect(ports.length, `ports of service ${name}`).to.be.above(0);
    for (const p of ports)
      expect(p, `node ports of service ${name}: ${ports.join(', ')}`).to.be.within(low, high);
  },
);

Then(
  'service {string} has load balancer IP {string}',
  async function (this: KubespecWorld, name: string, ip: string) {
    const ingress = service(await this.cluster(), name).status?.loadBalancer?.ingress ?? [];
    expect(
      ingress.map((i) => i.ip),
      `load balancer ingress of service ${name}`,
    ).to.deep.equal([ip]);
  },
);

Then('the load balancer of service {string} is pending', async function (this: KubespecWorld, name: string) {
  const ingress = service(await this.cluster(), name).status?.loadBalancer?.ingress ?? [];
  expect(ingress, `load balancer ingress of service ${name}`).to.deep.equal([]);
});

Then(
  'the endpoints of service {string} are {string}',
  async function (this: KubespecWorld, name: string, expected: string) {
    const cluster = await this.cluster();
    const svc = service(cluster, name);
    const rows = endpointRows(cluster.store, svc);
    const all = rows.map((r) => `${r.pod}${r.ready ? '' : ' (not ready)'}`).join(', ') || 'none';
    expect(
      listed(readyEndpoints(cluster.store, svc)),
      `ready endpoints of service ${name}; all: ${all}`,
    ).to.equal(listed(names(expected)));
  },
);

Then(
  'the Endpoints of service {string} list addresses {string} and not-ready addresses {string}',
  async function (this: KubespecWorld, name: string, ready: string, notReady: string) {
    const cluster = await this.cluster();
    const actual = endpointsAddresses(cluster.store, service(cluster, name));
    expect(
      { addresses: listed(actual.ready), notReadyAddresses: listed(actual.notReady) },
      `Endpoints ${name}`,
    ).to.deep.equal({ addresses: listed(names(ready)), notReadyAddresses: listed(names(notReady)) });
  },
);

Then('service {string} has no Endpoints object', async function (this: KubespecWorld, name: string) {
  const ref = parseRef('service', name);
  const endpoints = (await this.cluster()).get('Endpoints', ref.namespace, ref.name);
  expect(endpoints, `Endpoints ${ref.namespace}/${ref.name}`).to.equal(undefined);
});

Then('service {string} has no EndpointSlices', async function (this: KubespecWorld, name: string) {
  const ref = parseRef('service', name);
  const slices = (await this.cluster()).store
    .list('EndpointSlice', ref.namespace)
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === ref.name)
    .map((s) => s.metadata.name);
  expect(slices, `EndpointSlices of service ${ref.namespace}/${ref.name}`).to.deep.equal([]);
});

Then(
  'the EndpointSlice of service {string} has these fields:',
  async function (this: KubespecWorld, name: string, table) {
    const cluster = await this.cluster();
    const slices = slicesOf(cluster.store, service(cluster, name));
    expect(
      slices.map((s) => s.metadata.name),
      `EndpointSlices of service ${name}`,
    ).to.have.length(1);
    const rows = table.hashes() as { field: string; value: string }[];
    const actual = rows.map((row) => ({ field: row.field, value: fieldText(slices[0], row.field) }));
    expect(actual, `fields of EndpointSlice ${slices[0].metadata.name}`).to.deep.equal(rows);
  },
);

Then(
  'the endpoint slices of service {string} list:',
  async function (this: KubespecWorld, name: string, table) {
    const cluster = await this.cluster();
    const actual = endpointRows(cluster.store, service(cluster, name)).map((r) => ({
      pod: r.pod,
      ready: String(r.ready),
      serving: String(r.serving),
      terminating: String(r.terminating),
    }));
    const byPod = (a: { pod: string }, b: { pod: string }) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0);
    expect(actual.sort(byPod), `endpoints in the EndpointSlices of service ${name}`).to.deep.equal(
      (table.hashes() as { pod: string }[]).sort(byPod),
    );
  },
);

async function endpointDecision(world: KubespecWorld, podName: string, serviceName: string) {
  const cluster = await world.cluster();
  const p = parseRef('pod', podName);
  const svc = parseRef('service', serviceName);
  const subject = `pod ${p.namespace}/${p.name} for service ${svc.namespace}/${svc.name}`;
  const entry = cluster.trace.entries.findLast((e) => e.kind === 'decision' && e.subject === subject);
  if (entry?.kind !== 'decision') throw new Error(`no service.endpoints decision about ${subject}`);
  return entry;
}

Then(
  'the service.endpoints decision about pod {string} for service {string} says {string}',
  async function (this: KubespecWorld, podName: string, serviceName: string, outcome: string) {
    expect((await endpointDecision(this, podName, serviceName)).outcome).to.equal(outcome);
  },
);

Then(
  'the service.endpoints decision about pod {string} for service {string} was made by rule {string}',
  async function (this: KubespecWorld, podName: string, serviceName: string, rule: string) {
    const entry = await endpointDecision(this, podName, serviceName);
    const fired = entry.decision.events.map((e) => `${e.ruleSet}/${e.rule}`);
    expect(fired[0], `rules that fired: ${fired.join(', ') || 'none'}`).to.equal(rule);
  },
);

// ---- connections ------------------------------------------------------------------------------

async function connectFromPod(world: KubespecWorld, from: string, to: string, port: number, times = 1) {
  const cluster = await world.cluster();
  const client = podClient(pod(cluster, from));
  const { proxy, dns } = cluster.network;
  for (let i = 0; i < times; i++) {
    let result: ConnectionResult;
    if (to.startsWith('service '))
      result = proxy.connectToService(client, service(cluster, to.slice(8)), port);
    else if (isIP(to)) result = proxy.connect(client, to, port);
    else {
      const resolved = dns.resolve(pod(cluster, from), to, 'A');
      const a = resolved.records.find((r) => r.type === 'A');
      const cname = resolved.records.find((r) => r.type === 'CNAME');
      if (a?.type === 'A') result = proxy.connect(client, a.address, port);
      else if (cname?.type === 'CNAME')
        result = { outcome: 'left the cluster', host: cname.target.replace(/\.$/, ''), port };
      else result = { outcome: 'unresolved', reason: `${to} does not resolve: ${describeAnswer(resolved)}` };
    }
    observations(world).connections.push(result);
  }
}

When(
  'pod {string} connects to service {string} on port {int}',
  async function (this: KubespecWorld, from: string, to: string, port: number) {
    await connectFromPod(this, from, `service ${to}`, port);
  },
);

When(
  'pod {string} connects to service {string} on port {int} {int} times',
  async function (this: KubespecWorld, from: string, to: string, port: number, times: number) {
    observations(this).connections = [];
    await connectFromPod(this, from, `service ${to}`, port, times);
  },
);

When(
  'pod {string} connects to service {string} on port {int} {int} times, {int} seconds apart',
  async function (
    this: KubespecWorld,
    from: string,
    to: string,
    port: number,
    times: number,
    seconds: number,
  ) {
    observations(this).connections = [];
    const cluster = await this.cluster();
    for (let i = 0; i < times; i++) {
      if (i > 0) await cluster.advance(seconds * 1000);
      await connectFromPod(this, from, `service ${to}`, port);
    }
  },
);

When(
  'pod {string} connects to {string} on port {int}',
  async function (this: KubespecWorld, from: string, to: string, port: number) {
    await connectFromPod(this, from, to, port);
  },
);

When(
  'pod {string} connects to pod {string} on port {int}',
  async function (this: KubespecWorld, from: string, to: string, port: number) {
    const target = pod(await this.cluster(), to);
    const ip = target.status?.podIP;
    if (!ip) throw new Error(`pod ${to} has no IP address (phase ${target.status?.phase ?? 'Pending'})`);
    await connectFromPod(this, from, ip, port);
  },
);

When(
  'a client outside the cluster connects to node {string} on port {int}',
  async function (this: KubespecWorld, node: string, port: number) {
    const cluster = await this.cluster();
    const n = cluster.get('Node', undefined, node);
    if (!n) throw new Error(`node ${node} does not exist`);
    const address = (n.status as { addresses?: { type: string; address: string }[] }).addresses?.find(
      (a) => a.type === 'InternalIP',
    )?.address;
    if (!address) throw new Error(`node ${node} has no InternalIP address`);
    observations(this).connections.push(cluster.network.proxy.connect(EXTERNAL_CLIENT, address, port));
  },
);

When(
  'a client outside the cluster connects to the load balancer of service {string} on port {int}',
  async function (this: KubespecWorld, name: string, port: number) {
    const cluster = await this.cluster();
    const ip = service(cluster, name).status?.loadBalancer?.ingress?.[0]?.ip;
    if (!ip) throw new Error(`service ${name} has no load balancer address yet (EXTERNAL-IP <pending>)`);
    observations(this).connections.push(cluster.network.proxy.connect(EXTERNAL_CLIENT, ip, port));
  },
);

function reached(result: ConnectionResult, port: number): string {
  expect(result.outcome, describeConnection(result)).to.equal('reached');
  if (result.outcome !== 'reached') return '';
  expect(result.port, describeConnection(result)).to.equal(port);
  return result.pod ? `${result.pod.namespace}/${result.pod.name}` : '';
}

Then(
  'the connection reaches pod {string} on port {int}',
  function (this: KubespecWorld, name: string, port: number) {
    const ref = parseRef('pod', name);
    const result = lastConnection(this);
    expect(reached(result, port), describeConnection(result)).to.equal(`${ref.namespace}/${ref.name}`);
  },
);

Then('the connection reaches the API server on port {int}', function (this: KubespecWorld, port: number) {
  const result = lastConnection(this);
  expect(reached(result, port), describeConnection(result)).to.equal('');
  expect(result.outcome === 'reached' && result.ip, describeConnection(result)).to.equal(APISERVER_ADDRESS);
});

Then(
  'the connection reaches a pod matching {string} on port {int}',
  async function (this: KubespecWorld, selector: string, port: number) {
    const result = lastConnection(this);
    const [namespace, name] = reached(result, port).split('/');
    const target = (await this.cluster()).get('Pod', namespace, name);
    const matching = parseSelector(selector).matches(target?.metadata.labels);
    expect(
      matching,
      `${describeConnection(result)}; its labels: ${JSON.stringify(target?.metadata.labels)}`,
    ).to.equal(true);
  },
);

Then('the connection is refused', function (this: KubespecWorld) {
  const result = lastConnection(this);
  expect(result.outcome, describeConnection(result)).to.equal('refused');
});

Then('the connection times out', function (this: KubespecWorld) {
  const result = lastConnection(this);
  expect(result.outcome, describeConnection(result)).to.equal('timed out');
});

// A time-out with the network policy named as its cause, so that a scenario about policies cannot pass on a
// connection dropped for another reason (a Local traffic policy, a port the Service lacks).
Then('the connection is denied by network policy', function (this: KubespecWorld) {
  const result = lastConnection(this);
  const denied = result.outcome === 'timed out' && result.deniedByNetworkPolicy === true;
  expect(denied, describeConnection(result)).to.equal(true);
});

Then('the connection leaves the cluster for {string}', function (this: KubespecWorld, host: string) {
  const result = lastConnection(this);
  expect(result.outcome === 'left the cluster' ? result.host : describeConnection(result)).to.equal(host);
});

function reachedPods(world: KubespecWorld): string[] {
  return observations(world).connections.map((c) =>
    c.outcome === 'reached' && c.pod
      ? c.pod.namespace === 'default'
        ? c.pod.name
        : `${c.pod.namespace}/${c.pod.name}`
      : describeConnection(c),
  );
}

Then('the connections reach pods {string}', function (this: KubespecWorld, expected: string) {
  const reachedList = reachedPods(this);
  expect([...new Set(reachedList)].sort(), `${reachedList.length} connections`).to.deep.equal(
    names(expected),
  );
});

Then(
  'the connections are spread evenly over pods {string}, each getting {int} to {int} of them',
  function (this: KubespecWorld, expected: string, low: number, high: number) {
    const counts = new Map<string, number>();
    for (const p of reachedPods(this)) counts.set(p, (counts.get(p) ?? 0) + 1);
    const summary = JSON.stringify(Object.fromEntries(counts));
    expect([...counts.keys()].sort(), summary).to.deep.equal(names(expected));
    for (const n of counts.values()) expect(n, summary).to.be.within(low, high);
  },
);

Then('the connections reach:', function (this: KubespecWorld, table) {
  const seen = new Map<string, { pod: string; port: string }>();
  for (const c of observations(this).connections) {
    const pod =
      c.outcome === 'reached' && c.pod
        ? c.pod.namespace === 'default'
          ? c.pod.name
          : `${c.pod.namespace}/${c.pod.name}`
        : describeConnection(c);
    const port = c.outcome === 'reached' ? String(c.port) : '';
    seen.set(`${pod}:${port}`, { pod, port });
  }
  const byPod = (a: { pod: string; port: string }, b: { pod: string; port: string }) =>
    `${a.pod}:${a.port}` < `${b.pod}:${b.port}` ? -1 : 1;
  expect([...seen.values()].sort(byPod), 'pods and ports reached').to.deep.equal(
    (table.hashes() as { pod: string; port: string }[]).sort(byPod),
  );
});

Then('every connection reaches the same pod', function (this: KubespecWorld) {
  const reachedList = reachedPods(this);
  expect(reachedList.length).to.be.above(1);
  expect(new Set(reachedList).size, `pods reached: ${reachedList.join(', ')}`).to.equal(1);
});

Then('every connection reaches pod {string}', function (this: KubespecWorld, name: string) {
  const reachedList = reachedPods(this);
  expect(reachedList.length).to.be.above(0);
  expect([...new Set(reachedList)], 'pods reached').to.deep.equal([name]);
});

// ---- DNS --------------------------------------------------------------------------------------

When('pod {string} resolves {string}', async function (this: KubespecWorld, from: string, name: string) {
  const cluster = await this.cluster();
  observations(this).answer = cluster.network.dns.resolve(pod(cluster, from), name, 'A');
});

When(
  'pod {string} looks up the SRV records of {string}',
  async function (this: KubespecWorld, from: string, name: string) {
    const cluster = await this.cluster();
    observations(this).answer = cluster.network.dns.resolve(pod(cluster, from), name, 'SRV');
  },
);

const addresses = (a: DnsAnswer) => a.records.flatMap((r) => (r.type === 'A' ? [r.address] : []));

Then('the answer is {string}', function (this: KubespecWorld, address: string) {
  const a = answer(this);
  expect(addresses(a), describeAnswer(a)).to.deep.equal([address]);
});

Then('the answer is the cluster IP of service {string}', async function (this: KubespecWorld, name: string) {
  const a = answer(this);
  const ip = service(await this.cluster(), name).spec?.clusterIP;
  expect(addresses(a), describeAnswer(a)).to.deep.equal([ip]);
});

Then('the answer is the CNAME {string}', function (this: KubespecWorld, target: string) {
  const a = answer(this);
  const first = a.records[0];
  expect(first?.type === 'CNAME' ? first.target.replace(/\.$/, '') : describeAnswer(a)).to.equal(target);
});

Then('the answer lists the addresses of pods {string}', async function (this: KubespecWorld, list: string) {
  const cluster = await this.cluster();
  const a = answer(this);
  const expected = names(list).map((n) => pod(cluster, n).status?.podIP);
  expect([...addresses(a)].sort(), describeAnswer(a)).to.deep.equal(expected.sort());
});

Then('the name does not exist', function (this: KubespecWorld) {
  const a = answer(this);
  expect(a.rcode, describeAnswer(a)).to.equal('NXDOMAIN');
});

Then('the answer lists the SRV records:', function (this: KubespecWorld, table) {
  const a = answer(this);
  const actual = a.records.flatMap((r) =>
    r.type === 'SRV'
      ? [{ priority: String(r.priority), weight: String(r.weight), port: String(r.port), target: r.target }]
      : [],
  );
  expect(actual, describeAnswer(a)).to.deep.equal(table.hashes());
});
