// CIDR blocks as the API server parses them (netutils.ParseCIDRSloppy) and as network policies match
// addresses against them. Addresses are big integers so that IPv4 and IPv6 share one arithmetic.
import { isIP } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  /** The network address as a big integer (host bits cleared, as net.ParseCIDR leaves them). */
  address: bigint;
  bits: number;
}

/** netutils.ParseCIDRSloppy: an address (IPv4 octets may have leading zeros) and a prefix length. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const sloppy = ip.split('.').length === 4 ? ip.replace(/(^|\.)0+(\d)/g, '$1$2') : ip;
  const family = isIP(sloppy);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > width) return undefined;
  const bits = Number(bitsText);
  const mask = ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return { family, address: ipToBigInt(sloppy, family) & mask, bits };
}

export function contains(cidr: Cidr, address: bigint, family: 4 | 6 = cidr.family): boolean {
  if (family !== cidr.family) return false;
  const width = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(width - cidr.bits);
  return address >> shift === cidr.address >> shift;
}

export function ipToBigInt(ip: string, family: 4 | 6 = isIP(ip) as 4 | 6): bigint {
  if (family === 4) return ip.split('.').reduce((n, octet) => n * 256n + BigInt(Number(octet)), 0n);
  const [head, tail = ''] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return all.reduce((n, g) => n * 65536n + BigInt(Number.parseInt(g, 16)), 0n);
}
