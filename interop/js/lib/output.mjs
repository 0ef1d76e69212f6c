// One JSON object per stdout line: the only contract the C# harness reads.
// Everything else (diagnostics, libp2p DEBUG logs) goes to stderr.

/** Writes `record` as one JSON line on stdout (bigints become strings). */
export function emit (record) {
  process.stdout.write(JSON.stringify(record, (_key, value) => typeof value === 'bigint' ? value.toString() : value) + '\n')
}

/** Writes a diagnostic line on stderr. */
export function diag (...parts) {
  process.stderr.write(`[${new Date().toISOString()}] ${parts.join(' ')}\n`)
}

/** Message of an error, including its name and cause chain. */
export function describeError (err) {
  if (err == null) return 'unknown error'
  let text = `${err.name ?? 'Error'}: ${err.message ?? String(err)}`
  if (err.cause != null) text += ` (cause: ${describeError(err.cause)})`
  return text
}
