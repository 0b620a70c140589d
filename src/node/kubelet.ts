// The kubelets of all nodes, reduced to what the scheduling and taint behaviours need: a pod bound to a
// node starts at once (Running, Ready, a pod IP from the node's range), and a pod being deleted stops at
// once and is removed (k8s:pkg/kubelet/kubelet.go syncPod / status_manager.go; the full lifecycle with
// grace periods, restarts and probes is a later layer).
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import { PodIPAllocator } from './pod-ips';

export class Kubelets implements Controller {
  readonly name = 'kubelet';
  private readonly ips = new PodIPAllocator();
  /** The pods bound to each node, so that a node getting its pod range wakes only its own pods. */
  private readonly podsByNode = new Map<string, Set<string>>();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
  ) {
    store.watch('Pod', (type, obj) => {
      const pod = obj as PodObject;
      const node = pod.spec?.nodeName;
      if (!node) return;
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (type === 'DELETED') {
        this.ips.release(node, pod.status?.podIP);
        this.podsByNode.get(node)?.delete(key);
        return;
      }
      let keys = this.podsByNode.get(node);
      if (!keys) {
        keys = new Set();
        this.podsByNode.set(node, keys);
      }
      keys.add(key);
      this.loop.enqueue(this, key);
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return;
    const node = this.store.get('Node', undefined, nodeName) as NodeObject | undefined;
    if (pod.metadata.deletionTimestamp) {
      // Containers stop at once when asked; the kubelet then removes the pod from the API.
      this.store.remove('Pod', namespace, name);
      return;
    }
    if (!node || pod.status?.phase !== 'Pending') return;
    const podCIDR = node.spec?.podCIDR;
    if (!podCIDR) return; // the node has no pod range yet; node-ipam will assign one and wake us
    this.start(pod, node, podCIDR);
  }

  /** A node got its pod range: start the pods that were waiting for it. */
  nodeReady(nodeName: string): void {
    for (const key of this.podsByNode.get(nodeName) ?? []) this.loop.enqueue(this, key);
  }

  private start(pod: PodObject, node: NodeObject, podCIDR: string): void {
    const now = this.store.clock.timestamp();
    const ip = this.ips.allocate(node.metadata.name as string, podCIDR);
    const hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const condition = (type: string): PodCondition => ({
      type,
      status: 'True',
      lastProbeTime: null as unknown as string,
      lastTransitionTime: now,
    });
    this.store.mutate<PodObject>('Pod', pod.metadata.namespace, pod.metadata.name as string, (p) => {
      const status = p.status ?? {};
      const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
      status.phase = 'Running';
      status.hostIP = hostIP;
      status.hostIPs = hostIP ? [{ ip: hostIP }] : undefined;
      status.podIP = ip;
      status.podIPs = [{ ip }];
      status.startTime = now;
      status.conditions = [
        condition('PodReadyToStartContainers'),
        condition('Initialized'),
        condition('Ready'),
        condition('ContainersReady'),
        ...(scheduled ? [scheduled] : [condition('PodScheduled')]),
      ];
      status.containerStatuses = (p.spec?.containers ?? []).map(
        (c, i): ContainerStatus => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          containerID: `containerd://${(p.metadata.uid ?? '').replace(/-/g, '')}${i}`,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        }),
      );
      p.status = status;
    });
  }
}
