// Starts `rec serve` child processes on free ports for --a / --b, and stops them (also on failure and Ctrl-C).
import {type ChildProcess, spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {RecError} from '../errors.js'

const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))
/** Loading models on a busy 2-core machine took 3-20 s; beyond this a start counts as failed. */
const START_TIMEOUT_MS = 180_000
const STOP_GRACE_MS = 10_000

export interface SpawnedServer {
  name: string
  spec: string
  url: string
  stop(): Promise<void>
}

/** A SPEC string as argv: whitespace splits, single or double quotes group, backslash escapes one character. */
export function splitSpec(spec: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | undefined
  let started = false
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"' && i + 1 < spec.length) current += spec[++i]
      else current += c
    } else if (c === '"' || c === "'") {
      quote = c
      started = true
    } else if (c === '\\' && i + 1 < spec.length) {
      current += spec[++i]
      started = true
    } else if (/\s/.test(c)) {
      if (started) out.push(current)
      current = ''
      started = false
    } else {
      current += c
      started = true
    }
  }
  if (quote) throw new RecError('INVALID_ARGUMENT', `unclosed ${quote} in server spec: ${spec}`)
  if (started) out.push(current)
  return out
}

/** The last non-empty stderr line of a server that died, without the "rec: error: " prefix. */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return (lines.at(-1) ?? 'no output').replace(/^rec: (internal )?error: /, '')
}

function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  return exited.then(() => clearTimeout(timer))
}

/** One server: `rec serve SPEC --host 127.0.0.1 --port 0` (host and port unless the spec sets them); resolves once it listens. */
export async function startServer(name: string, spec: string): Promise<SpawnedServer> {
  const args = splitSpec(spec)
  if (!args.includes('--host')) args.push('--host', '127.0.0.1')
  if (!args.includes('--port')) args.push('--port', '0')
  // its own process group: a Ctrl-C in the terminal reaches the simulator, which writes its report and then stops the servers
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {stdio: ['ignore', 'pipe', 'pipe'], detached: true})
  child.stdout!.resume() // request log lines: drained, not kept
  let stderr = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const stop = async () => {
    await stopChild(child, exited)
    process.removeListener('exit', killOnExit)
  }
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RecError('UNAVAILABLE', `server ${name} (${spec}) did not start listening within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
      child.stderr!.on('data', (chunk: Buffer) => {
        if (stderr.length < 65_536) stderr += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(stderr)
        if (match) {
          clearTimeout(timer)
          resolve(match[1])
        }
      })
      child.once('error', (error) => reject(new RecError('UNAVAILABLE', `server ${name} could not be started: ${error.message}`)))
      void exited.then(() => {
        clearTimeout(timer)
        reject(new RecError('INVALID_ARGUMENT', `server ${name} failed to start (rec serve ${spec}): ${lastLine(stderr)}`))
      })
    })
    child.stderr!.resume()
    return {name, spec, url, stop}
  } catch (error) {
    await stop()
    throw error
  }
}

/** Starts every spec at once; when one fails the others are stopped before the error is thrown. */
export async function startServers(specs: {name: string; spec: string}[]): Promise<SpawnedServer[]> {
  const settled = await Promise.allSettled(specs.map((s) => startServer(s.name, s.spec)))
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<SpawnedServer>).value)
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)))
  throw failed.reason
}
