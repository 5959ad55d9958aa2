// A throwaway PostgreSQL cluster for one test file: initdb in a temp dir, pg_ctl on a free loopback port, removed after.
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface TestPostgres {
  /** postgres://rec@127.0.0.1:PORT/rec */
  url: string
  port: number
  /** Stops the server (fast shutdown) and removes the cluster. */
  stop(): void
  /** Stops the server only (to test a lost connection); start() brings it back on the same port. */
  pause(): void
  start(): void
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return majors.length > 0 ? join(root, majors[0], 'bin') : undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as {port: number}).port
      server.close(() => resolve(port))
    })
  })
}

/**
 * initdb refuses to run as root, so as root the cluster belongs to the package's `postgres` user.
 * fsync=off: the tests kill rec serve, never PostgreSQL, so the server's own durability is not under
 * test, and fsync per commit would make them slower.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin()
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does this)')
  const root = mkdtempSync(join(tmpdir(), 'rec-pg-'))
  const data = join(root, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).trim())
    chownSync(root, uid, gid)
    chmodSync(root, 0o700)
  }
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]
    const result = spawnSync(command, argv, {encoding: 'utf8', cwd: root})
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`)
  }
  run('initdb', ['-D', data, '-U', 'rec', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'])
  const port = await freePort()
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', '-t', '30', 'start'])
  const pause = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
  start()
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'rec', 'rec'])
  return {
    url: `postgres://rec@127.0.0.1:${port}/rec`,
    port,
    start,
    pause,
    stop() {
      try {
        pause()
      } catch {
        // already stopped
      }
      rmSync(root, {recursive: true, force: true})
    },
  }
}
