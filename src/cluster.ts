// The simulated cluster as one object: the API server and its store, the controllers, the scheduler and the
// kubelets, wired to one reconcile loop on a virtual clock, and the policy (rule files) they consult. Steps,
// the command line and the benchmark all drive the cluster through this facade.
import type { Taint } from 'kubernetes-types/core/v1';
import type { AdmissionContext } from './api/admission-rules';
import { ApiServer, type DeleteOptions, invalid } from './api/apiserver';
import { CreationLog } from './api/creation-log';
import { registerDaemonSetApi } from './api/daemonsets';
import { registerPodDisruptionBudgetApi } from './api/disruption-budgets';
import { EventRecorder } from './api/events';
import { EvictionApi } from './api/eviction';
import { registerHorizontalPodAutoscalerApi } from './api/horizontal-pod-autoscalers';
import { registerJobApi } from './api/jobs';
import { kindInfo, knownKinds } from './api/kinds';
import { registerLimitRanger } from './api/limit-ranger';
import { registerLimitRangeApi } from './api/limit-ranges';
import { ManifestError, type ManifestProblem, parseManifests, problemFromApiError } from './api/manifests';
import { type NodeObject, registerNodeApi } from './api/nodes';
import type { KubeObject } from './api/object';
import { registerPodSecurityAdmission } from './api/pod-security/admission';
import { type PodObject, registerPodApi, SYSTEM_PRIORITY_CLASSES } from './api/pods';
import { registerResourceQuotaAdmission } from './api/quota-admission';
import { registerReplicaSetApi } from './api/replica-sets';
import { registerResourceQuotaApi } from './api/resource-quotas';
import { registerServiceAccountAdmission } from './api/service-accounts';
import { registerStatefulSetApi } from './api/statefulsets';
import { ApiError, Store } from './api/store';
import { formatTaint, parseTaintRemoval, parseTaintSpec } from './api/taints';
import { registerVolumeApi } from './api/volumes';
import { ControlledObjects } from './controllers/controlled-objects';
import type { RevisionObject } from './controllers/controller-history';
import { DaemonSetController } from './controllers/daemonset';
import { DeploymentController } from './controllers/deployment';
import { DisruptionController } from './controllers/disruption';
import { GarbageCollector } from './controllers/garbage-collector';
import { HorizontalPodAutoscalerController } from './controllers/horizontal-pod-autoscaler';
import { JobController } from './controllers/job';
import { NamespaceController } from './controllers/namespace';
import { DEFAULT_CLUSTER_CIDR, NodeIpamController } from './controllers/node-ipam';
import { NodeLifecycleController } from './controllers/node-lifecycle';
import { PersistentVolumeController } from './controllers/persistent-volume';
import { PodGarbageCollector } from './controllers/pod-gc';
import { ReplicaSetController } from './controllers/replica-set';
import { ResourceQuotaController } from './controllers/resource-quota';
import { ServiceAccountController } from './controllers/service-account';
import { StatefulSetController } from './controllers/statefulset';
import { TaintEvictionController } from './controllers/taint-eviction';
import { TTLAfterFinishedController } from './controllers/ttl-after-finished';
import { VolumeProvisioners } from './controllers/volume-provisioner';
import { DECISION_POINTS } from './decision-points';
import { ClusterNetwork } from './network/cluster-network';
import { EvictionManagers } from './node/eviction-manager';
import { Kubelets } from './node/kubelet';
import { validateWorkloadAnnotations } from './node/workload';
import type { Evaluator } from './rules/evaluate';
import { Policy } from './rules/policy';
import type { EngineKind } from './rules/types';
import { SchedulingPolicy } from './scheduler/framework';
import { Scheduler } from './scheduler/scheduler';
import { VirtualClock } from './sim/clock';
import { ReconcileLoop } from './sim/loop';
import { SeededRandom } from './sim/random';
import { DecisionTrace } from './sim/trace';
import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion, parseKubernetesVersion } from './sim/version';

export interface ClusterOptions {
  rulesDirs?: readonly string[];
  engine?: EngineKind;
  seed?: number;
  kubernetesVersion?: string;
  /** Record the decision trace (on for scenarios, off for large simulations). */
  trace?: boolean;
  percentageOfNodesToScore?: number;
  clusterCIDR?: string;
  /** The Service network (kubeadm's default 10.96.0.0/12); the `kubernetes` Service gets its first address. */
  serviceCIDR?: string;
  /** For the benchmark: evaluators that replace the rules of some decision points (the TypeScript baseline). */
  evaluators?: Readonly<Record<string, Evaluator>>;
  /** For the benchmark's ablation: evaluate the scheduling rules per pair instead of once per class. */
  cacheByClass?: boolean;
  /** For the benchmark: told the wall-clock duration of every scheduling attempt. */
  observeSchedulingAttempt?: (pod: string, milliseconds: number) => void;
}

