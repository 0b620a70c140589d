// The command line end to end: each test runs `node bin/kubespec.js` as a user would, from the repository
// root, on the manifests and rule directories in test/fixtures/cli.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { load } from 'js-yaml';
import { DECISION_POINTS } from '../../src/decision-points';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = 'test/fixtures/cli';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kubespec(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['bin/kubespec.js', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

interface ListItem {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  involvedObject?: { kind: string; name: string };
  reason?: string;
  message?: string;
}

interface List {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: ListItem[];
}

const pods = (list: List) => list.items.filter((i) => i.kind === 'Pod');
const pod = (list: List, name: string) => pods(list).find((p) => p.metadata.name === name);
const eventsOf = (list: List, name: string) =>
  list.items.filter((i) => i.kind === 'Event' && i.involvedObject?.name === name);

/** A refused input: exit 1, every stderr line a message, no stack trace. */
function expectRefusal(run: Run): string[] {
  expect(run.code, run.stderr).to.equal(1);
  expect(run.stdout).to.equal('');
  expect(run.stderr).not.to.match(/^\s+at /m);
  return run.stderr.trimEnd().split('\n');
}

describe('kubespec command line', function () {
  // Each run is a fresh Node process (about a third of a second); the first may also fill the
  // transpilation cache (a few seconds).
  this.timeout(30_000);

  describe('simulate', () => {
    it('prints the cluster as a kubectl List in YAML, with the pod bound and the Scheduled event', async () => {
      const run = await kubespec(['simulate', `${FIXTURES}/cluster.yaml`]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^apiVersion: v1\nitems:\n- apiVersion: v1\n/);
      expect(run.stdout).to.match(/\nkind: List\nmetadata:\n {2}resourceVersion: ""\n$/);
      const list = load(run.stdout) as List;
      expect(list.kind).to.equal('List');
      expect(pod(list, 'web')?.spec?.nodeName).to.equal('n1');
      expect(list.items.filter((i) => i.kind === 'Node').map((n) => n.metadata.name)).to.deep.equal([
        'n1',
        'n2',
        'n3',
      ]);
      const scheduled = eventsOf(list, 'web').find((e) => e.reason === 'Scheduled');
      expect(scheduled?.message).to.equal('Successfully assigned default/web to n1');
    });

    it("prints the API server's warnings on stderr as kubectl does", async () => {
      const run = await kubespec(['simulate', `${FIXTURES}/pod-security/warn-only.yaml`]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.equal(
        'Warning: would violate PodSecurity "baseline:latest": host namespaces (hostPID)\n',
      );
      expect(pod(load(run.stdout) as List, 'agent')).to.not.equal(undefined);
    });

    it('prints JSON as kubectl does: four-space indent, sorted keys', async () => {
      const run = await kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '-o', 'json']);
      expect(run.code, run.stderr).to.equal(0);
      const list = JSON.parse(run.stdout) as List;
      expect(Object.keys(list)).to.deep.equal(['apiVersion', 'items', 'kind', 'metadata']);
      expect(list.metadata).to.deep.equal({ resourceVersion: '' });
      expect(run.stdout).to.match(/^{\n {4}"apiVersion": "v1",\n {4}"items": \[\n {8}{\n/);
      const web = pod(list, 'web') as ListItem;
      expect(web.spec?.nodeName).to.equal('n1');
      const keys = Object.keys(web.metadata);
      expect(keys).to.deep.equal([...keys].sort());
      // The scheduler's event, then the kubelet's as it starts the container.
      expect(eventsOf(list, 'web').map((e) => e.reason)).to.deep.equal([
        'Scheduled',
        'Pulling',
        'Pulled',
        'Created',
        'Started',
      ]);
    });

    it('reads - from standard input, with errors naming it STDIN', async () => {
      const big = readFileSync(resolve(ROOT, FIXTURES, 'big-pod.yaml'), 'utf8');
      const [run, broken] = await Promise.all([
        kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '-', '-o', 'json'], big),
        kubespec(['simulate', '-'], 'kind: [\n'),
      ]);
      expect(run.code, run.stderr).to.equal(0);
      const list = JSON.parse(run.stdout) as List;
      expect(pod(list, 'big')?.spec?.nodeName).to.equal('n1');
      expect(pod(list, 'web')?.spec?.nodeName).to.equal('n1');
      expect(expectRefusal(broken)).to.have.length(1);
      expect(broken.stderr).to.match(/^STDIN:2: error converting YAML to JSON: /);
    });

    it('lets --for pass: a NoExecute taint evicts a pod only when its tolerationSeconds are up', async () => {
      const [before, after] = await Promise.all(
        ['59s', '61s'].map((d) =>
          kubespec(['simulate', `${FIXTURES}/maintenance.yaml`, '--for', d, '-o', 'json']),
        ),
      );
      expect(before.code, before.stderr).to.equal(0);
      const early = JSON.parse(before.stdout) as List;
      expect(pod(early, 'worker')?.spec?.nodeName).to.equal('m1');
      expect(eventsOf(early, 'worker').map((e) => e.reason)).to.not.include('TaintManagerEviction');
      expect(eventsOf(early, 'worker').map((e) => e.reason)).to.include('Scheduled');

      expect(after.code, after.stderr).to.equal(0);
      const late = JSON.parse(after.stdout) as List;
      expect(pod(late, 'worker')).to.equal(undefined);
      const eviction = eventsOf(late, 'worker').find((e) => e.reason === 'TaintManagerEviction');
      expect(eviction?.message).to.equal('Marking for deletion Pod default/worker');
    });

    it('layers --rules over the shipped rules: MostAllocated scoring packs the pod onto the fuller node', async () => {
      const [spread, packed] = await Promise.all([
        kubespec(['simulate', `${FIXTURES}/packing.yaml`, '-o', 'json']),
        kubespec([
          'simulate',
          `${FIXTURES}/packing.yaml`,
          '--rules',
          `${FIXTURES}/bin-packing`,
          '-o',
          'json',
        ]),
      ]);
      expect(spread.code, spread.stderr).to.equal(0);
      expect(pod(JSON.parse(spread.stdout), 'next')?.spec?.nodeName).to.equal('b');
      expect(packed.code, packed.stderr).to.equal(0);
      expect(pod(JSON.parse(packed.stdout), 'next')?.spec?.nodeName).to.equal('a');
    });

    it('refuses a bad manifest with one file:line message per problem', async () => {
      const lines = expectRefusal(await kubespec(['simulate', `${FIXTURES}/bad-manifest.yaml`]));
      expect(lines).to.have.length(2);
      // The wording after the location is the API server's (tested with it); here, that each problem is
      // located and attributed.
      expect(lines[0]).to.match(
        /^test\/fixtures\/cli\/bad-manifest\.yaml:18: document 2 \(Pod default\/web\): .*quantities must match/,
      );
      expect(lines[1]).to.match(
        /^test\/fixtures\/cli\/bad-manifest\.yaml:23: document 3 \(Pod default\/Not_A_Name\): The Pod "Not_A_Name" is invalid: metadata\.name: Invalid value: "Not_A_Name": /,
      );
    });

    it('refuses a bad rule file given with --rules, naming file and line', async () => {
      const lines = expectRefusal(
        await kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '--rules', `${FIXTURES}/bad-rules`]),
      );
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^test\/fixtures\/cli\/bad-rules\/scheduling\.filter\/broken\.yaml:11: spec\.rules\[0\]\.conditions\.all\[0\]\.fact: unknown fact "nodeColour" for scheduling\.filter \(facts: /,
      );
    });

    it('refuses missing paths, bad durations and unsupported versions in one line each', async () => {
      const [missing, duration, version, percentage] = await Promise.all([
        kubespec(['simulate', 'nope.yaml', `${FIXTURES}/cluster.yaml`, 'gone.yaml']),
        kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '--for', '5 minutes']),
        kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '--kubernetes-version', 'v1.20']),
        kubespec(['simulate', `${FIXTURES}/cluster.yaml`, '--percentage-of-nodes-to-score', '101']),
      ]);
      expect(expectRefusal(missing)).to.deep.equal([
        'error: the path "nope.yaml" does not exist',
        'error: the path "gone.yaml" does not exist',
      ]);
      expect(expectRefusal(duration)).to.deep.equal([
        `error: option '--for <duration>' argument '5 minutes' is invalid. invalid duration "5 minutes": use a number with a unit, e.g. 30s, 5m, 1h30m`,
      ]);
      expect(expectRefusal(version)).to.deep.equal([
        `error: option '--kubernetes-version <version>' argument 'v1.20' is invalid. Kubernetes version "v1.20" is not supported: kubespec reproduces v1.33 and later`,
      ]);
      expect(expectRefusal(percentage)).to.deep.equal([
        `error: option '--percentage-of-nodes-to-score <percent>' argument '101' is invalid. percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]`,
      ]);
    });
  });

  describe('explain', () => {
    it('shows, node by node, the rejecting plugin and rule, the scores, the facts and the chosen node', async () => {
      const run = await kubespec(['explain', 'pod/web', `${FIXTURES}/cluster.yaml`]);
      expect(run.code, run.stderr).to.equal(0);
      const out = run.stdout;
      expect(out).to.contain('pod default/web is Running, on node n1\n');
      expect(out).to.contain(
        'Scheduling attempt 1 at 2025-01-01T00:00:00Z (+0s): bound to node n1\n' +
          '  NODE  RESULT    PLUGIN           RULE                                TOTAL\n' +
          '  n1    chosen                                                         474\n' +
          '  n2    rejected  TaintToleration  taint-toleration/untolerated-taint\n' +
          '  n3    passed                                                         449\n',
      );
      expect(out).to.contain(
        '  node n2: rejected by TaintToleration (UnschedulableAndUnresolvable)\n' +
          '    rule: taint-toleration/untolerated-taint\n' +
          '    reason: node(s) had untolerated taint(s)\n' +
          '    filter facts:\n',
      );
      expect(out).to.contain(
        'untoleratedTaint {effects: [NoSchedule, NoExecute]} = {key: dedicated, value: gpu, effect: NoSchedule',
      );
      expect(out).to.match(
        / {2}node n1: passed the filters; chosen\n {4}PLUGIN +RAW +NORMALIZED +WEIGHT +SCORE +RULE\n/,
      );
      expect(out).to.match(/\n {4}NodeResourcesFit +81 +81 +1 +81 +node-resources-fit\/least-allocated\n/);
      expect(out).to.match(/\n {4}TaintToleration +0 +100 +3 +300 +taint-toleration\/prefer-no-schedule\n/);
      expect(out).to.match(/\n {4}total +474\n/);
      expect(out).to.match(
        /\n {6}leastAllocatedScore \{resources: \[\{name: cpu, weight: 1\}, \{name: memory, weight: 1\}\]\} = 62\n/,
      );
      // The admission decision about the pod, with the rules that fired.
      expect(out).to.contain(
        'admission at 2025-01-01T00:00:00Z (+0s): tolerations added for node.kubernetes.io/not-ready:NoExecute, node.kubernetes.io/unreachable:NoExecute',
      );
      expect(out).to.match(
        /default-toleration-seconds\/not-ready +addToleration +\{key: node\.kubernetes\.io\/not-ready/,
      );
      expect(out).to.match(
        /Events:\n +LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n +0s +Normal +Scheduled +Pod\/web +Successfully assigned default\/web to n1\n/,
      );
    });

    it('explains a rejection for lack of resources and a taint eviction later on', async () => {
      const [big, worker] = await Promise.all([
        kubespec(['explain', 'pod/default/big', `${FIXTURES}/cluster.yaml`, `${FIXTURES}/big-pod.yaml`]),
        kubespec(['explain', 'po/worker', '-n', 'default', `${FIXTURES}/maintenance.yaml`, '--for', '2m']),
      ]);
      expect(big.code, big.stderr).to.equal(0);
      expect(big.stdout).to.contain(
        '  node n3: rejected by NodeResourcesFit (Unschedulable)\n' +
          '    rule: node-resources-fit/insufficient-cpu\n' +
          '    reason: Insufficient cpu\n',
      );
      expect(big.stdout).to.contain('One node passed the filters, so kube-scheduler did not score it.');

      expect(worker.code, worker.stderr).to.equal(0);
      expect(worker.stdout).to.contain('pod default/worker no longer exists\n');
      expect(worker.stdout).to.contain(
        'taint.eviction at 2025-01-01T00:00:00Z (+0s): evict after 60s\n  about: pod default/worker on node m1\n',
      );
      expect(worker.stdout).to.match(
        /\n {2}facts:\n {4}untoleratedTaint = null\n {4}minTolerationSeconds = 60\n/,
      );
      expect(worker.stdout).to.match(
        /TaintManagerEviction +Pod\/worker +Marking for deletion Pod default\/worker/,
      );
    });

    it('answers as the API server does for an unknown pod', async () => {
      const run = await kubespec(['explain', 'pod/nope', `${FIXTURES}/cluster.yaml`]);
      expect(expectRefusal(run)).to.deep.equal(['Error from server (NotFound): pods "nope" not found']);
    });
  });

  describe('rules', () => {
    it('check passes the shipped rules and an override directory', async () => {
      const run = await kubespec(['rules', 'check', 'rules', `${FIXTURES}/bin-packing`]);
      expect(run.code, run.stderr).to.equal(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).to.match(/^ok: \d+ rule sets, \d+ rules in rules$/);
      expect(lines[1]).to.equal(`ok: 1 rule set, 1 rule in ${FIXTURES}/bin-packing`);
    });

    it('check reports each problem as file:line: field: message and fails', async () => {
      const run = await kubespec(['rules', 'check', `${FIXTURES}/bad-rules`]);
      expect(expectRefusal(run)[0]).to.match(
        /^test\/fixtures\/cli\/bad-rules\/scheduling\.filter\/broken\.yaml:11: spec\.rules\[0\]\.conditions\.all\[0\]\.fact: unknown fact "nodeColour"/,
      );
    });

    it('describe lists every decision point with its facts and events; --describe is the same', async () => {
      const [describe, alias, one] = await Promise.all([
        kubespec(['rules', 'describe']),
        kubespec(['rules', '--describe']),
        kubespec(['rules', 'describe', 'taint.eviction']),
      ]);
      expect(describe.code, describe.stderr).to.equal(0);
      expect(alias.stdout).to.equal(describe.stdout);
      for (const point of DECISION_POINTS.values()) {
        expect(describe.stdout).to.match(new RegExp(`^${point.name.replace('.', '\\.')}\n  asked by `, 'm'));
        for (const fact of Object.keys(point.facts))
          expect(describe.stdout).to.match(new RegExp(`^ {4}${fact}\\b`, 'm'));
        for (const event of Object.keys(point.events))
          expect(describe.stdout).to.match(new RegExp(`^ {4}${event} params `, 'm'));
      }
      expect(describe.stdout).to.contain(
        '    untoleratedTaint params {effects: (NoSchedule|PreferNoSchedule|NoExecute)[]}\n',
      );
      expect(describe.stdout).to.contain('    evict params {after: integer ≥ 0}\n');
      expect(one.stdout).to.match(/^taint\.eviction\n/);
      expect(one.stdout).not.to.contain('scheduling.filter');
    });
  });

  it('--version names kubespec and the Kubernetes version simulated by default', async () => {
    const run = await kubespec(['--version']);
    expect(run.stdout).to.equal(
      'kubespec 0.1.0 (simulates Kubernetes v1.35 by default; v1.33 and later supported)\n',
    );
  });
});
