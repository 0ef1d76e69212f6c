// Runs dht-peer.mjs as a child process and talks to it through its JSON-line
// command protocol: the js counterpart of the C# test harness.
import '../polyfill.mjs'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './lifecycle.mjs'

const DHT_PEER = fileURLToPath(new URL('../dht-peer.mjs', import.meta.url))

/** One dht-peer.mjs child: start(), then command(), then stop(). */
export class DhtPeerProcess {
  constructor (name, args) {
    this.name = name
    this.nextId = 1
    this.waiters = new Map()
    this.readyWaiter = Promise.withResolvers()
    this.stderr = ''
    this.child = spawn(process.execPath, [DHT_PEER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })))
    this.child.on('error', (err) => this.fail(err))
    this.exited.then(({ code, signal }) => this.fail(new Error(`${name} exited (code ${code}, signal ${signal})`)))
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', (text) => { this.stderr = (this.stderr + text).slice(-65536) })
    let pending = ''
    this.child.stdout.setEncoding('utf8')
    this.child.stdout.on('data', (text) => {
      const lines = (pending + text).split('\n')
      pending = lines.pop()
      for (const line of lines) this.onLine(line)
    })
  }

  /** Starts `node dht-peer.mjs <args>` and waits for its ready line. */
  static async start (name, args = [], timeoutMs = 30000) {
    const peer = new DhtPeerProcess(name, args)
    peer.ready = await withTimeout(peer.readyWaiter.promise, timeoutMs, `${name} ready`)
    return peer
  }

  get peerId () { return this.ready.peerId }

  get addr () { return this.ready.addrs[0] }

  /** Sends a command and returns its result line; throws when ok is false. */
  async command (cmd, args = {}, timeoutMs = 60000) {
    const result = await this.tryCommand(cmd, args, timeoutMs)
    if (result.ok !== true) throw new Error(`${this.name} ${cmd} failed: ${result.error}`)
    return result
  }

  /** Sends a command and returns its result line, ok or not. */
  async tryCommand (cmd, args = {}, timeoutMs = 60000) {
    const id = this.nextId++
    const waiter = Promise.withResolvers()
    this.waiters.set(id, waiter)
    this.child.stdin.write(JSON.stringify({ id, cmd, ...args }) + '\n')
    try {
      return await withTimeout(waiter.promise, timeoutMs, `${this.name} ${cmd}`)
    } finally {
      this.waiters.delete(id)
    }
  }

  /** Sends the stop command, then waits for exit (killing the child if it lingers). */
  async stop (timeoutMs = 10000) {
    if (this.child.exitCode == null && this.child.signalCode == null) {
      await this.tryCommand('stop', {}, timeoutMs).catch(() => {})
      await withTimeout(this.exited, timeoutMs, `${this.name} exit`).catch(() => this.child.kill('SIGKILL'))
    }
    return this.exited
  }

  onLine (line) {
    if (line.trim().length === 0) return
    let message
    try {
      message = JSON.parse(line)
    } catch {
      this.stderr += `[stdout, not JSON] ${line}\n`
      return
    }
    if (message.event === 'ready') this.readyWaiter.resolve(message)
    if (message.event === 'result') this.waiters.get(message.id)?.resolve(message)
  }

  fail (err) {
    this.readyWaiter.reject(err)
    this.readyWaiter.promise.catch(() => {})
    for (const waiter of this.waiters.values()) waiter.reject(err)
  }
}
