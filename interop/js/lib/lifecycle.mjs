import { fstatSync } from 'node:fs'
import { describeError, diag } from './output.mjs'

/** Logs stray errors on stderr instead of crashing: a test peer must stay up. */
export function logStrayErrors () {
  process.on('unhandledRejection', (err) => diag('unhandled rejection:', describeError(err)))
  process.on('uncaughtException', (err) => diag('uncaught exception:', describeError(err), err?.stack ?? ''))
}

/**
 * Calls `stop` once on SIGTERM, SIGINT, or (when stdin is a pipe or socket and
 * `watchStdin` is true) when stdin closes. stdin that is a terminal or
 * /dev/null is not watched, so `node peer.mjs </dev/null` keeps running.
 */
export function onShutdown (stop, { watchStdin = true } = {}) {
  let stopping = false
  const once = (reason) => {
    if (stopping) return
    stopping = true
    diag(`stopping (${reason})`)
    stop(reason)
  }
  process.on('SIGTERM', () => once('SIGTERM'))
  process.on('SIGINT', () => once('SIGINT'))
  if (watchStdin && stdinIsPipe()) {
    process.stdin.on('end', () => once('stdin closed'))
    process.stdin.on('error', () => once('stdin error'))
    process.stdin.resume()
  }
}

function stdinIsPipe () {
  try {
    const stat = fstatSync(0)
    return stat.isFIFO() || stat.isSocket()
  } catch {
    return false
  }
}

/** Resolves with `promise`, or rejects after `ms` milliseconds. */
export async function withTimeout (promise, ms, what) {
  let timer
  try {
    return await Promise.race([
      promise,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}
