import '../polyfill.mjs'
import { describeError, diag } from './output.mjs'
import { isReadEnded, STREAM_READ_BUFFER_BYTES, waitForSendBufferEmpty, WRITE_HIGH_WATER_BYTES } from './stream-io.mjs'

/**
 * Stream handler for /dione/echo/1.0.0: echoes every byte back until the
 * remote half-closes its write side, then half-closes ours.
 * Reading pauses while more than WRITE_HIGH_WATER_BYTES wait in our send
 * buffer (so yamux stops granting the remote window) and resumes once that
 * buffer has emptied.
 */
export function handleEcho (stream) {
  stream.maxReadBufferLength = STREAM_READ_BUFFER_BYTES
  return new Promise((resolve) => {
    let finished = false
    let waitingForSendBuffer = false

    const cleanup = () => {
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', maybeFinish)
      stream.removeEventListener('remoteCloseWrite', maybeFinish)
      stream.removeEventListener('close', onClose)
    }
    const fail = (err) => {
      if (finished) return
      finished = true
      cleanup()
      diag('echo stream failed:', describeError(err))
      stream.abort(err)
      resolve()
    }
    function maybeFinish () {
      if (finished || !isReadEnded(stream)) return
      finished = true
      cleanup()
      stream.close().then(resolve, (err) => {
        diag('echo close failed:', describeError(err))
        stream.abort(err)
        resolve()
      })
    }
    function onClose (evt) {
      if (finished) return
      finished = true
      cleanup()
      if (evt.error != null) diag('echo stream closed with error:', describeError(evt.error))
      resolve()
    }
    function onMessage (evt) {
      try {
        stream.send(evt.data)
        if (stream.writeBufferLength > WRITE_HIGH_WATER_BYTES && !waitingForSendBuffer) {
          waitingForSendBuffer = true
          if (stream.readStatus === 'readable') stream.pause()
          waitForSendBufferEmpty(stream).then(() => {
            waitingForSendBuffer = false
            if (stream.readStatus === 'paused') stream.resume()
            maybeFinish()
          }, fail)
        }
      } catch (err) {
        fail(err)
        return
      }
      maybeFinish()
    }

    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', maybeFinish)
    stream.addEventListener('remoteCloseWrite', maybeFinish)
    stream.addEventListener('close', onClose)
    // the remote may have half-closed before the handler ran
    queueMicrotask(maybeFinish)
  })
}
