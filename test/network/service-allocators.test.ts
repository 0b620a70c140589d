import { expect } from 'chai';
import fc from 'fast-check';
import { RandomStream, rangeOffset } from '../../src/network/range-allocator';
import {
  AllocationError,
  DEFAULT_NODE_PORT_RANGE,
  NodePortAllocator,
  ServiceIPAllocator,
} from '../../src/network/service-allocators';

/** Owners hold what they were given until the test deletes them, like stored Services. */
class Holders<V> {
  private readonly gone = new Set<string>();
  readonly isHeld = (owner: string, _value: V) => !this.gone.has(owner);
  delete(owner: string): void {
    this.gone.add(owner);
  }
}

function ipAllocator(cidr: string, seed = 1) {
  const holders = new Holders<string>();
  return { holders, ips: new ServiceIPAllocator(cidr, new RandomStream(seed, 1), holders.isHeld) };
}

function portAllocator(base: number, size: number, seed = 1) {
  const holders = new Holders<number>();
  return { holders, ports: new NodePortAllocator(base, size, new RandomStream(seed, 2), holders.isHeld) };
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AllocationError);
    return (error as Error).message;
  }
  throw new Error('expected an AllocationError');
}

describe('ClusterIP allocation', () => {
  // k8s:pkg/registry/core/service/ipallocator/ipallocator_test.go TestAllocateIPAllocator, case IPv4.
  it('hands out every address of 192.168.1.0/24 once, then says the range is full', () => {
    const { ips, holders } = ipAllocator('192.168.1.0/24');
    const owners = new Map<string, string>();
    for (let i = 0; i < 254; i++) {
      const ip = ips.allocateNext(`svc-${i}`);
      expect(owners.has(ip), `${ip} handed out twice`).to.equal(false);
      owners.set(ip, `svc-${i}`);
    }
    expect(owners.has('192.168.1.0') || owners.has('192.168.1.255')).to.equal(false);
    expect(message(() => ips.allocateNext('one-more'))).to.equal('range is full');

    holders.delete(owners.get('192.168.1.5') as string);
    expect(ips.allocateNext('new-owner')).to.equal('192.168.1.5');

    holders.delete('new-owner');
    for (const outOfRange of ['192.168.0.1', '192.168.1.0', '192.168.1.255', '192.168.2.2']) {
      expect(message(() => ips.allocate(outOfRange, 'x'))).to.equal(
        'the provided network does not match the current range',
      );
    }
    expect(message(() => ips.allocate('192.168.1.1', 'x'))).to.equal('provided IP is already allocated');
    ips.allocate('192.168.1.5', 'x');
    expect(ips.has('192.168.1.5')).to.equal(true);
  });

  // TestAllocateReservedIPAllocator: a /25 keeps its first 16 addresses for static allocation.
  it('fills the upper band first and uses the lower band only when the upper is full', () => {
    const { ips } = ipAllocator('192.168.1.0/25');
    const dynamic = 126 - 16;
    for (let i = 0; i < dynamic; i++) ips.allocateNext(`d${i}`);
    for (let i = 16; i < 126; i++) expect(ips.has(`192.168.1.${i + 1}`), `192.168.1.${i + 1}`).to.equal(true);
    for (let i = 0; i < 16; i++) expect(ips.has(`192.168.1.${i + 1}`)).to.equal(false);
    for (let i = 0; i < 16; i++) ips.allocate(`192.168.1.${i + 1}`, `s${i}`);
    expect(message(() => ips.allocateNext('more'))).to.equal('range is full');
  });

  it('falls back to the lower band when the upper band is taken', () => {
    const { ips } = ipAllocator('192.168.1.0/25');
    for (let i = 17; i <= 126; i++) ips.allocate(`192.168.1.${i}`, `s${i}`);
    const ip = ips.allocateNext('d');
    const last = Number(ip.split('.')[3]);
    expect(last).to.be.within(1, 16);
  });

  // TestAllocateSmallIPAllocator
  it('has two addresses in a /30 and stays full', () => {
    const { ips } = ipAllocator('192.168.1.240/30');
    const found = [ips.allocateNext('a'), ips.allocateNext('b')];
    expect(new Set(found)).to.deep.equal(new Set(['192.168.1.241', '192.168.1.242']));
    for (const ip of found)
      expect(message(() => ips.allocate(ip, 'c'))).to.equal('provided IP is already allocated');
    for (let i = 0; i < 100; i++) expect(message(() => ips.allocateNext('d'))).to.equal('range is full');
  });

  it('puts the kubernetes service at the first address of the default range', () => {
    const { ips } = ipAllocator('10.96.0.0/12');
    expect(ips.firstAddress()).to.equal('10.96.0.1');
    ips.allocate('10.96.0.1', 'kubernetes');
    expect(message(() => ips.allocate('10.96.0.1', 'other'))).to.equal('provided IP is already allocated');
  });

  it('allocates in the upper band of 10.96.0.0/12, the same addresses for the same seed', () => {
    const first = ipAllocator('10.96.0.0/12', 7).ips;
    const second = ipAllocator('10.96.0.0/12', 7).ips;
    const a = [1, 2, 3].map((i) => first.allocateNext(`s${i}`));
    const b = [1, 2, 3].map((i) => second.allocateNext(`s${i}`));
    expect(a).to.deep.equal(b);
    for (const ip of a) {
      const [, , third, fourth] = ip.split('.').map(Number);
      const second16 = Number(ip.split('.')[1]);
      expect(second16).to.be.within(96, 111);
      // 10.96.1.1 is the first address after the 256 reserved for static allocation.
      expect((second16 - 96) * 65536 + third * 256 + fourth).to.be.at.least(257);
    }
  });

  it('frees an address whose owner no longer holds it, without a release', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
        const { ips, holders } = ipAllocator('10.0.0.0/28', seed);
        const all = Array.from({ length: 14 }, (_, i) => ips.allocateNext(`s${i}`));
        expect(new Set(all).size).to.equal(14);
        holders.delete('s3');
        expect(ips.allocateNext('new')).to.equal(all[3]);
      }),
    );
  });

  it('refuses a CIDR it cannot serve', () => {
    expect(() => ipAllocator('10.96.0.0/31')).to.throw('invalid service CIDR "10.96.0.0/31"');
    expect(() => ipAllocator('fd00::/108')).to.throw('invalid service CIDR');
  });
});

