// rec simulate: drives simulated users of a world through one server (its experiment arms) or two (A and B), and reports what they did.
import type {Reporter} from '../reporter.js'
import {silentReporter} from '../reporter.js'
import {RecError} from '../errors.js'
import {ServerClient} from './client.js'
import {loadPersonas} from './personas.js'
import {buildReport, type SimulationReport} from './report.js'
import {loadSimWorld} from './sim-world.js'
import {runStep} from './step.js'
import type {UserRun} from './stats.js'
import {drawUsers, UserSession} from './user-state.js'

/** A server the users meet: one (its experiment arms reported apart) or two, A and B, meeting the same users. */
export interface SimTarget {
  name: string
  baseUrl: string
  /** The `rec serve` flags it was started with (--a / --b), for the report. */
  spec?: string
}

export interface SimulateOptions {
  world: string
  targets: SimTarget[]
  /** Persona names; empty: the file's default list. */
  personas?: string[]
  personasFile?: string
  sessionsPerPersona: number
  stepsPerSession: number
  k: number
  concurrency: number
  seed: number
  reporter?: Reporter
  /** Aborting stops new steps; the steps in flight finish and the report is built from what ran (partial). */
  signal?: AbortSignal
}

/** Runs every user's session, a step at a time, on every target at once (the same response draws on each). */
export async function runSimulation(options: SimulateOptions): Promise<SimulationReport> {
  const reporter = options.reporter ?? silentReporter
  if (options.targets.length < 1 || options.targets.length > 2) throw new RecError('INVALID_ARGUMENT', 'simulate needs one server (--base-url) or two (--a and --b)')
  // --- inputs: personas and world first (a bad name or a world without truth fails before any request)
  const personas = await loadPersonas(options.personas ?? [], options.personasFile)
  const world = await loadSimWorld(options.world)
  const clients = options.targets.map((t) => new ServerClient(t.baseUrl))
  for (const client of clients) await client.ready()
  const users = drawUsers(world, personas, options.sessionsPerPersona, options.k, options.seed)
  reporter.info(`simulating ${users.length} users (${personas.map((p) => p.name).join(', ')}) x ${options.stepsPerSession} steps of k ${options.k} against ${options.targets.map((t) => `${t.name} ${t.baseUrl}`).join(' and ')}`)

  // --- loop: `concurrency` users at a time, each user's steps in order, the targets side by side
  const runs: UserRun[][] = options.targets.map(() => [])
  const total = users.length * options.stepsPerSession
  // timed from here: the steps, not loading the world
  const started = performance.now()
  const bar = reporter.progress('feed steps', total)
  let next = 0
  let failure: unknown
  let feedSteps = 0
  const stopped = () => failure !== undefined || options.signal?.aborted === true
  const worker = async () => {
    while (!stopped() && next < users.length) {
      const user = users[next++]
      const sessions = clients.map(() => new UserSession(user, world))
      const mine = clients.map((_, t) => {
        const run: UserRun = {key: user.key, persona: user.persona.name, arm: options.targets[t].name, steps: []}
        runs[t].push(run)
        return run
      })
      for (let s = 0; s < options.stepsPerSession && !stopped(); s++) {
        const records = await Promise.all(clients.map((client, t) => runStep(client, world, sessions[t], options.k)))
        records.forEach((record, t) => mine[t].steps.push(record))
        feedSteps += records.length
        bar.tick(1)
      }
    }
  }
  await Promise.all(
    Array.from({length: Math.max(1, options.concurrency)}, () =>
      worker().catch((error: unknown) => {
        failure ??= error
      }),
    ),
  )
  bar.stop()
  if (failure !== undefined) throw failure
  const seconds = (performance.now() - started) / 1000
  return buildReport({options, personas, runs, partial: options.signal?.aborted === true, seconds, feedSteps})
}
