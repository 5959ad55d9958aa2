// rec simulate --a trained --b random: a real random feed (Random source + Random scorer) loses to the trained model; --fail-if-worse gates on it.
import {beforeAll, describe, expect, it} from 'vitest'

import type {SimulationReport} from '../../src/lib/simulate/index.js'
import {type CliResult, runCli, tempDir} from '../helpers/cli.js'
import {buildSimFixture, serveSpec, type SimFixture} from './sim-fixture.js'

describe('rec simulate: a random feed against the trained model', () => {
  let f: SimFixture
  let result: CliResult
  let report: SimulationReport
  beforeAll(async () => {
    f = await buildSimFixture(tempDir())
    result = runCli(['simulate', '--world', f.world, '--a', serveSpec(f, '--online none'), '--b', serveSpec(f, `--online none --config ${f.randomConfig}`), '--personas', 'typical,enthusiast', '--sessions-per-persona', '25', '--steps-per-session', '6', '--seed', '7', '--fail-if-worse', 'ctr', '--json'])
    report = JSON.parse(result.stdout) as SimulationReport
  })

  it('B (random) is worse on CTR and on the true interest of what it shows, each interval below 0; regret is higher', () => {
    const all = Object.fromEntries(report.comparison!.by_persona.all.map((d) => [d.metric, d]))
    expect(all.ctr.ci[1]).toBeLessThan(0)
    expect(all.mean_interest.ci[1]).toBeLessThan(0)
    expect(all.regret.ci[0]).toBeGreaterThan(0)
    expect(all.ctr.verdict).toBe('worse')
    // per persona too: the enthusiast, whose interest is one topic, loses the most interest
    const interest = (p: string) => report.comparison!.by_persona[p].find((d) => d.metric === 'mean_interest')!.delta
    expect(interest('enthusiast')).toBeLessThan(interest('typical'))
  })

  it('--fail-if-worse ctr exits 1, after printing the JSON report and saying why on stderr', () => {
    expect(result.code).toBe(1)
    expect(report.format).toBe('rec-simulation/1')
    expect(result.stderr).toMatch(/B is worse than A on ctr/)
  })
})
