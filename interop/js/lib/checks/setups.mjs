import { randomBytes } from 'node:crypto'
import { describeError } from '../output.mjs'
import { PING_PROTOCOL } from '../protocols.mjs'
import { chunksOf } from '../stream-io.mjs'

/**
 * `setups`: opens `setups` fresh connections one after another (TCP, Noise,
 * yamux), each until the first byte of a ping reply arrives, then closes it.
 * Reports connection setups per second. js *listeners* accept only 5 inbound
 * connections per second per IP by default (--inbound-threshold on peer.mjs).
 * A failed setup is tried again up to `setupRetries` times in all; the time of
 * failed attempts stays in the rate, and their count and first errors are
 * reported.
 */
export async function setupsCheck (ctx) {
  const count = ctx.options.setups
  const retries = ctx.options.setupRetries ?? 0
  const timesMs = []
  const errors = []
  let failedSetups = 0
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    for (;;) {
      try {
        timesMs.push(await setupOnce(ctx))
        break
      } catch (err) {
        failedSetups++
        if (errors.length < 3) errors.push(`setup ${i + 1}: ${describeError(err)}`)
        if (failedSetups > retries || ctx.signal.aborted) {
          throw new Error(`setup ${i + 1}/${count} failed (${failedSetups} failed attempts, ${retries} retries allowed): ${describeError(err)} (a js listener accepts 5 inbound connections/s per IP unless started with --inbound-threshold)`)
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000
  const sorted = [...timesMs].sort((a, b) => a - b)
  return {
    ok: true,
    setups: count,
    failedSetups,
    errors,
    seconds: Math.round(seconds * 1000) / 1000,
    setupsPerSecond: Math.round(count / seconds * 100) / 100,
    medianMs: round(sorted[Math.floor(sorted.length / 2)]),
    maxMs: round(sorted[sorted.length - 1])
  }
}

/** One setup: dial, the first byte of a ping reply, close. Returns its milliseconds to that byte. */
async function setupOnce (ctx) {
  const t0 = performance.now()
  let connection
  try {
    connection = await ctx.node.dial(ctx.target, { signal: ctx.signal, force: true })
    await firstPingByte(connection, ctx.signal)
    return performance.now() - t0
  } finally {
    await connection?.close({ signal: ctx.signal }).catch((err) => connection.abort(err))
  }
}

async function firstPingByte (connection, signal) {
  const stream = await connection.newStream(PING_PROTOCOL, { signal, runOnLimitedConnection: true })
  try {
    stream.send(randomBytes(32))
    let gotByte = false
    for await (const chunk of chunksOf(stream, signal)) {
      if (chunk.byteLength > 0) {
        gotByte = true
        break
      }
    }
    if (!gotByte) throw new Error('ping stream ended before the first reply byte')
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

function round (value) {
  return Math.round(value * 1000) / 1000
}
