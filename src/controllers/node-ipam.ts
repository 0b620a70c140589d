// kube-controller-manager's node IPAM: each node gets a /24 of the cluster CIDR for its pods
// (k8s:pkg/controller/nodeipam/ipam/range_allocator.go; kubeadm's --pod-network-cidr, node-cidr-mask-size
// 24). When the range is used up the node gets none and a CIDRNotAvailable event, as in a real cluster.
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import type { Store } from '../api/store';
import { ipToNumber, numberToIp } from '../node/pod-ips';
import type { Controller, ReconcileLoop } from '../sim/loop';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';

export class NodeIpamController implements Controller {
  readonly name = 'node-ipam';
  private next = 0;
  private readonly freed: number[] = [];
  private readonly byNode = new Map<string, number>();
  private readonly base: number;
  private readonly subnets: number;

  constructor(
    private readonly store: Store,
    loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    clusterCIDR: string,
    private readonly onAssigned: (node: string) => void,
  ) {
    const [ip, bits] = clusterCIDR.split('/');
    this.base = ipToNumber(ip);
    this.subnets = 2 ** Math.max(0, 24 - Number(bits));
    store.watch('Node', (type, obj) => {
      const name = obj.metadata.name as string;
      if (type === 'DELETED') {
        const index = this.byNode.get(name);
        if (index !== undefined) this.freed.push(index);
        this.byNode.delete(name);
      } else if (type === 'ADDED' && !(obj as NodeObject).spec?.podCIDR) loop.enqueue(this, name);
    });
  }

  async reconcile(name: string): Promise<void> {
    const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
    if (!node || node.spec?.podCIDR || this.byNode.has(name)) return;
    const index = this.freed.shift() ?? (this.next < this.subnets ? this.next++ : undefined);
    if (index === undefined) {
      this.recorder.record(
        node,
        'Normal',
        'CIDRNotAvailable',
        `Node ${name} status is now: CIDRNotAvailable`,
        {
          component: 'cidrAllocator',
        },
      );
      return;
    }
    this.byNode.set(name, index);
    const cidr = `${numberToIp(this.base + index * 256)}/24`;
    this.store.mutate<NodeObject>('Node', undefined, name, (n) => {
      n.spec = { ...(n.spec ?? {}), podCIDR: cidr, podCIDRs: [cidr] };
    });
    this.onAssigned(name);
  }
}
