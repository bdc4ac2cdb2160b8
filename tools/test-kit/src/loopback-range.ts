/**
 * A /20 of 127.128.0.0/9 picked at random, for a local node running real processes: outside the local node's default
 * 127.64.0.0/10, which other suites on this machine use at the same time (with runtimes on the same ports), so that
 * none of them answers for this suite's pods. The shape of local-node's `ipRange` option.
 */
export function ownLoopbackRange(): { base: string; prefix: number } {
  return { base: `127.${128 + Math.floor(Math.random() * 127)}.${Math.floor(Math.random() * 16) * 16}.0`, prefix: 20 };
}