// Rule files are read and checked once per process and set of directories: a feature suite creates a
// cluster per scenario, and loading is the costliest part of it.
const policies = new Map<string, Policy>();

function loadPolicy(options: ClusterOptions): Policy {
  const key = JSON.stringify([options.rulesDirs ?? null, options.engine ?? 'compiled']);
  let policy = policies.get(key);
  if (!policy) {
    policy = Policy.load(DECISION_POINTS, { rulesDirs: options.rulesDirs, engine: options.engine });
    policies.set(key, policy);
  }
  return policy;
}

const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export class Cluster {
  readonly clock = new VirtualClock();
  readonly random: SeededRandom;
  readonly store: Store;
  readonly api: ApiServer;
  readonly recorder: EventRecorder;
  /** In which order objects were created, even at the same instant. */
  readonly creations: CreationLog;
  readonly loop: ReconcileLoop;
  readonly trace: DecisionTrace;
  readonly version: KubernetesVersion;
  /** Services: their API and allocators, endpoints, kube-proxy and cluster DNS. */
  readonly network: ClusterNetwork;
  /** The pods/eviction subresource (`kubectl drain` and `When I evict pod …` use it). */
  readonly evictions: EvictionApi;
  /** The warnings the API server sent back to the last client command (`Warning: …` lines of kubectl). */
  lastWarnings: string[] = [];
  private policyInForce: Policy;
  /** The last state of deleted objects: a preempted or evicted pod is gone by the time a scenario looks. */
  private readonly tombstones = new Map<string, KubeObject>();
  private schedulingPolicy: SchedulingPolicy;
  private readonly kubelets: Kubelets;
  private readonly nodeLifecycle: NodeLifecycleController;
  private readonly serviceAccounts: ServiceAccountController;

  private constructor(
    private readonly options: ClusterOptions,
    policy: Policy,
  ) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.version = parseKubernetesVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    this.store = new Store(this.clock, this.random);
    this.api = new ApiServer(this.store);
    this.recorder = new EventRecorder(this.store);
    this.creations = new CreationLog(this.store);
    this.trace = new DecisionTrace(options.trace ?? true);
    this.loop = new ReconcileLoop(
      this.clock,
      () => 1000 + 50 * (this.store.count('Pod') + this.store.count('Node')),
    );
    this.policyInForce = policy;
    this.schedulingPolicy = this.buildSchedulingPolicy();

    this.store.watchAll((type, obj) => {
      if (type === 'DELETED' && obj.kind !== 'Event') {
        this.tombstones.set(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
      }
    });
    this.serviceAccounts = new ServiceAccountController(this.store, this.api, this.loop);
    // kube-apiserver runs the ServiceAccount admission plugin before Priority.
    registerServiceAccountAdmission(this.api, this.store, (ns) => this.serviceAccounts.ensureDefault(ns));
    registerPodApi(this.api, this.store);
    registerNodeApi(this.api, () => this.version.gitVersion);
    registerVolumeApi(this.api, this.store);
    registerStatefulSetApi(this.api, () => this.version);
    registerDaemonSetApi(this.api, () => this.version);
    registerJobApi(this.api, () => this.version);
    registerReplicaSetApi(this.api, () => this.version);
    registerHorizontalPodAutoscalerApi(this.api);
    registerPodDisruptionBudgetApi(this.api, () => this.version);
    registerResourceQuotaApi(this.api);
    registerLimitRangeApi(this.api);
    // kube-apiserver's plugin order: LimitRanger, PodSecurity, then ResourceQuota last of all.
    registerLimitRanger(this.api, this.store);
    registerPodSecurityAdmission(this.api, this.store, () => this.version.minor);
    registerResourceQuotaAdmission(this.api, this.store);
    this.evictions = new EvictionApi(this.store, this.api);
    this.api.addAdmission('Pod', (obj) => this.admitByRules(obj));
    this.api.addValidator('Pod', (obj) => validateWorkloadAnnotations(obj as PodObject));

    const kubelets = new Kubelets(
      this.store,
      this.loop,
      this.recorder,
      () => this.version,
      () => this.policyInForce.evaluator('kubelet.restart'),
      this.trace,
    );
    this.kubelets = kubelets;
    new EvictionManagers(
      this.store,
      this.loop,
      this.recorder,
      kubelets,
      () => this.policyInForce.evaluator('kubelet.eviction'),
      () => this.version,
      this.trace,
    );
    new NodeIpamController(
      this.store,
      this.loop,
      this.recorder,
      options.clusterCIDR ?? DEFAULT_CLUSTER_CIDR,
      (node) => kubelets.nodeReady(node),
    );
    this.nodeLifecycle = new NodeLifecycleController(
      this.store,
      this.loop,
      this.recorder,
      () => this.policyInForce.evaluator('node.conditions'),
      () => this.version,
      kubelets,
      this.trace,
    );
    new Scheduler(
      this.store,
      this.loop,
      this.recorder,
      () => this.schedulingPolicy,
      this.random,
      this.trace,
      {
        percentageOfNodesToScore: options.percentageOfNodesToScore ?? 0,
        observeAttempt: options.observeSchedulingAttempt,
      },
      (victim, preemptor, node) =>
        this.preemptPod(
          victim,
          preemptor.pod.spec?.schedulerName ?? 'default-scheduler',
          preemptor.uid,
          node,
        ),
    );
    new NamespaceController(this.store, this.api, this.loop);
    new PersistentVolumeController(this.store, this.api, this.loop, this.recorder);
    new VolumeProvisioners(this.store, this.api, this.loop, this.recorder);
    new TaintEvictionController(
      this.store,
      this.loop,
      this.recorder,
      () => this.policyInForce.evaluator('taint.eviction'),
      this.trace,
      (pod) => this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name as string),
    );
    // The workload controllers share one index of pods and one of ControllerRevisions by controller.
    const pods = new ControlledObjects<PodObject>(this.store, 'Pod');
    const revisions = new ControlledObjects<RevisionObject>(this.store, 'ControllerRevision');
    new StatefulSetController(this.store, this.api, this.loop, this.recorder, pods, revisions);
    new DaemonSetController(this.store, this.api, this.loop, this.recorder, pods, revisions);
    new JobController(
      this.store,
      this.api,
      this.loop,
      this.recorder,
      () => this.policyInForce.evaluator('job.failure'),
      this.trace,
      pods,
    );
    new TTLAfterFinishedController(this.store, this.api, this.loop);
    new ResourceQuotaController(this.store, this.loop);
    const workloads = {
      store: this.store,
      api: this.api,
      loop: this.loop,
      recorder: this.recorder,
      pods,
      trace: this.trace,
      version: () => this.version,
    };
    const scaleDownRules = () => this.policyInForce.evaluator('replicaset.scale-down');
    new ReplicaSetController('ReplicaSet', { ...workloads, scaleDownRules });
    new ReplicaSetController('ReplicationController', { ...workloads, scaleDownRules });
    new DeploymentController({
      ...workloads,
      rolloutRules: () => this.policyInForce.evaluator('deployment.rollout'),
    });
    new DisruptionController(this.store, this.loop, this.recorder);
    new HorizontalPodAutoscalerController(this.store, this.api, this.loop, this.recorder);
    new GarbageCollector(this.store, this.api, this.loop);
    new PodGarbageCollector(this.store, this.api, this.loop);
    this.network = new ClusterNetwork({
      store: this.store,
      api: this.api,
      loop: this.loop,
      recorder: this.recorder,
      trace: this.trace,
      random: this.random,
      version: () => this.version,
      endpointRules: () => this.policyInForce.evaluator('service.endpoints'),
      serviceCIDR: options.serviceCIDR,
    });
  }

  static async create(options: ClusterOptions = {}): Promise<Cluster> {
    const policy = loadPolicy(options);
    const cluster = new Cluster(options, policy);
    for (const name of INITIAL_NAMESPACES) {
      await cluster.api.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
      // A cluster's ServiceAccount controller has long given its namespaces their default account.
      await cluster.serviceAccounts.ensureDefault(name);
    }
    for (const pc of SYSTEM_PRIORITY_CLASSES)
      await cluster.api.create(structuredClone(pc) as unknown as KubeObject);
    await cluster.network.bootstrap();
    return cluster;
  }

  /** How many times the scheduling rules were actually evaluated (answers not taken from the class cache). */
  schedulingRuleEvaluations(): number {
    return this.schedulingPolicy.evaluations;
  }

  get policy(): Policy {
    return this.policyInForce;
  }

  /** Layers rule sets given as text over the policy in force; later decisions follow them. */
  useRuleText(text: string, label: string): void {
    this.policyInForce = this.policyInForce.withRuleText(text, label);
    this.schedulingPolicy = this.buildSchedulingPolicy();
  }

  // ---- input -----------------------------------------------------------------------------------

  /**
   * Applies a multi-document manifest file all or nothing: every document is checked and applied in order;
   * if any is refused, none stays applied and every problem is reported (ManifestError).
   */
  async applyManifests(text: string, file: string): Promise<KubeObject[]> {
    const manifests = parseManifests(text, file);
    const problems: ManifestProblem[] = [];
    const applied: KubeObject[] = [];
    this.lastWarnings = [];
    await this.api.asClient(this.lastWarnings, () => this.applyAll(manifests, problems, applied));
    return applied;
  }

  /** Runs one client command (`kubectl label …`), keeping the warnings the API server answers with. */
  async asClient<T>(requests: () => Promise<T>): Promise<T> {
    this.lastWarnings = [];
    return this.api.asClient(this.lastWarnings, requests);
  }

  private async applyAll(
    manifests: ReturnType<typeof parseManifests>,
    problems: ManifestProblem[],
    applied: KubeObject[],
  ): Promise<void> {
    await this.store.transaction(async () => {
      for (const m of manifests) {
        try {
          applied.push(await this.api.apply(structuredClone(m.object)));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          problems.push(problemFromApiError(m, error));
        }
      }
      if (problems.length > 0) throw new ManifestError(problems);
    });
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    return this.api.create(obj);
  }

  async delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<void> {
    // kubectl delete sends propagationPolicy Background unless told --cascade=foreground|orphan.
    await this.api.delete(kind, namespace, name, { propagationPolicy: 'Background', ...options });
  }

  async taintNode(name: string, spec: string): Promise<void> {
    const taint = parseTaintSpec(spec);
    this.mutateNode(name, (node) => {
      const taints = (node.spec?.taints ?? []).filter(
        (t) => !(t.key === taint.key && t.effect === taint.effect),
      );
      const added: Taint = { ...taint };
      if (taint.effect === 'NoExecute') added.timeAdded = this.clock.timestamp();
      node.spec = { ...(node.spec ?? {}), taints: [...taints, added] };
    });
  }

  /** `kubectl taint node n1 key:Effect-` (or `key-` for every effect). */
  async untaintNode(name: string, spec: string): Promise<void> {
    const { key, effect } = parseTaintRemoval(spec);
    this.mutateNode(name, (node) => {
      const taints = node.spec?.taints ?? [];
      const kept = taints.filter((t) => !(t.key === key && (!effect || t.effect === effect)));
      if (kept.length === taints.length) {
        throw new ApiError('NotFound', `taint "${spec}" not found on node ${name}`);
      }
      node.spec = { ...(node.spec ?? {}), taints: kept.length > 0 ? kept : undefined };
    });
  }

  async setUnschedulable(name: string, unschedulable: boolean): Promise<void> {
    this.mutateNode(name, (node) => {
      node.spec = { ...(node.spec ?? {}), unschedulable: unschedulable || undefined };
    });
  }

  /** The node's kubelet stops reaching the API server (powered off, partitioned). */
  stopNode(name: string): void {
    this.requireNode(name);
    this.kubelets.stopResponding(name);
    this.nodeLifecycle.healthChanged(name);
  }

  /** The node's kubelet reaches the API server again. */
  resumeNode(name: string): void {
    this.requireNode(name);
    this.kubelets.resumeResponding(name);
    this.nodeLifecycle.healthChanged(name);
  }

  /** The node's kubelet reports Ready=False (its container runtime's network is not ready), or Ready again. */
  setNodeReady(name: string, ready: boolean): void {
    this.requireNode(name);
    this.kubelets.postReady(name, ready);
  }

  /** `kubectl annotate --overwrite`: how the simulated workload of a pod, or a node's system, behaves from now on. */
  async annotate(
    kind: 'Pod' | 'Node',
    namespace: string | undefined,
    name: string,
    key: string,
    value: string,
  ): Promise<void> {
    const ns = kind === 'Pod' ? (namespace ?? 'default') : undefined;
    const current = this.store.get(kind, ns, name);
    if (!current) throw new ApiError('NotFound', `${kind === 'Pod' ? 'pods' : 'nodes'} "${name}" not found`);
    const next = structuredClone(current);
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [key]: value };
    if (kind === 'Pod') {
      const errors = validateWorkloadAnnotations(next as PodObject);
      if (errors.length > 0) throw invalid(next, errors);
    }
    this.store.update(next);
  }

  private requireNode(name: string): void {
    if (!this.store.get('Node', undefined, name)) throw new ApiError('NotFound', `nodes "${name}" not found`);
  }

  private mutateNode(name: string, change: (node: NodeObject) => void): void {
    if (!this.store.get('Node', undefined, name)) throw new ApiError('NotFound', `nodes "${name}" not found`);
    this.store.mutate<NodeObject>('Node', undefined, name, change);
  }

  // ---- time ------------------------------------------------------------------------------------

  async reconcile(): Promise<void> {
    await this.loop.runUntilQuiet();
  }

  async advance(ms: number): Promise<void> {
    await this.loop.advance(ms);
  }

  // ---- reading ---------------------------------------------------------------------------------

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = kindInfo(kind);
    return this.store.get(kind, info?.namespaced ? (namespace ?? 'default') : undefined, name);
  }

  /** The object as it is, or as it was when it was deleted. */
  lastKnown(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const ns = kindInfo(kind)?.namespaced ? (namespace ?? 'default') : undefined;
    return this.get(kind, ns, name) ?? this.tombstones.get(`${kind}/${ns ?? ''}/${name}`);
  }

  pods(): PodObject[] {
    return this.store.list('Pod') as PodObject[];
  }

  nodes(): NodeObject[] {
    return this.store.list('Node') as NodeObject[];
  }

  /** Every object, kind by kind in the API server's order, events last. */
  allObjects(): KubeObject[] {
    const kinds = knownKinds()
      .map((k) => k.kind)
      .filter((k) => k !== 'Event');
    return [...kinds, 'Event'].flatMap((k) => this.store.list(k));
  }

  // ---- wiring ----------------------------------------------------------------------------------

  private buildSchedulingPolicy(): SchedulingPolicy {
    const evaluator = (point: string) =>
      this.options.evaluators?.[point] ?? this.policyInForce.evaluator(point);
    return new SchedulingPolicy(
      evaluator('scheduling.filter'),
      evaluator('scheduling.score'),
      this.version,
      this.options.cacheByClass ?? true,
    );
  }

  private async admitByRules(obj: KubeObject): Promise<void> {
    const context: AdmissionContext = { object: obj };
    const decision = await this.policyInForce.evaluator('admission').evaluate(context);
    const added: string[] = [];
    for (const e of decision.events) {
      if (e.type !== 'addToleration') continue;
      const spec = (obj.spec ?? {}) as { tolerations?: Record<string, unknown>[] };
      spec.tolerations = [...(spec.tolerations ?? []), { ...e.params }];
      obj.spec = spec;
      added.push(formatTaint({ key: String(e.params.key), effect: String(e.params.effect) }));
    }
    if (decision.events.length > 0) {
      this.trace.add({
        kind: 'decision',
        time: this.clock.now(),
        subject: `pod ${obj.metadata.namespace}/${obj.metadata.name ?? obj.metadata.generateName}`,
        decision,
        outcome: `tolerations added for ${added.join(', ')}`,
      });
    }
  }

  // DefaultPreemption's PreemptPod: mark the victim, delete it gracefully, and tell it why.
  private async preemptPod(
    victim: PodObject,
    schedulerName: string,
    preemptorUid: string,
    node: string,
  ): Promise<void> {
    const marked = this.store.mutate<PodObject>(
      'Pod',
      victim.metadata.namespace,
      victim.metadata.name as string,
      (p) => {
        const conditions = (p.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        conditions.push({
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'PreemptionByScheduler',
          message: `${schedulerName}: preempting to accommodate a higher priority pod`,
          lastTransitionTime: this.clock.timestamp(),
        });
        p.status = { ...(p.status ?? {}), conditions };
      },
    );
    if (!marked) return;
    await this.api.delete('Pod', victim.metadata.namespace, victim.metadata.name as string);
    this.recorder.record(marked, 'Normal', 'Preempted', `Preempted by pod ${preemptorUid} on node ${node}`, {
      component: schedulerName,
    });
  }
}
