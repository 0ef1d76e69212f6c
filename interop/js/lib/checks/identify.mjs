/**
 * `identify`: waits for js's own identify run on the connection (the
 * peer:identify event js emits after validating the remote's Identify
 * message) and reports what js saw.
 */
export async function identifyCheck (ctx) {
  const connection = await ctx.connect()
  const result = await ctx.identifyFor(connection, ctx.signal)
  const problems = []
  if (result.peerId !== connection.remotePeer.toString()) problems.push(`identify for ${result.peerId}, expected ${connection.remotePeer}`)
  if (!Array.isArray(result.protocols) || result.protocols.length === 0) problems.push('remote listed no protocols')
  return {
    ok: problems.length === 0,
    ...(problems.length === 0 ? {} : { error: problems.join('; ') }),
    ...result
  }
}
