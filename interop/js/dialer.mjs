// Dials one libp2p peer and runs interop checks against it; one JSON line per
// check on stdout ({"event":"result",...}), then {"event":"done",...}.
// Exit code 0 when every check passed, 1 otherwise, 2 on bad usage.
import './polyfill.mjs'
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { connectCheck } from './lib/checks/connect.mjs'
import { echoManyCheck } from './lib/checks/echo-many.mjs'
import { identifyCheck } from './lib/checks/identify.mjs'
import { perfCheck } from './lib/checks/perf.mjs'
import { pingCheck } from './lib/checks/ping.mjs'
import { setupsCheck } from './lib/checks/setups.mjs'
import { transferCheck } from './lib/checks/transfer.mjs'
import { logStrayErrors, withTimeout } from './lib/lifecycle.mjs'
import { createTestNode, describeIdentify, KEY_TYPE_NAMES } from './lib/node.mjs'
import { describeError, diag, emit } from './lib/output.mjs'
import { parseCount, parsePositiveInt, parseSize } from './lib/sizes.mjs'

const CHECKS = {
  connect: connectCheck,
  ping: pingCheck,
  identify: identifyCheck,
  echo100: echoManyCheck,
  transfer: transferCheck,
  perf: perfCheck,
  setups: setupsCheck
}

const USAGE = `usage: node dialer.mjs <multiaddr-with-/p2p/> <check>[,<check>...] [options]
checks: ${Object.keys(CHECKS).join(', ')} (also --checks a,b,c)
  --bytes <size>           transfer size (default 256MiB)
  --seed <text>            transfer data seed (default 1)
  --streams <n>            echo100 concurrent streams (default 100)
  --stream-bytes <size>    echo100 bytes per stream (default 64k)
  --pings <n>              ping round trips (default 5)
  --upload-bytes <size>    perf upload size (default 32MiB, 0 skips)
  --download-bytes <size>  perf download size (default 32MiB, 0 skips)
  --setups <n>             setups: sequential fresh connections (default 20)
  --setup-retries <n>      setups: failed setups tolerated in a run, each tried again (default 0);
                           their count and first errors are reported, and their time counts
  --timeout <seconds>      limit per check (default 120)
  --key-type <type>        ${KEY_TYPE_NAMES.join('|')} (default ed25519)
  --agent <string>         identify agentVersion`

function parseOptions () {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      checks: { type: 'string', multiple: true },
      bytes: { type: 'string', default: '256MiB' },
      seed: { type: 'string', default: '1' },
      streams: { type: 'string', default: '100' },
      'stream-bytes': { type: 'string', default: '64k' },
      pings: { type: 'string', default: '5' },
      'upload-bytes': { type: 'string', default: '32MiB' },
      'download-bytes': { type: 'string', default: '32MiB' },
      setups: { type: 'string', default: '20' },
      'setup-retries': { type: 'string', default: '0' },
      timeout: { type: 'string', default: '120' },
      'key-type': { type: 'string', default: 'ed25519' },
      agent: { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return { help: true }
  const [address, ...checkArgs] = positionals
  if (address == null) throw new Error('missing target multiaddr')
  const target = multiaddr(address)
  const targetPeerId = target.getComponents().findLast((c) => c.name === 'p2p')?.value
  if (targetPeerId == null) throw new Error(`target multiaddr must end in /p2p/<peer id>: ${address}`)
  const checks = [...checkArgs, ...(values.checks ?? [])]
    .flatMap((arg) => arg.split(','))
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
  if (checks.length === 0) throw new Error('no checks given')
  for (const name of checks) {
    if (CHECKS[name] == null) throw new Error(`unknown check "${name}"`)
  }
  return {
    target,
    targetPeerId,
    checks,
    bytes: parseSize(values.bytes, '--bytes'),
    seed: values.seed,
    streams: parsePositiveInt(values.streams, '--streams'),
    streamBytes: parseSize(values['stream-bytes'], '--stream-bytes'),
    pings: parsePositiveInt(values.pings, '--pings'),
    uploadBytes: parseSize(values['upload-bytes'], '--upload-bytes'),
    downloadBytes: parseSize(values['download-bytes'], '--download-bytes'),
    setups: parsePositiveInt(values.setups, '--setups'),
    setupRetries: parseCount(values['setup-retries'], '--setup-retries'),
    timeoutMs: parsePositiveInt(values.timeout, '--timeout') * 1000,
    keyType: values['key-type'],
    agent: values.agent
  }
}

/** Collects peer:identify results so checks can wait for the one of their connection. */
function identifyCollector (node) {
  const results = []
  const waiters = new Set()
  node.addEventListener('peer:identify', (evt) => {
    const result = describeIdentify(evt.detail)
    results.push(result)
    for (const waiter of waiters) waiter(result)
  })
  return (connection, signal) => {
    const matches = (r) => r.connectionId === connection.id
    const found = results.find(matches)
    if (found != null) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const waiter = (r) => {
        if (!matches(r)) return
        waiters.delete(waiter)
        resolve(r)
      }
      waiters.add(waiter)
      signal.addEventListener('abort', () => {
        waiters.delete(waiter)
        reject(new Error('no peer:identify event for the connection (js identify failed or timed out; run with DEBUG=libp2p:identify* for details)'))
      }, { once: true })
    })
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
    process.exit(0)
  }

  const node = await createTestNode({ listen: [], keyType: options.keyType, agent: options.agent })
  const ctx = {
    node,
    options,
    target: options.target,
    targetPeerId: options.targetPeerId,
    connection: null,
    signal: null,
    identifyFor: identifyCollector(node),
    async connect () {
      if (ctx.connection == null || ctx.connection.status !== 'open') {
        ctx.connection = await node.dial(ctx.target, { signal: ctx.signal })
      }
      return ctx.connection
    }
  }

  let failed = 0
  for (const name of options.checks) {
    const started = performance.now()
    let result
    ctx.signal = AbortSignal.timeout(options.timeoutMs)
    setMaxListeners(Infinity, ctx.signal)
    try {
      result = await withTimeout(CHECKS[name](ctx), options.timeoutMs + 5000, `check ${name}`)
    } catch (err) {
      diag(`check ${name} failed:`, describeError(err), err?.stack ?? '')
      result = { ok: false, error: describeError(err) }
    }
    if (result.ok !== true) failed++
    emit({ event: 'result', check: name, ...result, checkMs: Math.round(performance.now() - started) })
  }
  emit({ event: 'done', ok: failed === 0, passed: options.checks.length - failed, failed })

  try {
    await withTimeout(node.stop(), 5000, 'libp2p stop')
  } catch (err) {
    diag('stop failed:', describeError(err))
  }
  process.exit(failed === 0 ? 0 : 1)
}

main().catch((err) => {
  diag('dialer failed:', describeError(err), err?.stack ?? '')
  process.exit(1)
})
