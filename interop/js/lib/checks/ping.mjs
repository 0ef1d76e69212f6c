/**
 * `ping`: several /ipfs/ping/1.0.0 round trips over the existing connection.
 * js's ping service sends 32 random bytes per stream, half-closes and checks the echo.
 */
export async function pingCheck (ctx) {
  const connection = await ctx.connect()
  const rtts = []
  const reported = []
  for (let i = 0; i < ctx.options.pings; i++) {
    const started = performance.now()
    const rtt = await ctx.node.services.ping.ping(connection.remotePeer, { signal: ctx.signal })
    rtts.push(Math.round((performance.now() - started) * 1000) / 1000)
    reported.push(rtt)
  }
  return {
    ok: true,
    count: rtts.length,
    rttMs: rtts,
    jsReportedRttMs: reported,
    minMs: Math.min(...rtts),
    avgMs: Math.round(rtts.reduce((a, b) => a + b, 0) / rtts.length * 1000) / 1000,
    maxMs: Math.max(...rtts)
  }
}
