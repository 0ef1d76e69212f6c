/** Custom echo protocol: every byte is echoed back until the remote half-closes. */
export const ECHO_PROTOCOL = '/dione/echo/1.0.0'

/** libp2p perf protocol, see libp2p/specs perf/perf.md. */
export const PERF_PROTOCOL = '/perf/1.0.0'

/** libp2p ping protocol. */
export const PING_PROTOCOL = '/ipfs/ping/1.0.0'

/** Upper bound of concurrent inbound/outbound streams per connection for the test protocols. */
export const MAX_TEST_STREAMS = 1024
