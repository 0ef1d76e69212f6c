// Proves dht-peer.mjs against itself: three js kad-dht nodes on 127.0.0.1 in a
// chain A - B - C, driven through their stdin commands. Exit code 0 only when
// every step passed. One JSON line per step on stdout, then a "done" line.
import './polyfill.mjs'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { DhtPeerProcess } from './lib/dht-peer-process.mjs'
import { describeError, emit } from './lib/output.mjs'

const TEST_NAMESPACE = 'dione-test'

const { values } = parseArgs({ options: { 'key-type': { type: 'string', default: 'ed25519' } }, strict: true })
const peerArgs = ['--inbound-threshold', '1000', '--accept-namespace', TEST_NAMESPACE, '--key-type', values['key-type']]

function check (condition, message) {
  if (!condition) throw new Error(message)
}

async function steps (a, b, c) {
  const results = []
  const step = async (name, body) => {
    const started = Date.now()
    try {
      const detail = await body()
      emit({ event: 'step', name, ok: true, ms: Date.now() - started, ...detail })
      results.push(true)
    } catch (err) {
      emit({ event: 'step', name, ok: false, ms: Date.now() - started, error: describeError(err) })
      results.push(false)
    }
  }

  await step('chain', async () => {
    const ab = await a.command('connect', { addr: b.addr })
    const cb = await c.command('connect', { addr: b.addr })
    check(ab.peerId === b.peerId && ab.inRoutingTable, `A did not put B in its routing table: ${JSON.stringify(ab)}`)
    check(cb.peerId === b.peerId && cb.inRoutingTable, `C did not put B in its routing table: ${JSON.stringify(cb)}`)
    const table = await a.command('routingTable')
    check(!table.peers.includes(c.peerId), 'A already knows C before the lookup')
    return { aTable: table.peers }
  })

  await step('findPeer', async () => {
    const found = await a.command('findPeer', { peerId: c.peerId })
    check(found.peerId === c.peerId, `found ${found.peerId}`)
    check(found.addrs.includes(c.addr.replace(`/p2p/${c.peerId}`, '')), `addresses ${found.addrs} lack ${c.addr}`)
    check(found.from === b.peerId, `answered by ${found.from}, not by B`)
    return { addrs: found.addrs, from: found.from, queried: found.queried }
  })

  await step('provide/findProviders', async () => {
    const cid = CID.create(1, raw.code, await sha256.digest(randomBytes(32))).toString()
    const provided = await a.command('provide', { cid })
    check(provided.sentTo.includes(b.peerId), `ADD_PROVIDER did not reach B: ${provided.sentTo}`)
    const stored = await b.command('localProviders', { cid })
    check(stored.providers.some((p) => p.peerId === a.peerId && p.addrs.length > 0), 'B did not store A as provider with addresses')
    const found = await c.command('findProviders', { cid })
    check(found.providers.length === 1 && found.providers[0].peerId === a.peerId, `C found ${JSON.stringify(found.providers)}`)
    check(found.providers[0].addrs.length > 0, 'provider without addresses')
    check(found.providers[0].sources.includes(b.peerId), `B did not name A to C: ${found.providers[0].sources}`)
    return { cid, sentTo: provided.sentTo, sources: found.providers[0].sources }
  })

  await step('putPk/get', async () => {
    const put = await a.command('putPk')
    check(put.storedBy.includes(b.peerId), `B did not store A's /pk/ record: ${put.storedBy}`)
    const local = await b.command('getLocal', { key: put.key })
    check(local.value === put.value, 'B holds a different /pk/ value')
    const got = await c.command('get', { key: put.key })
    check(got.value === put.value, 'C got a different /pk/ value')
    return { key: put.key, storedBy: put.storedBy, from: got.from, sources: got.sources }
  })

  await step(`put/get /${TEST_NAMESPACE}/`, async () => {
    const key = Buffer.from(`/${TEST_NAMESPACE}/${randomBytes(8).toString('hex')}`).toString('hex')
    const value = randomBytes(48).toString('hex')
    const put = await c.command('put', { key, value })
    check(put.storedBy.includes(b.peerId), `B did not store the record: ${put.storedBy}`)
    const got = await a.command('get', { key })
    check(got.value === value, 'A got a different value')
    const missing = await a.tryCommand('get', { key: Buffer.from(`/${TEST_NAMESPACE}/missing`).toString('hex') })
    check(missing.ok === false, 'a key nobody put was found')
    return { storedBy: put.storedBy, from: got.from }
  })

  await step('routingTable/checkLiveness', async () => {
    const table = await b.command('routingTable')
    check(table.peers.includes(a.peerId) && table.peers.includes(c.peerId), `B's table: ${table.peers}`)
    const liveness = await b.command('checkLiveness')
    check(liveness.evicted.length === 0 && liveness.alive.includes(a.peerId) && liveness.alive.includes(c.peerId),
      `liveness: ${JSON.stringify(liveness)}`)
    return { alive: liveness.alive }
  })

  await step('checkLiveness evicts a stopped peer', async () => {
    await c.stop()
    const liveness = await b.command('checkLiveness')
    check(liveness.evicted.includes(c.peerId), `C not evicted: ${JSON.stringify(liveness)}`)
    const table = await b.command('routingTable')
    check(!table.peers.includes(c.peerId) && table.peers.includes(a.peerId), `B's table: ${table.peers}`)
    return { evicted: liveness.evicted }
  })

  return results.every(Boolean)
}

async function main () {
  const peers = []
  let ok = false
  try {
    for (const name of ['A', 'B', 'C']) peers.push(await DhtPeerProcess.start(name, peerArgs))
    emit({ event: 'peers', peers: peers.map((p) => ({ name: p.name, peerId: p.peerId, addr: p.addr })) })
    ok = await steps(...peers)
  } catch (err) {
    emit({ event: 'error', error: describeError(err) })
  } finally {
    const exits = await Promise.all(peers.map((p) => p.stop()))
    if (!ok) for (const p of peers) process.stderr.write(`--- ${p.name} stderr ---\n${p.stderr}\n`)
    emit({ event: 'done', ok, exits })
  }
  process.exit(ok ? 0 : 1)
}

main()
