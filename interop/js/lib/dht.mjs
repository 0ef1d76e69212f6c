// The kad-dht service of dht-peer.mjs: js-libp2p's own DHT, configured for a
// test network on 127.0.0.1 instead of the public Amino DHT.
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'

/** The public IPFS DHT protocol id, js-libp2p's default. */
export const DEFAULT_DHT_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * kadDHT service factory.
 *
 * options: { protocol, mode: 'server'|'client', acceptNamespaces: string[], firstSelfQueryMs? }
 *
 * - clientMode false: serve the protocol from the start (js's default waits for
 *   a public address, which a loopback node never gets);
 * - peerInfoMapper passthroughMapper: keep loopback and private addresses, both
 *   for peers joining the routing table and in the peers sent in replies (js's
 *   default, removePrivateAddressesMapper, drops every 127.0.0.1 peer);
 * - allowQueryWithZeroPeers: commands do not wait for the first self-query;
 * - firstSelfQueryMs: js's first self-query runs this long after start (js
 *   default 1 s); it asks the peers connected by then and adds whom they name;
 * - acceptNamespaces: extra record namespaces with a validator that accepts any
 *   value and a selector that keeps the first, beside js's own `pk` validator.
 */
export function dhtService (options) {
  const validators = {}
  const selectors = {}
  for (const namespace of options.acceptNamespaces ?? []) {
    validators[namespace] = async () => {}
    selectors[namespace] = () => 0
  }
  return kadDHT({
    protocol: options.protocol ?? DEFAULT_DHT_PROTOCOL,
    clientMode: options.mode === 'client',
    peerInfoMapper: passthroughMapper,
    allowQueryWithZeroPeers: true,
    initialQuerySelfInterval: options.firstSelfQueryMs,
    validators,
    selectors
  })
}

/** Parses --accept-namespace values: plain names such as "test", without slashes. */
export function parseNamespaces (values) {
  return (values ?? []).map((name) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === 'pk' || name === 'ipns') {
      throw new Error(`--accept-namespace must be a plain name other than pk and ipns, got "${name}"`)
    }
    return name
  })
}
