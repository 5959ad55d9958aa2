// rec analytics and rec guardrail check as users run them (the built binary): JSON, human lines, the HTML page in Chromium, exit codes.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {beforeAll, describe, expect, it} from 'vitest'

import {readRegistry, registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression, StoredInteraction} from '../../src/lib/store/types.js'
import {writeFixtureState} from '../analytics/fixture.js'
import {type CliResult, runCli, tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from '../registry/make-checkpoint.js'

/** Screenshots outlive the test's temp dirs: REC_TEST_OUTPUT, else <tmpdir>/rec-test-output. */
const SHOTS = process.env.REC_TEST_OUTPUT ?? join(tmpdir(), 'rec-test-output')
const hasChromium = existsSync('/usr/bin/chromium')

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^rec: error: /)
  expect(lines[0]).toMatch(pattern)
}

describe('rec analytics', () => {
  let state: string
  beforeAll(async () => {
    state = await writeFixtureState()
  })

  it('prints the global and per-arm figures; --json carries the same numbers as the HTTP routes', () => {
    const result = runCli(['analytics', '--state', state, '--now', '2024-06-10', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.store).toBe(`sqlite:${join(state, 'interactions.sqlite')}`)
    expect(report.global).toMatchObject({impressions: 18, clicks: 5, conversions: 2, window: {since: null, until: '2024-06-10T00:00:00.000Z', days: null}})
    expect(report.experiments).toHaveLength(1)
    expect(report.experiments[0]).toMatchObject({experiment: 'home', control: 'control', arms: [{arm: 'control', impressions: 8, clicks: 3}, {arm: 'treatment', impressions: 8, clicks: 1, vs_control: {ctr: {diff: -0.25}}}]})
    const lines = result.stderr.trim().split('\n')
    expect(lines[0]).toBe('all feeds (up to 2024-06-10T00:00:00.000Z): impressions 18 | clicks 5 | ctr 27.78% [12.50%, 50.87%] | conversions 2 | conversion 40.00% [11.76%, 76.93%]')
    expect(lines[1]).toMatch(/^home\/control: impressions 8 \| clicks 3 \| ctr 37\.50% .* \| control$/)
    expect(lines[2]).toMatch(/^home\/treatment: impressions 8 \| clicks 1 \| ctr 12\.50% .* \| ctr vs control -25\.00 pp p=0\.248 \| conversion vs control \+66\.67 pp p=0\.248$/)
  })

  it('--experiment --days --out writes analytics.json and a self-contained analytics.html that Chromium renders with per-day CTR per arm', async () => {
    const out = join(tempDir(), 'report')
    const result = runCli(['analytics', '--state', state, '--experiment', 'home', '--days', '14', '--now', '2024-06-10T00:00:00Z', '--out', out])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`wrote ${join(out, 'analytics.json')} and ${join(out, 'analytics.html')}`)
    const json = JSON.parse(readFileSync(join(out, 'analytics.json'), 'utf8'))
    expect(json.experiments[0].daily).toHaveLength(15) // 05-27 .. 06-10
    const html = readFileSync(join(out, 'analytics.html'), 'utf8')
    expect(html).not.toMatch(/<script|<link|@import|url\(|(src|href)=/i)
    expect([...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['daily-ctr', 'ctr-home', 'conversion-home'])
    expectOneLineError(runCli(['analytics', '--state', state, '--out', out]), /output .*report already exists \(pass --force to replace it\)/)
    if (!hasChromium) return
    const {renderPage, screenshotPage} = await import('../serving/headless.js')
    const url = pathToFileURL(join(out, 'analytics.html')).href
    const dom = await renderPage(url)
    expect(dom.match(/<svg [^>]*class="chart"/g)).toHaveLength(3)
    // one line for all feeds, then one per arm in each experiment chart
    expect(dom.match(/<polyline /g)).toHaveLength(5)
    expect(dom).toContain('<title>control 06-01: 0.5000</title>')
    expect(dom).toContain('<title>treatment 06-02: 0.0000</title>')
    mkdirSync(SHOTS, {recursive: true})
    const png = join(SHOTS, 'analytics.png')
    await screenshotPage(url, png, '1200,1400')
    const bytes = readFileSync(png)
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 1400])
    expect(bytes.length).toBeGreaterThan(30_000) // a blank page is ~4 KB
  })

  it('bad input is one line and exit 2: a missing --state, days out of range, an unknown experiment or event', () => {
    const missing = join(tempDir(), 'nowhere')
    expectOneLineError(runCli(['analytics', '--state', missing]), new RegExp(`${missing}/interactions.sqlite does not exist \\(pass the --state directory of \`rec serve\`\\)`))
    const json = runCli(['analytics', '--state', missing, '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'NOT_FOUND', message: expect.stringContaining('does not exist')}})
    expectOneLineError(runCli(['analytics', '--state', state, '--days', '0']), /--days.*"0" is not an integer from 1 to 3650/)
    expectOneLineError(runCli(['analytics', '--state', state, '--experiment', 'nope', '--now', '2024-06-10']), /no impression in the window carries experiment "nope" \(experiments served: home\)/)
    expectOneLineError(runCli(['analytics', '--state', state, '--conversion-events', 'like,purchase']), /conversion event "purchase" is not an event/)
    expectOneLineError(runCli(['analytics', '--state', state, '--now', 'yesterday']), /^rec: error: Parsing --now: "yesterday" is not a time \(give ms since 1970 or an ISO time/)
    expectOneLineError(runCli(['analytics']), /Missing required flag state/)
  })

  it('--help shows the definitions and examples', () => {
    const help = runCli(['analytics', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('EXAMPLES')
    expect(help.stdout).toContain('analytics --state state/ --experiment home --days 14 --json')
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('CTR = clicked impressions / impressions')
  })
})

describe('rec guardrail check', () => {
  const T0 = Date.UTC(2024, 5, 1, 12)
  let root: string
  let registry: string
  let state: string
  let experiments: string

  /** candidate: v1 -> v2 (rolls back to v1); 20 feeds of 10 per arm, clicks on control feeds only (CTR 0.2 against 0). */
  beforeAll(async () => {
    root = tempDir()
    registry = join(root, 'registry')
    for (const tag of ['one', 'two']) await registerCheckpoint(registry, makeCheckpoint(join(root, tag), {tag}))
    await setAlias(registry, 'production', 1)
    await setAlias(registry, 'candidate', 1)
    await setAlias(registry, 'candidate', 2)
    state = join(root, 'state')
    const store = new SqliteStore(state)
    const impressions: Impression[] = []
    const clicks: StoredInteraction[] = []
    for (let f = 0; f < 20; f++) {
      for (const arm of ['control', 'treatment']) {
        const userId = BigInt(arm === 'control' ? f : 1000 + f)
        for (let p = 0; p < 10; p++) impressions.push({requestId: `${arm}-${f}`, ts: T0 + f * 60_000, userId, itemId: BigInt(100 + p), position: p, source: 'Popular', score: 1, versions: {}, experiment: 'home', arm})
        if (arm === 'control') clicks.push({userId, itemId: 100n, event: 'click', ts: T0 + f * 60_000 + 1000, requestId: `control-${f}`}, {userId, itemId: 101n, event: 'click', ts: T0 + f * 60_000 + 2000, requestId: `control-${f}`})
      }
    }
    await store.recordImpressions(impressions)
    await store.record(clicks, new Map())
    await store.close()
    experiments = join(root, 'experiments.yaml')
    writeFileSync(
      experiments,
      [
        'experiments:',
        '  - id: home',
        '    salt: "2024"',
        '    arms:',
        '      - {name: control, percent: 50, retrieval: production}',
        '      - {name: treatment, percent: 50, retrieval: candidate}',
        '    guardrail: {min-impressions: 100, ctr-drop-ratio: 0.2, conversion-drop-ratio: 0.5, days: 7}',
        '',
      ].join('\n'),
    )
  })

  it('rolls the treatment back and reroutes it (exit 0, JSON verdicts); a second run does nothing', async () => {
    const args = ['guardrail', 'check', '--state', state, '--registry', registry, '--experiments', experiments, '--now', '2024-06-03T00:00:00Z', '--json']
    const first = runCli(args)
    expect(first.code, first.stderr).toBe(0)
    const run = JSON.parse(first.stdout)
    expect(run).toMatchObject({now: '2024-06-03T00:00:00.000Z', counts: {evaluations: 1, rollbacks: 1}})
    expect(run.verdicts).toEqual([
      expect.objectContaining({
        experiment: 'home',
        arm: 'treatment',
        control: 'control',
        action: 'rollback',
        status: 'dropped',
        reason: 'guardrail home/treatment: ctr 0.0000 < 0.1600 (control 0.2000 x (1 - 0.2))',
        applied: {models: [{kind: 'retrieval', ref: 'candidate', outcome: 'rolled-back', from: 2, to: 1}], reroute: {experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: run.verdicts[0].reason, at: Date.UTC(2024, 5, 3)}},
      }),
    ])
    expect(first.stderr).toContain('home/treatment: rollback (dropped): guardrail home/treatment: ctr 0.0000 < 0.1600')
    const reg = await readRegistry(registry)
    expect(reg.aliases.candidate).toMatchObject({version: 1, events: [{action: 'rollback', from: 2, to: 1, reason: run.verdicts[0].reason}]})

    const before = readFileSync(join(registry, 'registry.json'))
    const second = runCli(args)
    expect(second.code, second.stderr).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({counts: {evaluations: 0, rollbacks: 0}, verdicts: [{action: 'none', status: 'already-rerouted'}]})
    expect(readFileSync(join(registry, 'registry.json'))).toEqual(before)
  })

  it('bad input is one line and exit 2: a missing --state, a missing or malformed experiments file', () => {
    const missing = join(tempDir(), 'nowhere')
    expectOneLineError(runCli(['guardrail', 'check', '--state', missing, '--registry', registry, '--experiments', experiments]), /interactions\.sqlite does not exist/)
    expectOneLineError(runCli(['guardrail', 'check', '--state', state, '--registry', registry, '--experiments', join(root, 'none.yaml')]), /config file .*none\.yaml does not exist/)
    const bad = join(root, 'bad.yaml')
    writeFileSync(bad, 'experiments:\n  - id: home\n    salt: s1\n    arms: [{name: control, percent: 50}, {name: treatment, percent: 50}]\n    guardrail: {min-impressions: 100, ctr-drop-ratio: 2, conversion-drop-ratio: 0.5, days: 7}\n')
    expectOneLineError(runCli(['guardrail', 'check', '--state', state, '--registry', registry, '--experiments', bad]), /bad\.yaml: experiments\[0\]\.guardrail\.ctr-drop-ratio: /)
    expectOneLineError(runCli(['guardrail', 'check', '--state', state, '--experiments', experiments], {env: {REC_REGISTRY: ''}}), /Missing required flag registry/)
    const help = runCli(['guardrail', 'check', '--help'])
    expect(help.stdout).toContain('guardrail check --state state/ --registry registry/ --experiments config/experiments.yaml')
  })
})
