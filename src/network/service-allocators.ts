// The API server's allocators for Services: ClusterIPs from the service CIDR (k8s:pkg/registry/core/service/
// ipallocator/ipallocator.go, the IPAddress-backed allocator that MultiCIDRServiceAllocator, GA and on by
// default since v1.33, puts behind cidrallocator.go) and NodePorts from --service-node-port-range
// (k8s:pkg/registry/core/service/portallocator/allocator.go). Errors carry the Go error text, which the
// service registry wraps into the API server's message.
import { ipToNumber, numberToIp } from '../node/pod-ips';
import { BandedRange, type RandomStream, rangeOffset } from './range-allocator';

/** kubeadm's default service subnet (k8s:cmd/kubeadm/app/apis/kubeadm/v1beta4/defaults.go DefaultServicesSubnet). */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** --service-node-port-range default (k8s:pkg/kubeapiserver/options DefaultServiceNodePortRange). */
export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 };

/** An allocator's refusal; `message` is the Go error's text. */
export class AllocationError extends Error {
  override name = 'AllocationError';
}

// k8s:pkg/registry/core/service/ipallocator/interfaces.go and portallocator/allocator.go
const RANGE_FULL = 'range is full';
const IP_ALLOCATED = 'provided IP is already allocated';
// cidrallocator.go getAllocator: an address outside every ServiceCIDR (its network and broadcast addresses
// included, k8s:pkg/api/servicecidr PrefixContainsIP) has no allocator at all.
const IP_MISMATCHED = 'the provided network does not match the current range';
const PORT_ALLOCATED = 'provided port is already allocated';

export class ServiceIPAllocator<Owner> {
  private readonly network: number;
  private readonly first: number;
  private readonly range: BandedRange<Owner>;

  constructor(
    readonly cidr: string,
    random: RandomStream,
    isHeld: (owner: Owner, ip: string) => boolean,
  ) {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
    const bits = m ? Number(m[2]) : Number.NaN;
    if (!m || bits > 30 || m[1].split('.').some((o) => Number(o) > 255)) {
      throw new Error(`invalid service CIDR "${cidr}": expected an IPv4 CIDR with a prefix of at most /30`);
    }
    const total = 2 ** (32 - bits);
    this.network = ipToNumber(m[1]) - (ipToNumber(m[1]) % total);
    // The network and broadcast addresses are never handed out.
    this.first = this.network + 1;
    this.range = new BandedRange(total - 2, rangeOffset(total, 16, 256, 16), random, (owner, offset) =>
      isHeld(owner, numberToIp(this.first + offset)),
    );
  }

  /** The first usable address, where the API server puts the `kubernetes` Service. */
  firstAddress(): string {
    return numberToIp(this.first);
  }

  has(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset !== undefined && this.range.has(offset);
  }

  /** Reserves an address the user asked for. */
  allocate(ip: string, owner: Owner): void {
    const offset = this.offsetOf(ip);
    if (offset === undefined) throw new AllocationError(IP_MISMATCHED);
    if (!this.range.take(offset, owner)) throw new AllocationError(IP_ALLOCATED);
  }

  allocateNext(owner: Owner): string {
    const offset = this.range.takeNext(owner);
    if (offset === undefined) throw new AllocationError(RANGE_FULL);
    return numberToIp(this.first + offset);
  }

  private offsetOf(ip: string): number | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return undefined;
    const offset = ipToNumber(ip) - this.first;
    return offset >= 0 && offset < this.range.size ? offset : undefined;
  }
}

export class NodePortAllocator<Owner> {
  private readonly range: BandedRange<Owner>;

  constructor(
    readonly base: number,
    size: number,
    random: RandomStream,
    isHeld: (owner: Owner, port: number) => boolean,
  ) {
    this.range = new BandedRange(size, rangeOffset(size, 16, 128, 32), random, (owner, offset) =>
      isHeld(owner, base + offset),
    );
  }

  /** net.PortRange.String(): `30000-32767`. */
  get rangeText(): string {
    return `${this.base}-${this.base + this.range.size - 1}`;
  }

  has(port: number): boolean {
    return this.contains(port) && this.range.has(port - this.base);
  }

  allocate(port: number, owner: Owner): void {
    if (!this.contains(port)) {
      throw new AllocationError(
        `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`,
      );
    }
    if (!this.range.take(port - this.base, owner)) throw new AllocationError(PORT_ALLOCATED);
  }

  allocateNext(owner: Owner): number {
    const offset = this.range.takeNext(owner);
    if (offset === undefined) throw new AllocationError(RANGE_FULL);
    return this.base + offset;
  }

  private contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.range.size;
  }
}
