// A js-libp2p peer for interop tests: listens, serves identify, ping,
// /dione/echo/1.0.0 and /perf/1.0.0, and reports on stdout as JSON lines.
import './polyfill.mjs'
import { parseArgs } from 'node:util'
import { handleEcho } from './lib/echo.mjs'
import { logStrayErrors, onShutdown, withTimeout } from './lib/lifecycle.mjs'
import { createTestNode, describeConnection, describeIdentify, KEY_TYPE_NAMES } from './lib/node.mjs'
import { describeError, diag, emit } from './lib/output.mjs'
import { handlePerf } from './lib/perf.mjs'
import { parsePositiveInt } from './lib/sizes.mjs'
import { ECHO_PROTOCOL, MAX_TEST_STREAMS, PERF_PROTOCOL } from './lib/protocols.mjs'

const USAGE = `usage: node peer.mjs [options]
  --listen <multiaddr>        listen address, repeatable (default /ip4/127.0.0.1/tcp/0)
  --key-type <type>           ${KEY_TYPE_NAMES.join('|')} (default ed25519)
  --agent <string>            identify agentVersion (default: js-libp2p's own)
  --inbound-threshold <n>     inbound connections per second per IP (js default 5)
  --max-connections <n>       connection manager limit (js default 300)
  --max-pending <n>           inbound connections still upgrading at once (js default 10)
  --allow <multiaddr>         exempt from the inbound limits above, repeatable (e.g. /ip4/127.0.0.1/ipcidr/32)
  --ignore-stdin              keep running when stdin closes
stdout: {"event":"ready",...}, then "connection", "identify", "disconnect" lines.
Stops cleanly on SIGTERM, SIGINT or when stdin (a pipe) closes.`

function parseOptions () {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string', multiple: true },
      'key-type': { type: 'string', default: 'ed25519' },
      agent: { type: 'string' },
      'inbound-threshold': { type: 'string' },
      'max-connections': { type: 'string' },
      'max-pending': { type: 'string' },
      allow: { type: 'string', multiple: true },
      'ignore-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    },
    strict: true
  })
  return {
    help: values.help,
    listen: values.listen ?? ['/ip4/127.0.0.1/tcp/0'],
    keyType: values['key-type'],
    agent: values.agent,
    inboundConnectionThreshold: optional(values['inbound-threshold'], '--inbound-threshold'),
    maxConnections: optional(values['max-connections'], '--max-connections'),
    maxIncomingPendingConnections: optional(values['max-pending'], '--max-pending'),
    allow: values.allow,
    ignoreStdin: values['ignore-stdin']
  }
}

function optional (text, name) {
  return text == null ? undefined : parsePositiveInt(text, name)
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

  const node = await createTestNode(options)
  const handlerOptions = { maxInboundStreams: MAX_TEST_STREAMS, maxOutboundStreams: MAX_TEST_STREAMS, runOnLimitedConnection: true }
  await node.handle(ECHO_PROTOCOL, (stream) => handleEcho(stream), handlerOptions)
  await node.handle(PERF_PROTOCOL, (stream) => handlePerf(stream), handlerOptions)

  node.addEventListener('connection:open', (evt) => emit({ event: 'connection', ...describeConnection(evt.detail) }))
  node.addEventListener('connection:close', (evt) => emit({ event: 'disconnect', ...describeConnection(evt.detail) }))
  node.addEventListener('peer:identify', (evt) => emit({ event: 'identify', ...describeIdentify(evt.detail) }))

  onShutdown(async () => {
    try {
      await withTimeout(node.stop(), 5000, 'libp2p stop')
      emit({ event: 'stopped' })
      process.exit(0)
    } catch (err) {
      diag('stop failed:', describeError(err))
      process.exit(1)
    }
  }, { watchStdin: !options.ignoreStdin })

  emit({
    event: 'ready',
    peerId: node.peerId.toString(),
    keyType: options.keyType,
    addrs: node.getMultiaddrs().map(String),
    protocols: node.getProtocols()
  })
}

main().catch((err) => {
  diag('peer failed:', describeError(err), err?.stack ?? '')
  process.exit(1)
})
