/** The one way addresses are written: IPv6 in brackets wherever a port follows or a URL holds it. */

/** `::1` -> `[::1]`; IPv4 and names unchanged; already bracketed stays as is. */
export const bracketHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** `host:port`, IPv6 bracketed (`[::1]:8080`). */
export const hostPort = (host: string, port: number): string => `${bracketHost(host)}:${port}`;

/** A peer's address as logs and GetLiveChannelStat show it: `::ffff:127.0.0.1` -> `127.0.0.1:port`, IPv6 bracketed. */
export const remoteAddrOf = (address: string, port: number): string =>
  hostPort(address.startsWith('::ffff:') ? address.slice(7) : address, port);

/** The host a client should connect to for a listener bound to `bindHost`: the wildcard addresses mean this machine. */
export const connectHost = (bindHost: string): string =>
  bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bracketHost(bindHost);
