import '../polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { STREAM_READ_BUFFER_BYTES } from './stream-io.mjs'

const KEY_TYPES = {
  ed25519: () => generateKeyPair('Ed25519'),
  secp256k1: () => generateKeyPair('secp256k1'),
  rsa: () => generateKeyPair('RSA', 2048)
}

/** Names accepted by --key-type. */
export const KEY_TYPE_NAMES = Object.keys(KEY_TYPES)

/** Generates a fresh private key of the given --key-type name. */
export async function generateKey (keyType) {
  const make = KEY_TYPES[keyType]
  if (make == null) {
    throw new Error(`unknown --key-type "${keyType}", expected one of ${KEY_TYPE_NAMES.join(', ')}`)
  }
  return make()
}

/**
 * Creates and starts a js-libp2p node with tcp + noise + yamux, identify,
 * identify-push and ping; the stock configuration a C# peer will meet, except
 * for the limits passed in `options` and a larger stream read buffer (below).
 *
 * options: { listen: string[], keyType, agent?, inboundConnectionThreshold?, maxConnections?,
 *            maxIncomingPendingConnections?, allow? (multiaddrs exempt from the inbound limits),
 *            services? (extra libp2p services, e.g. { dht: kadDHT(...) }) }
 */
export async function createTestNode (options) {
  const privateKey = await generateKey(options.keyType ?? 'ed25519')
  const connectionManager = {}
  if (options.inboundConnectionThreshold != null) connectionManager.inboundConnectionThreshold = options.inboundConnectionThreshold
  if (options.maxConnections != null) connectionManager.maxConnections = options.maxConnections
  if (options.maxIncomingPendingConnections != null) connectionManager.maxIncomingPendingConnections = options.maxIncomingPendingConnections
  if (options.allow != null) connectionManager.allow = options.allow
  return createLibp2p({
    privateKey,
    addresses: { listen: options.listen ?? [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // js-yamux grants window as bytes arrive, not as they are read, so a sender that writes right after its lazy
    // multistream proposal can fill a new stream's read buffer before the protocol handler is attached; with js's
    // default 4 MiB cap the stream is then reset. The echo handler raises the cap anyway: raise it from the start.
    streamMuxers: [yamux({ streamOptions: { maxReadBufferLength: STREAM_READ_BUFFER_BYTES } })],
    connectionManager,
    nodeInfo: options.agent != null ? { userAgent: options.agent } : undefined,
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      // Two outbound ping streams per connection, not js's one: its connection monitor pings every connection every
      // few seconds and aborts the connection when it cannot open its stream, so a check's ping that happens to be
      // open at that moment would get its connection killed (listeners accept two inbound ping streams).
      ping: ping({ maxOutboundStreams: 2 }),
      ...options.services
    }
  })
}

/** JSON view of a libp2p Connection. */
export function describeConnection (connection) {
  return {
    id: connection.id,
    peerId: connection.remotePeer.toString(),
    remoteAddr: connection.remoteAddr.toString(),
    direction: connection.direction,
    encryption: connection.encryption ?? null,
    multiplexer: connection.multiplexer ?? null,
    status: connection.status
  }
}

/** JSON view of an IdentifyResult (the detail of a peer:identify event). */
export function describeIdentify (result) {
  return {
    peerId: result.peerId.toString(),
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: result.protocols ?? [],
    listenAddrs: (result.listenAddrs ?? []).map(String),
    observedAddr: result.observedAddr != null ? result.observedAddr.toString() : null,
    signedPeerRecord: result.signedPeerRecord != null
      ? { seq: result.signedPeerRecord.seq, addresses: result.signedPeerRecord.addresses.map(String) }
      : null,
    connectionId: result.connection?.id ?? null
  }
}
