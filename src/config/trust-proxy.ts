// Which reverse proxies are believed when they pass the client's address (X-Forwarded-For), the
// scheme (X-Forwarded-Proto) or a verified client certificate (X-SSL-Client-S-DN). Only a
// request whose TCP peer is one of these proxies may set those headers; `true` (believe any
// peer, as Fastify's `trustProxy: true` does) would let every client choose its own address
// and so its own throttling key, and is refused.
import { BlockList, isIP } from 'node:net';

/** proxy-addr's (Fastify's) named ranges, spelled out for the peer check below. */
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

export const TRUST_ALL_REFUSED = "true would believe X-Forwarded-For from any client; list the proxies' addresses or CIDRs instead, e.g. 127.0.0.1,10.0.0.0/8";

/**
 * Why one trustProxy entry is unusable, or undefined when it is an address, a CIDR or one of
 * `loopback`, `linklocal`, `uniquelocal`.
 * @example proxyEntryProblem('10.0.0.0/8') === undefined
 */
export function proxyEntryProblem(entry: string): string | undefined {
  if (entry in NAMED) return undefined;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return `${entry.slice(0, 64)} is not an IP address or CIDR`;
  if (prefix === undefined) return undefined;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits <= (family === 4 ? 32 : 128))) return `${entry.slice(0, 64)} has a bad prefix length`;
  if (bits === 0) return `${entry} trusts every address: ${TRUST_ALL_REFUSED}`;
  return undefined;
}

/**
 * A test for "is this TCP peer one of the trusted proxies" (IPv4-mapped IPv6 peers unwrapped).
 * @example trustedPeer(['10.0.0.0/8'])('::ffff:10.1.2.3') === true
 */
export function trustedPeer(entries: false | readonly string[]): (peer: string | undefined) => boolean {
  if (!Array.isArray(entries)) return () => false;
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED[e] ?? [e])) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (peer) => {
    if (!peer) return false;
    const address = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(peer)?.[1] ?? peer;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
