import '../polyfill.mjs'
import { describeError, diag } from './output.mjs'
import { chunksOf, sendWithBackpressure } from './stream-io.mjs'

/** Size of each chunk the perf server/client writes. */
export const PERF_CHUNK_BYTES = 64 * 1024

// Perf payload is "a predetermined arbitrary set of bytes": zeros, shared and never mutated.
const ZEROS = new Uint8Array(PERF_CHUNK_BYTES)

/** Encodes `n` as the 8-byte big-endian uint64 perf header. */
export function encodePerfHeader (n) {
  const header = new Uint8Array(8)
  new DataView(header.buffer).setBigUint64(0, BigInt(n), false)
  return header
}

/** Sends `count` bytes (a bigint or number) of the perf payload with backpressure. */
export async function sendPerfBytes (stream, count, signal) {
  let remaining = BigInt(count)
  const chunk = BigInt(PERF_CHUNK_BYTES)
  while (remaining > 0n) {
    const size = remaining >= chunk ? PERF_CHUNK_BYTES : Number(remaining)
    await sendWithBackpressure(stream, size === PERF_CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, size), signal)
    remaining -= BigInt(size)
  }
}

/**
 * Server side of /perf/1.0.0 (libp2p/specs perf/perf.md): read the 8-byte
 * big-endian uint64 N, drain the upload until the client half-closes, then
 * (never concurrently with the drain) send N bytes and close.
 */
export async function handlePerf (stream) {
  try {
    const header = new Uint8Array(8)
    let headerBytes = 0
    let uploaded = 0
    for await (const chunk of chunksOf(stream)) {
      let offset = 0
      if (headerBytes < 8) {
        const take = Math.min(8 - headerBytes, chunk.byteLength)
        header.set(chunk.subarray(0, take), headerBytes)
        headerBytes += take
        offset = take
      }
      uploaded += chunk.byteLength - offset
    }
    if (headerBytes < 8) {
      throw new Error(`perf client half-closed after ${headerBytes} of 8 header bytes`)
    }
    const toSend = new DataView(header.buffer).getBigUint64(0, false)
    diag(`perf: received ${uploaded} bytes, sending ${toSend}`)
    await sendPerfBytes(stream, toSend)
    await stream.close()
  } catch (err) {
    diag('perf stream failed:', describeError(err))
    stream.abort(err)
  }
}
