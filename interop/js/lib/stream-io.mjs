import '../polyfill.mjs'

/** Returns a plain Uint8Array for a Uint8Array or Uint8ArrayList chunk. */
export function toBytes (chunk) {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

/**
 * Bytes a stream may hold unread before js-libp2p resets it. While an echo
 * pauses for backpressure the remote may still fill its whole yamux window (up
 * to 16 MiB in js-yamux), and resuming grants a fresh window before what was
 * buffered has been echoed, so a slow reader on the other side can pile up more
 * than one window across pause/resume cycles. That is the likeliest reason the
 * 256 MiB echo was reset in CI (2 s into the test, never reproduced here) with
 * a 32 MiB limit. This peer serves tests, so the bound is what the largest test
 * moves through one stream (256 MiB) and then some:
 * the limit can no longer cut a test short, and memory stays bounded by it.
 */
export const STREAM_READ_BUFFER_BYTES = 512 * 1024 * 1024

/**
 * True when the remote has half-closed and every received byte has been
 * delivered. Checked directly, not only via the one-shot 'end' event: bytes
 * read ahead during multistream-select are pushed back into the stream after
 * 'end' may already have fired.
 */
export function isReadEnded (stream) {
  return stream.remoteWriteStatus !== 'writable' && stream.readBufferLength === 0
}

/**
 * Bytes allowed to wait in a stream's own send buffer before writers pause.
 * js streams report "drain" whenever the muxer can take *some* more data (each
 * yamux window update), not when their send buffer is empty, so waiting for
 * drain alone lets the buffer grow without bound.
 */
export const WRITE_HIGH_WATER_BYTES = 1024 * 1024

/**
 * Resolves once the stream's send buffer has emptied ('idle'); rejects if the
 * stream closes first or `signal` aborts.
 */
export function waitForSendBufferEmpty (stream, signal) {
  if (stream.writeBufferLength === 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.removeEventListener('idle', onIdle)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
    }
    const onIdle = () => { cleanup(); resolve() }
    const onClose = (evt) => { cleanup(); reject(evt.error ?? new Error('stream closed while sending')) }
    const onAbort = () => { cleanup(); reject(signal.reason ?? new Error('aborted')) }
    stream.addEventListener('idle', onIdle)
    stream.addEventListener('close', onClose)
    signal?.addEventListener('abort', onAbort)
  })
}

/**
 * Queues `chunk` on the stream, then, if more than WRITE_HIGH_WATER_BYTES are
 * waiting to be sent, waits until they are all handed to the muxer.
 */
export async function sendWithBackpressure (stream, chunk, signal) {
  stream.send(chunk)
  if (stream.writeBufferLength > WRITE_HIGH_WATER_BYTES) {
    await waitForSendBufferEmpty(stream, signal)
  }
}

/**
 * Yields every received chunk (as Uint8Array) until the remote half-closes.
 * Throws if the stream is reset/aborted or `signal` aborts.
 *
 * Unlike the stream's own async iterator this does not miss a half-close that
 * happened before it was attached (e.g. when the remote sent protocol id,
 * payload and FIN in one burst).
 */
export async function * chunksOf (stream, signal) {
  const queue = []
  let error = null
  let closed = false
  let wake = null
  const notify = () => {
    const w = wake
    wake = null
    w?.()
  }
  const onMessage = (evt) => { queue.push(toBytes(evt.data)); notify() }
  const onEnd = () => notify()
  const onClose = (evt) => {
    closed = true
    if (evt.error != null) error = evt.error
    notify()
  }
  const onAbort = () => {
    error = signal.reason ?? new Error('aborted')
    notify()
  }
  stream.addEventListener('message', onMessage)
  stream.addEventListener('end', onEnd)
  stream.addEventListener('remoteCloseWrite', onEnd)
  stream.addEventListener('close', onClose)
  signal?.addEventListener('abort', onAbort)
  try {
    while (true) {
      if (queue.length > 0) {
        yield queue.shift()
        continue
      }
      if (error != null) throw error
      if (signal?.aborted) throw signal.reason ?? new Error('aborted')
      if (stream.status === 'reset' || stream.status === 'aborted') {
        throw new Error(`stream ${stream.status} before the remote half-closed`)
      }
      if (isReadEnded(stream)) return
      if (closed) {
        throw new Error(`stream ${stream.status} before the remote half-closed`)
      }
      await new Promise(resolve => { wake = resolve })
    }
  } finally {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('end', onEnd)
    stream.removeEventListener('remoteCloseWrite', onEnd)
    stream.removeEventListener('close', onClose)
    signal?.removeEventListener('abort', onAbort)
  }
}
