import { randomBytes } from 'node:crypto'
import { ECHO_PROTOCOL, MAX_TEST_STREAMS } from '../protocols.mjs'
import { chunksOf, sendWithBackpressure } from '../stream-io.mjs'

const WRITE_CHUNK_BYTES = 16 * 1024

/**
 * `echo100`: opens `streams` concurrent /dione/echo/1.0.0 streams on one
 * connection; each sends `streamBytes` random bytes, half-closes, reads the
 * echo until the remote half-closes, and compares.
 */
export async function echoManyCheck (ctx) {
  const connection = await ctx.connect()
  const { streams, streamBytes } = ctx.options
  const started = performance.now()
  const outcomes = await Promise.allSettled(
    Array.from({ length: streams }, (_, index) => echoOnce(connection, index, streamBytes, ctx.signal))
  )
  const ms = performance.now() - started
  const failures = outcomes
    .map((outcome, index) => outcome.status === 'rejected' ? `stream ${index}: ${outcome.reason?.message ?? outcome.reason}` : null)
    .filter((text) => text != null)
  return {
    ok: failures.length === 0,
    ...(failures.length === 0 ? {} : { error: `${failures.length}/${streams} streams failed`, failures: failures.slice(0, 10) }),
    streams,
    bytesPerStream: streamBytes,
    elapsedMs: Math.round(ms),
    totalMBps: Math.round((2 * streams * streamBytes) / (ms / 1000) / 1e6 * 100) / 100
  }
}

async function echoOnce (connection, index, size, signal) {
  const payload = randomBytes(size)
  const stream = await connection.newStream(ECHO_PROTOCOL, { signal, maxOutboundStreams: MAX_TEST_STREAMS })
  try {
    const received = Buffer.alloc(size)
    let receivedBytes = 0
    const reading = (async () => {
      for await (const chunk of chunksOf(stream, signal)) {
        if (receivedBytes + chunk.byteLength > size) {
          throw new Error(`echo returned more than the ${size} bytes sent`)
        }
        received.set(chunk, receivedBytes)
        receivedBytes += chunk.byteLength
      }
    })()
    for (let offset = 0; offset < size; offset += WRITE_CHUNK_BYTES) {
      await sendWithBackpressure(stream, payload.subarray(offset, Math.min(size, offset + WRITE_CHUNK_BYTES)), signal)
    }
    await stream.close({ signal })
    await reading
    if (receivedBytes !== size) throw new Error(`echo returned ${receivedBytes} of ${size} bytes`)
    if (!received.equals(payload)) throw new Error('echo returned different bytes')
  } catch (err) {
    stream.abort(err)
    throw err
  }
}
