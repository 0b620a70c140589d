// Pod addresses from each node's podCIDR, handed out in order as the host-local IPAM plugin does
// (.1 is the node's bridge, so pods start at .2), never two at once.

export class PodIPAllocator {
  private readonly used = new Map<string, Set<string>>();
  private readonly cursor = new Map<string, number>();

  allocate(node: string, podCIDR: string): string {
    const [base, bits] = podCIDR.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = ipToNumber(base);
    const used = this.used.get(node) ?? new Set<string>();
    this.used.set(node, used);
    let offset = this.cursor.get(node) ?? 1;
    for (let tries = 0; tries < size; tries++) {
      offset = offset + 1 >= size - 1 ? 2 : offset + 1;
      const ip = numberToIp(start + offset);
      if (!used.has(ip)) {
        used.add(ip);
        this.cursor.set(node, offset);
        return ip;
      }
    }
    throw new Error(`no pod IPs left in ${podCIDR} on node ${node}`);
  }

  release(node: string | undefined, ip: string | undefined): void {
    if (node && ip) this.used.get(node)?.delete(ip);
  }
}

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