describe('NodePort allocation', () => {
  // k8s:pkg/registry/core/service/portallocator/allocator_test.go TestAllocate
  it('hands out every port of 10000-10200 once, then says the range is full', () => {
    const { ports, holders } = portAllocator(10000, 201);
    const owners = new Map<number, string>();
    for (let i = 0; i < 201; i++) {
      const p = ports.allocateNext(`s${i}`);
      expect(p).to.be.within(10000, 10200);
      expect(owners.has(p), `${p} handed out twice`).to.equal(false);
      owners.set(p, `s${i}`);
    }
    expect(message(() => ports.allocateNext('x'))).to.equal('range is full');
    holders.delete(owners.get(10005) as string);
    expect(ports.allocateNext('y')).to.equal(10005);
    holders.delete('y');
    for (const out of [1, 20000, 10201]) {
      expect(message(() => ports.allocate(out, 'z'))).to.equal(
        'provided port is not in the valid range. The range of valid ports is 10000-10200',
      );
    }
    expect(message(() => ports.allocate(10001, 'z'))).to.equal('provided port is already allocated');
    ports.allocate(10005, 'z');
    expect(ports.has(10005)).to.equal(true);
  });

  it('serves 30000-32767 by default, dynamic ports from 30086 up first', () => {
    const { ports } = portAllocator(DEFAULT_NODE_PORT_RANGE.base, DEFAULT_NODE_PORT_RANGE.size);
    expect(ports.rangeText).to.equal('30000-32767');
    for (let i = 0; i < 50; i++) expect(ports.allocateNext(`s${i}`)).to.be.within(30086, 32767);
    expect(message(() => ports.allocate(80, 'web'))).to.equal(
      'provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });
});

describe('rangeOffset', () => {
  // calculateRangeOffset of ipallocator (min 16, max 256, step 16) and portallocator (16, 128, 32).
  const ipCases: [number, number][] = [
    [2 ** 4, 0],
    [2 ** 5, 16],
    [2 ** 7, 16],
    [2 ** 8, 16],
    [2 ** 9, 32],
    [2 ** 12, 256],
    [2 ** 20, 256],
  ];
  for (const [size, offset] of ipCases) {
    it(`is ${offset} for a service CIDR of ${size} addresses`, () => {
      expect(rangeOffset(size, 16, 256, 16)).to.equal(offset);
    });
  }
  const portCases: [number, number][] = [
    [16, 0],
    [17, 16],
    [2768, 86],
    [65535, 128],
  ];
  for (const [size, offset] of portCases) {
    it(`is ${offset} for a node port range of ${size} ports`, () => {
      expect(rangeOffset(size, 16, 128, 32)).to.equal(offset);
    });
  }
});
