// Docker HEALTHCHECK for the emulator image: exit 0 when GET /-/health answers 2xx, else 1.
// Plain node on purpose: the node:20-bookworm-slim image has neither curl nor wget.
// It reads the same variables as the emulator, so a port changed with OSS_EMULATOR_HTTP_PORT is followed
// (a port changed with the --http-port flag is not: set the variable instead).
const port = process.env.OSS_EMULATOR_HTTP_PORT || '8080';
const bound = (process.env.OSS_EMULATOR_HOST || '').replace(/^\[|\]$/g, '');
// A wildcard bind answers on loopback; a specific address answers only there.
const host = ['', '0.0.0.0', '::'].includes(bound) ? '127.0.0.1' : bound.includes(':') ? `[${bound}]` : bound;

fetch(`http://${host}:${port}/-/health`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
