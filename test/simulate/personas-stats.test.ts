// The pure parts of rec simulate: personas, the response model's persona knobs, per-user stats and verdicts, SPEC splitting.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {attraction, DEFAULT_MODEL, examineProbability, type Exposure, respond, type Response} from '../../src/lib/dataset/synthetic/behaviour.js'
import {EV} from '../../src/lib/dataset/synthetic/vocab.js'
import {Rng} from '../../src/lib/random/rng.js'
import {isWorse, type SimulationReport} from '../../src/lib/simulate/report.js'
import {loadPersonas, personaInterest} from '../../src/lib/simulate/personas.js'
import {splitSpec} from '../../src/lib/simulate/spawn-servers.js'
import {pairedDiffs, type UserRun} from '../../src/lib/simulate/stats.js'
import type {StepRecord} from '../../src/lib/simulate/step.js'
import {tempDir} from '../helpers/cli.js'

const exposure = (over: Partial<Exposure> = {}): Exposure => ({interest: 0.3, topics: 8, quality: 0.6, nsfw: 0, toxic: 0, inNetwork: 0, ageHours: 2, position: 0, ...over})

describe('personas', () => {
  it('the shipped presets load in their default order, each a small change to the default model', async () => {
    const personas = await loadPersonas()
    expect(personas.map((p) => p.name)).toEqual(['typical', 'enthusiast', 'explorer', 'casual', 'safety'])
    const by = Object.fromEntries(personas.map((p) => [p.name, p]))
    expect(by.typical.model).toEqual(DEFAULT_MODEL)
    expect(by.casual.model.examineSlots).toBe(3)
    expect(by.explorer.repeatFatigue).toBeGreaterThan(0)
    expect(by.safety.model.unsafePull).toBeLessThan(0)
  })

  it('an unknown name is one error naming the known ones; a bad key names the file and key', async () => {
    await expect(loadPersonas(['nope'])).rejects.toThrow(/unknown persona "nope" .*typical, enthusiast/)
    const file = join(tempDir(), 'p.yaml')
    writeFileSync(file, 'personas:\n  x:\n    focus: 2\n')
    await expect(loadPersonas([], file)).rejects.toThrow(/p\.yaml: config key "personas.x.focus"/)
  })

  it('focus moves interest to the top topic and keeps the row summing to 1', async () => {
    const [enthusiast] = await loadPersonas(['enthusiast'])
    const out = personaInterest(enthusiast, Float32Array.of(0.5, 0.3, 0.2))
    expect(out[0]).toBeCloseTo(0.5 + 0.8 * 0.5)
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1)
  })
})

describe('response model knobs', () => {
  it('the default model draws exactly what the generator drew before the knobs existed (same stream, same events)', () => {
    const a = new Rng(3)
    const b = new Rng(3)
    const ra: Response = {events: 0, dwellMs: 0}
    const rb: Response = {events: 0, dwellMs: 0}
    for (let i = 0; i < 2000; i++) {
      const x = exposure({position: i % 20, nsfw: i % 7 === 0 ? 1 : 0, interest: (i % 10) / 10})
      respond(x, a, ra)
      respond(x, b, rb, DEFAULT_MODEL)
      expect([ra.events, ra.dwellMs]).toEqual([rb.events, rb.dwellMs])
    }
    expect(a.nextU32()).toBe(b.nextU32())
  })

  it('examine-slots cuts examination off; an offset lowers attraction; unsafe-hide hides unsafe items', () => {
    const casual = {...DEFAULT_MODEL, examineSlots: 3}
    expect(examineProbability(2, casual)).toBeGreaterThan(0)
    expect(examineProbability(3, casual)).toBe(0)
    expect(attraction(exposure({offset: -2}))).toBeLessThan(attraction(exposure()))
    const careful = {...DEFAULT_MODEL, unsafeHide: 1, unsafePull: -5}
    const rng = new Rng(1)
    const out: Response = {events: 0, dwellMs: 0}
    let hides = 0
    for (let i = 0; i < 500; i++) if (respond(exposure({nsfw: 1}), rng, out, careful).events & (1 << EV.hide)) hides++
    // examined at position 0 always; not attracted almost always: hidden
    expect(hides).toBeGreaterThan(450)
  })
})

const step = (clicks: number, impressions = 10): StepRecord => ({arm: 'x', impressions, clicks, likes: 0, longDwells: 0, skips: 0, hides: 0, unsafe: 0, interest: 0, regret: 1, ild: 1, unknown: 0})
const run = (key: string, arm: string, clicks: number[]): UserRun => ({key, persona: 'p', arm, steps: clicks.map((c) => step(c))})

describe('paired differences', () => {
  it('pairs users by key, gives B - A with an interval, and a verdict only when the interval excludes 0', () => {
    const a = Array.from({length: 30}, (_, u) => run(`p/${u}`, 'A', [1, 1]))
    const b = Array.from({length: 30}, (_, u) => run(`p/${u}`, 'B', [u % 3 === 0 ? 1 : 2, 3]))
    const ctr = pairedDiffs(a, b, 1).find((d) => d.metric === 'ctr')!
    expect(ctr.delta).toBeGreaterThan(0)
    expect(ctr.ci[0]).toBeGreaterThan(0)
    expect(ctr.verdict).toBe('better')
    // ctr_late: the last half of the steps only (step 2: 3 of 10 against 1 of 10)
    expect(pairedDiffs(a, b, 1).find((d) => d.metric === 'ctr_late')!.delta).toBeCloseTo(0.2)
    const same = pairedDiffs(a, a.map((r) => ({...r, arm: 'B'})), 1).find((d) => d.metric === 'ctr')!
    expect([same.delta, same.verdict]).toEqual([0, 'none'])
  })

  it('--fail-if-worse: worse means the whole interval beyond the margin on the wrong side; lower-is-better metrics flip', () => {
    const report = {comparison: {a: 'A', b: 'B', by_persona: {all: [
      {metric: 'ctr', mean_a: 0, mean_b: 0, delta: -0.02, ci: [-0.03, -0.01], p_value: 0.01, verdict: 'worse'},
      {metric: 'hide_rate', mean_a: 0, mean_b: 0, delta: 0.02, ci: [0.01, 0.03], p_value: 0.01, verdict: 'worse'},
    ]}}} as unknown as SimulationReport
    expect(isWorse(report, 'ctr', 0)).toBe(true)
    expect(isWorse(report, 'ctr', 0.01)).toBe(false)
    expect(isWorse(report, 'hide_rate', 0.005)).toBe(true)
    expect(isWorse(report, 'hide_rate', 0.02)).toBe(false)
  })
})

describe('splitSpec', () => {
  it('splits on whitespace, groups quotes, keeps escaped spaces', () => {
    expect(splitSpec(`--retrieval 'my ckpt' --dataset "d w"  --online\\ x --workers 0`)).toEqual(['--retrieval', 'my ckpt', '--dataset', 'd w', '--online x', '--workers', '0'])
    expect(() => splitSpec('--a "b')).toThrow(/unclosed/)
  })
})
