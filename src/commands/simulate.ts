// rec simulate: live A/B evaluation with simulated users of a gen-data world against running servers.
import {Flags} from '@oclif/core'

import {RecError} from '../lib/errors.js'
import {formatReport, isWorse, KNOWN_METRICS, simulate, type SimulationReport} from '../lib/simulate/index.js'
import {RecCommand} from './_cli/rec-command.js'

/** METRIC[:margin] of --fail-if-worse. */
function parseGate(text: string): {metric: string; margin: number} {
  const [metric, margin = '0'] = text.split(':')
  if (!KNOWN_METRICS.includes(metric)) throw new RecError('INVALID_ARGUMENT', `--fail-if-worse: unknown metric "${metric}" (known: ${KNOWN_METRICS.join(', ')})`)
  const value = Number(margin)
  if (margin.trim() === '' || !Number.isFinite(value) || value < 0) throw new RecError('INVALID_ARGUMENT', `--fail-if-worse: margin must be a number >= 0, got "${margin}"`)
  return {metric, margin: value}
}

export default class Simulate extends RecCommand {
  static override summary = 'Drive simulated users of a generated world through live servers and compare what they did (A/B release gate).'
  static override description = [
    "Simulated users are users of a rec gen-data world (--world): their true interests and the items' true topics, quality and safety come from its truth/, and the response model the generator used answers every impression, changed by each persona (config/personas.yaml: --personas). A step gets a feed, draws the user's response to each item, and posts the interactions with request_id, position and dwell_ms.",
    '--base-url runs against one running rec serve and reports per experiment arm (the responses\' arm tags). --a SPEC --b SPEC starts two rec serve processes on free ports (a SPEC is that server\'s serve flags as one string), runs the same users with the same seeds against both, reports B - A paired by user with bootstrap 95% intervals, and stops them (also on error and Ctrl-C, which writes the partial report).',
    '--fail-if-worse METRIC[:margin] exits 1 when B is significantly worse than A on METRIC over all users: the whole interval beyond margin on the wrong side (lower is better for skip_rate, hide_rate, unsafe_rate, regret).',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> simulate --world data/world --base-url http://127.0.0.1:8080',
    '<%= config.bin %> simulate --world data/world --a "--retrieval ckpt/world --index index/world --dataset data/world --online none" --b "--retrieval ckpt/world --index index/world --dataset data/world --online private" --out report/sim',
    '<%= config.bin %> simulate --world data/world --a "..." --b "..." --fail-if-worse ctr:0.01 --json',
  ]

  static override flags = {
    world: Flags.directory({char: 'w', description: 'Generated world (rec gen-data output with truth/): who the simulated users are.', required: true}),
    'base-url': Flags.string({description: 'A running rec serve (e.g. http://127.0.0.1:8080).', exclusive: ['a', 'b']}),
    a: Flags.string({description: 'rec serve flags of server A, as one string.', dependsOn: ['b']}),
    b: Flags.string({description: 'rec serve flags of server B, as one string.', dependsOn: ['a']}),
    personas: Flags.string({description: 'Comma-separated persona names (default: the config file\'s default list).'}),
    'personas-config': Flags.file({description: 'Personas YAML (default config/personas.yaml).', exists: true}),
    'sessions-per-persona': Flags.integer({min: 1, max: 100_000, description: 'Simulated users per persona.', default: 20}),
    'steps-per-session': Flags.integer({min: 1, max: 10_000, description: 'Feeds each user gets.', default: 10}),
    k: Flags.integer({min: 1, max: 100, description: 'Items per feed.', default: 10}),
    concurrency: Flags.integer({min: 1, max: 1024, description: 'Users in flight at once.', default: 8}),
    seed: Flags.integer({min: 0, max: 0xffffffff, description: 'Seeds the users drawn, their responses and the bootstrap.', default: 42}),
    out: Flags.string({char: 'o', description: 'Directory to write report.json and report.html into.'}),
    force: Flags.boolean({description: 'Replace an existing report in --out.', default: false}),
    'fail-if-worse': Flags.string({description: 'METRIC[:margin]: exit 1 when B is significantly worse than A (e.g. ctr:0.005).', dependsOn: ['a']}),
  }

  async run(): Promise<SimulationReport & {written?: {json: string; html: string}}> {
    const {flags} = await this.parse(Simulate)
    const gate = flags['fail-if-worse'] ? parseGate(flags['fail-if-worse']) : undefined
    const controller = new AbortController()
    const interrupt = () => {
      this.say('interrupted: finishing the steps in flight, then writing the partial report (Ctrl-C again to quit now)')
      controller.abort()
      process.once('SIGINT', () => process.exit(130))
    }
    process.once('SIGINT', interrupt)
    const {report, written} = await simulate({
      world: flags.world,
      baseUrl: flags['base-url'],
      a: flags.a,
      b: flags.b,
      personas: flags.personas?.split(',').map((p) => p.trim()).filter(Boolean),
      personasFile: flags['personas-config'],
      sessionsPerPersona: flags['sessions-per-persona'],
      stepsPerSession: flags['steps-per-session'],
      k: flags.k,
      concurrency: flags.concurrency,
      seed: flags.seed,
      out: flags.out,
      force: flags.force,
      reporter: this.reporter(),
      signal: controller.signal,
    }).finally(() => process.removeListener('SIGINT', interrupt))
    for (const line of formatReport(report)) this.say(line)
    if (written) this.say(`wrote ${written.json} and ${written.html}`)
    const result = {...report, ...(written ? {written} : {})}
    if (gate && isWorse(report, gate.metric, gate.margin)) {
      this.say(`B is worse than A on ${gate.metric} beyond margin ${gate.margin}: failing (--fail-if-worse)`)
      if (this.jsonEnabled()) this.logJson(result)
      this.exit(1)
    }
    return result
  }
}
