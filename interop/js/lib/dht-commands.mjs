// The commands dht-peer.mjs answers, each on js-libp2p's own kad-dht.
// Byte strings (keys, values) travel as lowercase hex; peer ids and CIDs as
// their usual strings; multiaddrs as strings.
//
// Some commands reach past the public KadDHT interface into fields of the
// pinned @libp2p/kad-dht 16.4.5 (routingTable, contentFetching, providers):
// its own routing table, record store and provider store, unchanged.
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'

const PK_PREFIX = Buffer.from('/pk/')

/**
 * Command handlers for `node` (a started libp2p node whose `services.dht` is a
 * kad-dht) in the shape runCommandLoop expects. `shutdown(reason)` stops the
 * process; the "stop" command calls it after its answer is written.
 */
export function dhtCommands (node, { shutdown }) {
  const dht = node.services.dht
  const routingTable = dht.routingTable

  return {
    /** {addr, waitForRoutingTable = true} → {peerId, remoteAddr, inRoutingTable} */
    async connect ({ addr, waitForRoutingTable = true }, { signal }) {
      const connection = await node.dial(multiaddr(requireString(addr, 'addr')), { signal })
      const peer = connection.remotePeer
      if (waitForRoutingTable === true) {
        await untilInRoutingTable(routingTable, peer, signal)
      }
      return {
        peerId: peer.toString(),
        remoteAddr: connection.remoteAddr.toString(),
        inRoutingTable: (await routingTable.find(peer)) != null
      }
    },

    /** {peerId, useCache = false} → {peerId, addrs, from, queried} — a network lookup unless useCache. */
    async findPeer ({ peerId, useCache = false }, { signal }) {
      const target = peerIdFromString(requireString(peerId, 'peerId'))
      let queried = 0
      for await (const event of dht.findPeer(target, { signal, useCache: useCache === true })) {
        if (event.name === 'SEND_QUERY') queried++
        if (event.name === 'FINAL_PEER') {
          return { peerId: event.peer.id.toString(), addrs: event.peer.multiaddrs.map(String), from: event.from.toString(), queried }
        }
      }
      throw new Error(`peer ${peerId} not found`)
    },

    /** {key} (hex) → {peers: [{peerId, addrs}]} — js's closest-peers lookup. */
    async closestPeers ({ key }, { signal }) {
      const peers = []
      for await (const event of dht.getClosestPeers(fromHex(key, 'key'), { signal })) {
        if (event.name === 'FINAL_PEER') peers.push(describePeer(event.peer))
      }
      return { peers }
    },

    /** {cid} → {cid, sentTo: [peer ids that took the ADD_PROVIDER]}; fails when none did. */
    async provide ({ cid }, { signal }) {
      const key = parseCid(cid)
      const sentTo = new Set()
      const errors = []
      for await (const event of dht.provide(key, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') sentTo.add(event.from.toString())
        if (event.name === 'QUERY_ERROR') errors.push(`${event.from}: ${event.error?.message}`)
      }
      if (sentTo.size === 0) throw new Error(`provide reached no peer (${errors.length} errors: ${errors.slice(0, 5).join('; ')})`)
      return { cid: key.toString(), multihash: toHex(key.multihash.bytes), sentTo: [...sentTo] }
    },

    /**
     * {cid, max = 20} → {providers: [{peerId, addrs, from, sources}]}, at most
     * max, possibly none; from is the first peer (or this node) that named the
     * provider, sources every one that did until the lookup ended or max was
     * reached (js looks in its own store first, then asks the network until it
     * holds k = 20).
     */
    async findProviders ({ cid, max = 20 }, { signal }) {
      const key = parseCid(cid)
      const limit = requireCount(max, 'max')
      const providers = new Map()
      const sources = new Map()
      for await (const event of dht.findProviders(key, { signal })) {
        // js reports each provider once (PROVIDER); every answer that named it is a PEER_RESPONSE
        if (event.name === 'PEER_RESPONSE') {
          for (const peer of event.providers) {
            const id = peer.id.toString()
            if (!sources.has(id)) sources.set(id, [])
            if (!sources.get(id).includes(event.from.toString())) sources.get(id).push(event.from.toString())
          }
        }
        if (event.name !== 'PROVIDER') continue
        for (const peer of event.providers) {
          const id = peer.id.toString()
          if (!providers.has(id)) providers.set(id, { ...describePeer(peer), from: event.from.toString(), sources: sources.get(id) ?? [] })
        }
        if (providers.size >= limit) break
      }
      return { providers: [...providers.values()].slice(0, limit) }
    },

    /** {cid} → {providers: [{peerId, addrs}]}: this node's own provider store, no network. */
    async localProviders ({ cid }, { signal }) {
      const key = parseCid(cid)
      const ids = await dht.providers.getProviders(key, { signal })
      const providers = []
      for (const id of ids) {
        const addrs = await node.peerStore.get(id, { signal })
          .then((peer) => peer.addresses.map(({ multiaddr }) => multiaddr.toString()))
          .catch(() => [])
        providers.push({ peerId: id.toString(), addrs })
      }
      return { providers }
    },

    /** {} → put /pk/<own peer id multihash> = own public key (protobuf); {key, value, storedBy}. */
    async putPk (_command, { signal }) {
      const key = Buffer.concat([PK_PREFIX, node.peerId.toMultihash().bytes])
      const value = publicKeyToProtobuf(node.peerId.publicKey)
      return put(key, value, signal)
    },

    /** {key, value} (hex) → {key, value, storedBy}; fails when no peer stored it. */
    async put ({ key, value }, { signal }) {
      return put(fromHex(key, 'key'), fromHex(value, 'value'), signal)
    },

    /** {key} (hex) → {key, value, from, sources}: js's get-value lookup (best value; every peer that had one). */
    async get ({ key }, { signal }) {
      const bytes = fromHex(key, 'key')
      const sources = new Set()
      const onProgress = (evt) => {
        if (evt.type === 'kad-dht:query:value') sources.add(evt.detail.from.toString())
      }
      for await (const event of dht.get(bytes, { signal, onProgress })) {
        if (event.name === 'VALUE') {
          return { key: toHex(bytes), value: toHex(event.value), from: event.from.toString(), sources: [...sources] }
        }
      }
      throw new Error(`no value found for key ${toHex(bytes)}`)
    },

    /** {key} (hex) → {key, value, timeReceived}: this node's own record store, no network. */
    async getLocal ({ key }, { signal }) {
      const bytes = fromHex(key, 'key')
      const record = await dht.contentFetching.getLocal(bytes, { signal })
      return { key: toHex(bytes), value: toHex(record.value), timeReceived: validDate(record.timeReceived) }
    },

    /** {} → {size, peers}: the peer ids in js's kad routing table (itself excluded). */
    async routingTable () {
      const peers = tableContacts(routingTable, node.peerId).map((contact) => contact.peerId.toString())
      return { size: peers.length, peers }
    },

    /**
     * {} → {alive, evicted}: js's liveness check of old contacts (a ping each,
     * the routing table's own pingOldContacts) on every contact now, evicting
     * those that fail as a full bucket would.
     */
    async checkLiveness (_command, { signal }) {
      const contacts = tableContacts(routingTable, node.peerId)
      const evicted = []
      for await (const contact of routingTable.pingOldContacts(contacts, { signal })) {
        evicted.push(contact.peerId.toString())
        await routingTable.kb.remove(contact.kadId, { signal })
      }
      const alive = contacts.map((contact) => contact.peerId.toString()).filter((id) => !evicted.includes(id))
      return { alive, evicted }
    },

    /** {} → {}; then the node stops and the process exits. */
    async stop () {
      setImmediate(() => shutdown('stop command'))
      return {}
    }
  }

  async function put (key, value, signal) {
    const responded = new Set()
    const failed = new Map()
    for await (const event of dht.put(key, value, { signal })) {
      if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') responded.add(event.from.toString())
      if (event.name === 'QUERY_ERROR') failed.set(event.from.toString(), event.error?.message ?? 'error')
    }
    const storedBy = [...responded].filter((id) => !failed.has(id))
    if (storedBy.length === 0) {
      const errors = [...failed].slice(0, 5).map(([id, message]) => `${id}: ${message}`)
      throw new Error(`put reached no peer (${failed.size} errors: ${errors.join('; ')})`)
    }
    return { key: toHex(key), value: toHex(value), storedBy }
  }
}

/** Resolves once `peer` is in the routing table; rejects when `signal` aborts. */
async function untilInRoutingTable (routingTable, peer, signal) {
  let onAdd
  let onAbort
  const added = new Promise((resolve, reject) => {
    onAdd = (evt) => { if (evt.detail.equals(peer)) resolve() }
    onAbort = () => reject(signal.reason ?? new Error('aborted'))
    routingTable.addEventListener('peer:add', onAdd)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    if ((await routingTable.find(peer)) != null) return
    await added
  } finally {
    routingTable.removeEventListener('peer:add', onAdd)
    signal.removeEventListener('abort', onAbort)
    added.catch(() => {})
  }
}

function tableContacts (routingTable, self) {
  return [...routingTable.kb.toIterable()].filter((contact) => !contact.peerId.equals(self))
}

function describePeer (peer) {
  return { peerId: peer.id.toString(), addrs: peer.multiaddrs.map(String) }
}

function requireString (value, name) {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`"${name}" must be a non-empty string`)
  return value
}

function requireCount (value, name) {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`"${name}" must be a positive integer`)
  return value
}

function parseCid (text) {
  return CID.parse(requireString(text, 'cid'))
}

function fromHex (text, name) {
  if (typeof text !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new Error(`"${name}" must be a hex string`)
  return new Uint8Array(Buffer.from(text, 'hex'))
}

function toHex (bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function validDate (date) {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null
}
