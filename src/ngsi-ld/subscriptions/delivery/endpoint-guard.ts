import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/*
 * Notification endpoints are chosen by subscribers, so they must not reach into the service's own
 * network (the database, cloud metadata, admin ports). An endpoint is checked when a subscription
 * is created or changed (to tell the subscriber at once), and its addresses again after DNS
 * resolution at connection time, so a name that later resolves elsewhere cannot slip past.
 */

/** How long the check at creation waits for DNS; a name not resolved by then is checked when sending. */
const RESOLVE_TIMEOUT_MS = 3000;

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class PrivateEndpointRefused extends Error {}

/** A `lookup` for sockets that refuses private addresses. */
export function publicOnlyLookup(
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, options, (error, address, family) => {
    if (error) return callback(error, address, family);
    const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
    const refused = addresses.find(isPrivateAddress);
    if (refused) return callback(new PrivateEndpointRefused(`${hostname} resolves to ${refused}, a private address; notifications go to public endpoints only`), address, family);
    callback(null, address, family);
  });
}

/** Refuses a literal private address or a loopback name up front (sockets skip the lookup for IP literals). */
export function assertPublicHost(hostname: string): void {
  const bare = bareHost(hostname);
  if (bare === 'localhost' || bare.endsWith('.localhost') || isPrivateAddress(bare)) {
    throw new PrivateEndpointRefused(`${hostname} is a private address; notifications go to public endpoints only`);
  }
}

/**
 * The addresses an endpoint's host resolves to now, refusing it when any is private. Resolution
 * reads every form the socket would (`127.1`, `0x7f000001`, `localhost.`). A name that does not
 * resolve now is let through: sending checks it again.
 */
export async function publicAddressesOf(hostname: string): Promise<string[]> {
  assertPublicHost(hostname);
  const bare = bareHost(hostname);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RESOLVE_TIMEOUT_MS)));
  const found = await Promise.race([dnsLookupAll(bare, { all: true, verbatim: true }).catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  const addresses = (found ?? []).map((a) => a.address);
  const refused = addresses.find(isPrivateAddress);
  if (refused) throw new PrivateEndpointRefused(`${hostname} resolves to ${refused}, a private address; notifications go to public endpoints only`);
  return addresses;
}

/** A URL's host without IPv6 brackets and without the trailing dot of a fully qualified name. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}
