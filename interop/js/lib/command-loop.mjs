// Commands as JSON lines on stdin, one result line on stdout for each.
//
// A command is {"cmd":NAME, "id":ANY?, "timeoutMs":N?, ...arguments}. Its
// answer is {"event":"result","id":ID,"cmd":NAME,"ok":true,...fields,"ms":N}
// or {"event":"result","id":ID,"cmd":NAME,"ok":false,"error":TEXT,"ms":N}.
// Commands run concurrently; "id" (echoed back) tells the answers apart.
import { describeError, diag, emit } from './output.mjs'

/** Longest command line accepted; the rest of a longer line is dropped and answered with an error. */
export const MAX_COMMAND_CHARS = 1024 * 1024

/** Largest timeoutMs a command may ask for. */
export const MAX_COMMAND_TIMEOUT_MS = 10 * 60 * 1000

/**
 * Reads commands from stdin until it ends, then calls `onEnd` once.
 *
 * handlers: { [cmd]: async (command, { signal }) => fields }
 * defaultTimeoutMs: used when a command has no timeoutMs.
 */
export function runCommandLoop ({ handlers, defaultTimeoutMs, onEnd }) {
  let pending = ''
  let overflowed = false
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => {
    let start = 0
    let newline
    while ((newline = chunk.indexOf('\n', start)) !== -1) {
      const piece = chunk.slice(start, newline)
      start = newline + 1
      if (overflowed || pending.length + piece.length > MAX_COMMAND_CHARS) {
        answer({ id: null, cmd: null }, { ok: false, error: `command line longer than ${MAX_COMMAND_CHARS} characters` }, 0)
      } else {
        dispatch(pending + piece)
      }
      pending = ''
      overflowed = false
    }
    const rest = chunk.slice(start)
    if (pending.length + rest.length > MAX_COMMAND_CHARS) {
      overflowed = true
      pending = ''
    } else if (!overflowed) {
      pending += rest
    }
  })
  let ended = false
  const end = (reason) => {
    if (ended) return
    ended = true
    onEnd(reason)
  }
  process.stdin.on('end', () => end('stdin closed'))
  process.stdin.on('error', () => end('stdin error'))

  function dispatch (line) {
    const text = line.trim()
    if (text.length === 0) return
    let command
    try {
      command = JSON.parse(text)
    } catch (err) {
      answer({ id: null, cmd: null }, { ok: false, error: `not JSON: ${describeError(err)}` }, 0)
      return
    }
    if (command == null || typeof command !== 'object' || Array.isArray(command) || typeof command.cmd !== 'string') {
      answer({ id: command?.id ?? null, cmd: null }, { ok: false, error: 'a command is a JSON object with a string "cmd"' }, 0)
      return
    }
    void run(command)
  }

  async function run (command) {
    const started = Date.now()
    const handler = Object.hasOwn(handlers, command.cmd) ? handlers[command.cmd] : undefined
    if (handler == null) {
      answer(command, { ok: false, error: `unknown cmd "${command.cmd}", expected one of ${Object.keys(handlers).join(', ')}` }, 0)
      return
    }
    const timeoutMs = command.timeoutMs ?? defaultTimeoutMs
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_COMMAND_TIMEOUT_MS) {
      answer(command, { ok: false, error: `timeoutMs must be an integer in 1..${MAX_COMMAND_TIMEOUT_MS}` }, 0)
      return
    }
    const controller = new AbortController()
    let timer
    const timedOut = new Promise((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`${command.cmd} timed out after ${timeoutMs} ms`)
        error.name = 'TimeoutError'
        controller.abort(error)
        reject(error)
      }, timeoutMs)
    })
    try {
      const fields = await Promise.race([handler(command, { signal: controller.signal }), timedOut])
      answer(command, { ok: true, ...fields }, Date.now() - started)
    } catch (err) {
      diag(`${command.cmd} failed:`, describeError(err))
      answer(command, { ok: false, error: describeError(err) }, Date.now() - started)
    } finally {
      clearTimeout(timer)
      timedOut.catch(() => {})
    }
  }
}

function answer (command, fields, ms) {
  emit({ event: 'result', id: command.id ?? null, cmd: command.cmd ?? null, ...fields, ms })
}
