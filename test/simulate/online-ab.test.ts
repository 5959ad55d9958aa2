// rec simulate --a/--b on real servers: online learning (private) against none, with the same users and seeds; the report page in Chromium.
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import type {SimulationReport} from '../../src/lib/simulate/index.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {renderPage} from '../serving/headless.js'
import {buildSimFixture, serveSpec, type SimFixture} from './sim-fixture.js'

const hasChromium = existsSync('/usr/bin/chromium')

describe('rec simulate: --online private against --online none', () => {
  let f: SimFixture
  let report: SimulationReport
  let out: string
  beforeAll(async () => {
    f = await buildSimFixture(tempDir())
    out = join(f.dir, 'report')
    const result = runCli(['simulate', '--world', f.world, '--a', serveSpec(f, '--online none'), '--b', serveSpec(f, '--online private'), '--personas', 'enthusiast', '--sessions-per-persona', '40', '--steps-per-session', '16', '--k', '10', '--seed', '42', '--out', out, '--json'])
    expect(result.code, result.stderr).toBe(0)
    report = JSON.parse(result.stdout) as SimulationReport
  })

  it('B (private) beats A (none) on CTR over the last half of the steps: the interval lies above 0', () => {
    const late = report.comparison!.by_persona.all.find((d) => d.metric === 'ctr_late')!
    expect(late.ci[0]).toBeGreaterThan(0)
    expect(late.verdict).toBe('better')
    // the users are paired: the same 40 users met both servers
    expect(report.groups.filter((g) => g.persona === 'all').map((g) => [g.arm, g.users, g.steps])).toEqual([
      ['A', 40, 640],
      ['B', 40, 640],
    ])
    // the curve has one point per step
    expect(report.groups[0].ctr_by_step).toHaveLength(16)
    expect(report.partial).toBe(false)
  })

  it('writes report.json (the same report) and a self-contained report.html that states the protocol', () => {
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as SimulationReport
    expect(json.comparison).toEqual(report.comparison)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).not.toMatch(/<script|<link|(src|href)="https?:/)
    expect(html).toContain('Protocol.')
  })

  it.skipIf(!hasChromium)('report.html renders its tables and three SVG charts in headless Chromium', async () => {
    const dom = await renderPage(`file://${join(out, 'report.html')}`)
    expect(dom.match(/<svg[^>]*class="chart"/g)).toHaveLength(3)
    expect(dom).toContain('data-chart="adaptation"')
    expect(dom).toMatch(/data-table="diffs"/)
    expect(dom).toMatch(/ctr_late/)
  })
})
