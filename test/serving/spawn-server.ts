// Starts `rec serve` as a real child process on a free port and waits for its "listening on" line.
import {type ChildProcess, spawn} from 'node:child_process'
import {resolve} from 'node:path'

const BIN = resolve(import.meta.dirname, '../../bin/run.js')

export interface ServerProcess {
  child: ChildProcess
  url: string
  /** stdout so far: one JSON log line per request. */
  logs(): string
  /** stderr so far: human text. */
  stderr(): string
  exited: Promise<number | null>
}

export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk
      const match = /listening on (http:\/\/\S+)/.exec(stderr)
      if (match) resolve(match[1])
    })
    void exited.then((code) => reject(new Error(`rec serve exited with ${code}: ${stderr}`)))
  })
  return {child, url, logs: () => stdout, stderr: () => stderr, exited}
}
