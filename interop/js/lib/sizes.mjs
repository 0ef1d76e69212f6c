const UNITS = { '': 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 }

/** Parses "1048576", "64k", "256MiB", "1g" (binary units) into a safe integer byte count. */
export function parseSize (text, name) {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(String(text).trim())
  const unit = match == null ? undefined : UNITS[match[2].toLowerCase()]
  const value = unit == null ? NaN : Number(match[1]) * unit
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a byte count like 1048576, 64k or 256MiB, got "${text}"`)
  }
  return value
}

/** Parses a positive integer option. */
export function parsePositiveInt (text, name) {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`)
  return value
}

/** Parses a non-negative integer option. */
export function parseCount (text, name) {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`)
  return value
}
