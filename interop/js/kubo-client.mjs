// Drives a Dione daemon's HTTP API with kubo's own js client, kubo-rpc-client,
// as a program written for kubo would: it finds the API in <repo>/api and
// sends the token from <repo>/api.token as `Authorization: Bearer …` (the
// client's `headers` option). One JSON line per call on stdout.
import './polyfill.mjs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { create } from 'kubo-rpc-client'
import { describeError, emit } from './lib/output.mjs'

const USAGE = `usage: node kubo-client.mjs --repo <dione repo> --connect <multiaddr/p2p/ID> [--find <peer id>] [--ping <peer id>]
Calls id, version, swarm.connect, swarm.peers, swarm.addrs, swarm.localAddrs,
routing.findPeer and ping, and once without the token (expecting a refusal).
stdout: {"call":"id",...} lines, then {"call":"done"}; a failed call prints
{"call":…,"error":…} and the script exits 1.`

const { values } = parseArgs({
  options: {
    repo: { type: 'string' },
    connect: { type: 'string' },
    find: { type: 'string' },
    ping: { type: 'string' },
    timeout: { type: 'string', default: '30000' }
  }
})
if (values.repo == null || values.connect == null) {
  process.stderr.write(USAGE + '\n')
  process.exit(2)
}

const api = (await readFile(join(values.repo, 'api'), 'utf8')).trim()
const token = (await readFile(join(values.repo, 'api.token'), 'utf8')).trim()
const timeout = Number.parseInt(values.timeout, 10)
const client = create({ url: multiaddr(api), headers: { Authorization: `Bearer ${token}` }, timeout })
const anonymous = create({ url: multiaddr(api), timeout })

async function call (name, fn) {
  try {
    emit({ call: name, ...(await fn()) })
  } catch (err) {
    emit({ call: name, error: describeError(err) })
    process.exit(1)
  }
}

async function collect (iterable) {
  const out = []
  for await (const item of iterable) out.push(item)
  return out
}

await call('id', async () => {
  const id = await client.id()
  return { id: id.id.toString(), addresses: id.addresses.map(a => a.toString()), agentVersion: id.agentVersion, protocols: id.protocols }
})
await call('version', async () => ({ version: (await client.version()).version }))
await call('swarm.connect', async () => ({ strings: await client.swarm.connect(multiaddr(values.connect)) }))
await call('swarm.peers', async () => {
  const peers = await client.swarm.peers({ direction: true, latency: true })
  return { peers: peers.map(p => ({ addr: p.addr.toString(), peer: p.peer.toString(), latency: p.latency, direction: p.direction })) }
})
await call('swarm.addrs', async () => {
  const known = await client.swarm.addrs()
  return { peers: known.map(p => ({ id: p.id.toString(), addrs: p.addrs.map(a => a.toString()) })) }
})
await call('swarm.localAddrs', async () => ({ addrs: (await client.swarm.localAddrs()).map(a => a.toString()) }))
if (values.find != null) {
  await call('routing.findPeer', async () => {
    const events = await collect(client.routing.findPeer(peerIdFromString(values.find)))
    return { events: events.map(e => ({ name: e.name, id: e.peer?.id?.toString(), multiaddrs: e.peer?.multiaddrs?.map(a => a.toString()) })) }
  })
}
if (values.ping != null) {
  await call('ping', async () => ({ pongs: await collect(client.ping(peerIdFromString(values.ping), { count: 2 })) }))
}
try {
  await anonymous.id()
  emit({ call: 'id without token', error: 'the daemon answered a request without its token' })
  process.exit(1)
} catch (err) {
  emit({ call: 'id without token', refused: err.response?.status ?? null, message: err.message })
}
emit({ call: 'done' })
