import { PERF_PROTOCOL, MAX_TEST_STREAMS } from '../protocols.mjs'
import { encodePerfHeader, sendPerfBytes } from '../perf.mjs'
import { chunksOf } from '../stream-io.mjs'

/**
 * `perf`: /perf/1.0.0 client per libp2p/specs perf/perf.md. Runs an upload
 * test (send `uploadBytes`, ask for 0) and a download test (send 0, ask for
 * `downloadBytes`), each timed from stream open to the server's close.
 */
export async function perfCheck (ctx) {
  const connection = await ctx.connect()
  const result = { ok: true }
  if (ctx.options.uploadBytes > 0) {
    result.upload = await runPerf(connection, ctx.options.uploadBytes, 0, ctx.signal)
  }
  if (ctx.options.downloadBytes > 0) {
    result.download = await runPerf(connection, 0, ctx.options.downloadBytes, ctx.signal)
  }
  if (result.upload == null && result.download == null) {
    result.idle = await runPerf(connection, 0, 0, ctx.signal)
  }
  return result
}

async function runPerf (connection, uploadBytes, downloadBytes, signal) {
  const started = performance.now()
  const stream = await connection.newStream(PERF_PROTOCOL, { signal, maxOutboundStreams: MAX_TEST_STREAMS })
  try {
    stream.send(encodePerfHeader(downloadBytes))
    await sendPerfBytes(stream, uploadBytes, signal)
    await stream.close({ signal })
    let received = 0
    for await (const chunk of chunksOf(stream, signal)) {
      received += chunk.byteLength
    }
    const seconds = (performance.now() - started) / 1000
    if (received !== downloadBytes) {
      throw new Error(`perf server sent ${received} bytes, asked for ${downloadBytes}`)
    }
    const bytes = uploadBytes + downloadBytes
    return {
      uploadBytes,
      downloadBytes,
      seconds: Math.round(seconds * 1e6) / 1e6,
      bytesPerSecond: Math.round(bytes / seconds)
    }
  } catch (err) {
    stream.abort(err)
    throw err
  }
}
