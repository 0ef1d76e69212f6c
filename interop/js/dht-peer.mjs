// A js-libp2p kad-dht node for interop tests: peer.mjs's stack plus js's own
// DHT, serving on 127.0.0.1 and driven by JSON-line commands on stdin.
import './polyfill.mjs'
import { parseArgs } from 'node:util'
import { runCommandLoop } from './lib/command-loop.mjs'
import { DEFAULT_DHT_PROTOCOL, dhtService, parseNamespaces } from './lib/dht.mjs'
import { dhtCommands } from './lib/dht-commands.mjs'
import { logStrayErrors, withTimeout } from './lib/lifecycle.mjs'
import { createTestNode, describeConnection, describeIdentify, KEY_TYPE_NAMES } from './lib/node.mjs'
import { describeError, diag, emit } from './lib/output.mjs'
import { parsePositiveInt } from './lib/sizes.mjs'

const USAGE = `usage: node dht-peer.mjs [options]
  --listen <multiaddr>        listen address, repeatable (default /ip4/127.0.0.1/tcp/0)
  --key-type <type>           ${KEY_TYPE_NAMES.join('|')} (default ed25519)
  --agent <string>            identify agentVersion (default: js-libp2p's own)
  --inbound-threshold <n>     inbound connections per second per IP (js default 5)
  --max-connections <n>       connection manager limit (js default 300)
  --protocol <id>             DHT protocol id (default ${DEFAULT_DHT_PROTOCOL})
  --mode server|client        DHT mode (default server)
  --accept-namespace <name>   also accept any record under /<name>/, repeatable
  --command-timeout <ms>      default per-command timeout (default 30000)
  --first-self-query <ms>     delay of js's first self-query (js default 1000); tests that
                              assert who knows whom set it high so the topology stays theirs
stdout: {"event":"ready",...}, "connection", "identify", "disconnect",
"routingTable" ({"change":"add"|"remove","peerId":…}), "providerAdded"
({"cid":…,"multihash":hex,"peerId":…}) and "result" lines.
stdin: one JSON command per line, e.g. {"id":1,"cmd":"findPeer","peerId":"12D3…"};
commands: connect, findPeer, closestPeers, provide, findProviders, localProviders,
putPk, put, get, getLocal, routingTable, checkLiveness, stop (see README.md).
Stops on the stop command, SIGTERM, SIGINT or when stdin closes.`

function parseOptions () {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string', multiple: true },
      'key-type': { type: 'string', default: 'ed25519' },
      agent: { type: 'string' },
      'inbound-threshold': { type: 'string' },
      'max-connections': { type: 'string' },
      protocol: { type: 'string', default: DEFAULT_DHT_PROTOCOL },
      mode: { type: 'string', default: 'server' },
      'accept-namespace': { type: 'string', multiple: true },
      'command-timeout': { type: 'string', default: '30000' },
      'first-self-query': { type: 'string' },
      help: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (values.mode !== 'server' && values.mode !== 'client') throw new Error(`--mode must be server or client, got "${values.mode}"`)
  if (!values.protocol.startsWith('/')) throw new Error(`--protocol must start with "/", got "${values.protocol}"`)
  return {
    help: values.help,
    listen: values.listen ?? ['/ip4/127.0.0.1/tcp/0'],
    keyType: values['key-type'],
    agent: values.agent,
    inboundConnectionThreshold: optional(values['inbound-threshold'], '--inbound-threshold'),
    maxConnections: optional(values['max-connections'], '--max-connections'),
    protocol: values.protocol,
    mode: values.mode,
    acceptNamespaces: parseNamespaces(values['accept-namespace']),
    commandTimeoutMs: parsePositiveInt(values['command-timeout'], '--command-timeout'),
    firstSelfQueryMs: optional(values['first-self-query'], '--first-self-query')
  }
}

function optional (text, name) {
  return text == null ? undefined : parsePositiveInt(text, name)
}

/**
 * Emits {"event":"providerAdded","cid":…,"multihash":hex,"peerId":…} whenever js's provider store takes an
 * entry (its own provides and every accepted ADD_PROVIDER), so a test can wait for a message that has no reply.
 * Wraps Providers.addProvider of the pinned kad-dht 16.4.5.
 */
function reportProvidersAdded (providers) {
  const addProvider = providers.addProvider.bind(providers)
  providers.addProvider = async (cid, provider, options) => {
    await addProvider(cid, provider, options)
    emit({ event: 'providerAdded', cid: cid.toString(), multihash: Buffer.from(cid.multihash.bytes).toString('hex'), peerId: provider.toString() })
  }
}

async function main () {
  logStrayErrors()
  let options
  try {
    options = parseOptions()
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`)
    process.exit(2)
  }
  if (options.help) {
    process.stdout.write(USAGE + '\n')
    return
  }

  const node = await createTestNode({ ...options, services: { dht: dhtService(options) } })
  node.addEventListener('connection:open', (evt) => emit({ event: 'connection', ...describeConnection(evt.detail) }))
  node.addEventListener('connection:close', (evt) => emit({ event: 'disconnect', ...describeConnection(evt.detail) }))
  node.addEventListener('peer:identify', (evt) => emit({ event: 'identify', ...describeIdentify(evt.detail) }))
  const routingTable = node.services.dht.routingTable
  routingTable.addEventListener('peer:add', (evt) => emit({ event: 'routingTable', change: 'add', peerId: evt.detail.toString() }))
  routingTable.addEventListener('peer:remove', (evt) => emit({ event: 'routingTable', change: 'remove', peerId: evt.detail.toString() }))
  reportProvidersAdded(node.services.dht.providers)

  let stopping = false
  const shutdown = async (reason) => {
    if (stopping) return
    stopping = true
    diag(`stopping (${reason})`)
    try {
      await withTimeout(node.stop(), 5000, 'libp2p stop')
      emit({ event: 'stopped' })
      process.exit(0)
    } catch (err) {
      diag('stop failed:', describeError(err))
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  emit({
    event: 'ready',
    peerId: node.peerId.toString(),
    keyType: options.keyType,
    addrs: node.getMultiaddrs().map(String),
    protocols: node.getProtocols(),
    dhtProtocol: options.protocol,
    dhtMode: node.services.dht.getMode()
  })

  runCommandLoop({
    handlers: dhtCommands(node, { shutdown }),
    defaultTimeoutMs: options.commandTimeoutMs,
    onEnd: shutdown
  })
}

main().catch((err) => {
  diag('dht peer failed:', describeError(err), err?.stack ?? '')
  process.exit(1)
})
