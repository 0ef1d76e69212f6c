import { describeConnection } from '../node.mjs'

/**
 * `connect`: dials the target (TCP, multistream-select, Noise, muxer) and
 * reports the remote peer id, negotiated encryption and muxer, and the time.
 */
export async function connectCheck (ctx) {
  const started = performance.now()
  const connection = await ctx.node.dial(ctx.target, { signal: ctx.signal })
  const ms = performance.now() - started
  ctx.connection = connection
  const info = describeConnection(connection)
  const expectedPeer = ctx.targetPeerId
  const ok = expectedPeer == null || info.peerId === expectedPeer
  return {
    ok,
    ...(ok ? {} : { error: `connected to ${info.peerId}, expected ${expectedPeer}` }),
    remotePeer: info.peerId,
    remoteAddr: info.remoteAddr,
    encryption: info.encryption,
    multiplexer: info.multiplexer,
    connectMs: round(ms)
  }
}

function round (value) {
  return Math.round(value * 1000) / 1000
}
