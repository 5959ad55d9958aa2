// The whole `rec simulate` run: start the --a/--b servers (or use --base-url), simulate, stop them whatever happens, write --out.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import {loadPersonas} from './personas.js'
import type {SimulationReport} from './report.js'
import {runSimulation, type SimulateOptions} from './run.js'
import {loadSimWorld} from './sim-world.js'
import {type SpawnedServer, startServers} from './spawn-servers.js'
import {writeSimulationReport} from './write-report.js'

export interface SimulateRunOptions extends Omit<SimulateOptions, 'targets'> {
  baseUrl?: string
  a?: string
  b?: string
  out?: string
  force?: boolean
}

export async function simulate(options: SimulateRunOptions): Promise<{report: SimulationReport; written?: {json: string; html: string}}> {
  // --- inputs, checked before any server starts
  if (options.baseUrl && (options.a || options.b)) throw new RecError('INVALID_ARGUMENT', 'give --base-url or --a and --b, not both')
  if (!options.baseUrl && !(options.a && options.b)) throw new RecError('INVALID_ARGUMENT', 'give --base-url URL (a running rec serve) or both --a SPEC and --b SPEC (rec serve flags of the two servers to start)')
  if (options.out && !options.force && existsSync(join(options.out, 'report.json'))) throw new RecError('ALREADY_EXISTS', `output ${join(options.out, 'report.json')} already exists`, {hint: 'pass --force to replace it'})
  await loadPersonas(options.personas ?? [], options.personasFile)
  await loadSimWorld(options.world)

  // --- servers, run, stop
  let servers: SpawnedServer[] = []
  let report: SimulationReport
  try {
    if (options.baseUrl) {
      report = await runSimulation({...options, targets: [{name: 'server', baseUrl: options.baseUrl.replace(/\/+$/, '')}]})
    } else {
      options.reporter?.info('starting servers A and B')
      servers = await startServers([
        {name: 'A', spec: options.a!},
        {name: 'B', spec: options.b!},
      ])
      report = await runSimulation({...options, targets: servers.map((s) => ({name: s.name, baseUrl: s.url, spec: s.spec}))})
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
  const written = options.out ? await writeSimulationReport(options.out, report) : undefined
  return {report, ...(written ? {written} : {})}
}
