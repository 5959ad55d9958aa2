// rec simulate as a library: simulated users of a gen-data world against running servers.
export {loadPersonas, type Persona} from './personas.js'
export {formatReport, isWorse, KNOWN_METRICS, type SimulationReport} from './report.js'
export {runSimulation, type SimTarget, type SimulateOptions} from './run.js'
export {startServers, splitSpec, type SpawnedServer} from './spawn-servers.js'
export {writeSimulationReport} from './write-report.js'
export {simulate, type SimulateRunOptions} from './simulate.js'
