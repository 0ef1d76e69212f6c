import { createCipheriv, createHash } from 'node:crypto'
import { ECHO_PROTOCOL, MAX_TEST_STREAMS } from '../protocols.mjs'
import { chunksOf, sendWithBackpressure } from '../stream-io.mjs'

const CHUNK_BYTES = 64 * 1024

/**
 * Deterministic pseudo-random bytes: AES-128-CTR keystream under a key derived
 * from `seed`. Same seed, same bytes, in any language.
 */
export function pseudoRandomSource (seed) {
  const key = createHash('sha256').update(`dione-transfer-${seed}`).digest().subarray(0, 16)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  const zeros = Buffer.alloc(CHUNK_BYTES)
  return (size) => cipher.update(size === CHUNK_BYTES ? zeros : zeros.subarray(0, size))
}

/**
 * `transfer`: one /dione/echo/1.0.0 stream; sends `bytes` of deterministic
 * pseudo-random data while concurrently reading the echo, then compares
 * SHA-256 of what was sent and what came back.
 */
export async function transferCheck (ctx) {
  const connection = await ctx.connect()
  const total = ctx.options.bytes
  const next = pseudoRandomSource(ctx.options.seed)
  const sentHash = createHash('sha256')
  const receivedHash = createHash('sha256')
  let receivedBytes = 0

  const started = performance.now()
  const stream = await connection.newStream(ECHO_PROTOCOL, { signal: ctx.signal, maxOutboundStreams: MAX_TEST_STREAMS })
  try {
    const reading = (async () => {
      for await (const chunk of chunksOf(stream, ctx.signal)) {
        receivedHash.update(chunk)
        receivedBytes += chunk.byteLength
      }
    })()
    for (let sent = 0; sent < total;) {
      const size = Math.min(CHUNK_BYTES, total - sent)
      const chunk = next(size)
      sentHash.update(chunk)
      await sendWithBackpressure(stream, chunk, ctx.signal)
      sent += size
    }
    const sentAllMs = performance.now() - started
    await stream.close({ signal: ctx.signal })
    await reading
    const ms = performance.now() - started
    const sentSha256 = sentHash.digest('hex')
    const receivedSha256 = receivedHash.digest('hex')
    const problems = []
    if (receivedBytes !== total) problems.push(`received ${receivedBytes} of ${total} bytes`)
    if (sentSha256 !== receivedSha256) problems.push('SHA-256 mismatch')
    return {
      ok: problems.length === 0,
      ...(problems.length === 0 ? {} : { error: problems.join('; ') }),
      bytes: total,
      receivedBytes,
      sentSha256,
      receivedSha256,
      sendMs: Math.round(sentAllMs),
      elapsedMs: Math.round(ms),
      MBps: Math.round(total / (ms / 1000) / 1e6 * 100) / 100
    }
  } catch (err) {
    stream.abort(err)
    throw err
  }
}
