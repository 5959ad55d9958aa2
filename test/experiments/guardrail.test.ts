// The guardrail: pure verdicts at and around the thresholds, then a scripted CTR drop rolled back in a real registry and rerouted, once.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeEach, describe, expect, it} from 'vitest'

import type {Slot} from '../../src/lib/analytics/attribute.js'
import {DEFAULT_CONVERSION} from '../../src/lib/analytics/conversion.js'
import {experimentStats} from '../../src/lib/analytics/experiment-stats.js'
import {statsWindow} from '../../src/lib/analytics/window.js'
import {enforceGuardrails, evaluateGuardrail, type GuardedExperiment, type GuardrailSpec} from '../../src/lib/experiments/guardrail.js'
import {readRegistry, registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression, StoredInteraction} from '../../src/lib/store/types.js'
import {tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from '../registry/make-checkpoint.js'

const T0 = Date.UTC(2024, 5, 1, 12)
const NOW = T0 + 3 * 24 * 3_600_000
const SPEC: GuardrailSpec = {'min-impressions': 100, 'ctr-drop-ratio': 0.2, 'conversion-drop-ratio': 0.5, days: 7}
const window = statsWindow({days: SPEC.days, now: NOW})

/** `n` slots of `arm`, the first `clicks` clicked and the first `conversions` of those converted. */
function slots(arm: string, n: number, clicks: number, conversions = 0): Slot[] {
  return Array.from({length: n}, (_, i) => ({
    impression: {requestId: `${arm}-${i}`, ts: T0, userId: BigInt(i), itemId: 1n, position: 0, source: 'Popular', score: 1, versions: {}, experiment: 'home', arm},
    ...(i < clicks ? {clickedAt: T0 + 1} : {}),
    ...(i < conversions ? {convertedAt: T0 + 2} : {}),
  }))
}

const experiment = (guardrail: GuardrailSpec | null = SPEC): GuardedExperiment => ({
  id: 'home',
  arms: [{name: 'control', retrieval: 'production'}, {name: 'treatment', retrieval: 'candidate', ranking: 3}],
  ...(guardrail ? {guardrail} : {}),
})

function verdictOf(control: Slot[], treatment: Slot[], guardrail = SPEC) {
  const stats = experimentStats([...control, ...treatment], {experiment: 'home', arms: ['control', 'treatment'], window, conversion: DEFAULT_CONVERSION})
  const verdicts = evaluateGuardrail(experiment(guardrail), stats)
  expect(verdicts).toHaveLength(1)
  return verdicts[0]
}

describe('evaluateGuardrail', () => {
  it('a CTR exactly control x (1 - ratio) does not act; below it does, naming the figures', () => {
    // control 10/100 = 0.10: the threshold is 0.10 x 0.8 = 0.08
    expect(verdictOf(slots('control', 100, 10), slots('treatment', 100, 8))).toMatchObject({action: 'none', status: 'within', reason: expect.stringContaining('ctr 0.0800 >= 0.0800 (control 0.1000 x (1 - 0.2))')})
    const dropped = verdictOf(slots('control', 100, 10), slots('treatment', 100, 7))
    expect(dropped).toMatchObject({experiment: 'home', arm: 'treatment', control: 'control', action: 'rollback', status: 'dropped'})
    expect(dropped.reason).toBe('guardrail home/treatment: ctr 0.0700 < 0.0800 (control 0.1000 x (1 - 0.2))')
    expect(dropped.figures).toMatchObject({control: {impressions: 100, clicks: 10, ctr: 0.1}, treatment: {impressions: 100, clicks: 7, ctr: 0.07}, thresholds: {'min-impressions': 100}})
    expect(dropped.figures!.thresholds.ctr).toBeCloseTo(0.08, 14)
    expect(dropped.figures!.p_values.ctr).toBeGreaterThan(0.05) // informative only: the ratio decides
  })

  it('a conversion drop alone acts: 1 of 10 clicks against 5 of 10 is below 0.5 x (1 - 0.5)', () => {
    const v = verdictOf(slots('control', 100, 10, 5), slots('treatment', 100, 10, 1))
    expect(v).toMatchObject({action: 'rollback', status: 'dropped'})
    expect(v.reason).toBe('guardrail home/treatment: conversion 0.1000 < 0.2500 (control 0.5000 x (1 - 0.5))')
  })

  it('below min-impressions it never acts, and says so, however large the drop', () => {
    const v = verdictOf(slots('control', 100, 50), slots('treatment', 99, 0))
    expect(v).toMatchObject({action: 'none', status: 'below-min-impressions'})
    expect(v.reason).toBe('below min-impressions: control has 100 and treatment 99 impressions in the last 7 days; the guardrail acts only when both have at least 100')
  })

  it('an experiment without a guardrail gets a verdict saying so', () => {
    expect(evaluateGuardrail(experiment(null), undefined)).toEqual([{experiment: 'home', arm: 'treatment', control: 'control', action: 'none', status: 'no-guardrail', reason: 'no guardrail configured for this experiment', figures: null}])
  })
})

describe('enforceGuardrails on a real store and registry', () => {
  let root: string
  let registry: string
  let state: string

  /** Versions 1 (production) and 2 (candidate, promoted over 1, so it can roll back to 1). */
  beforeEach(async () => {
    root = tempDir()
    registry = join(root, 'registry')
    for (const tag of ['one', 'two']) await registerCheckpoint(registry, makeCheckpoint(join(root, tag), {tag}))
    await setAlias(registry, 'production', 1)
    await setAlias(registry, 'candidate', 1)
    await setAlias(registry, 'candidate', 2)
    state = join(root, 'state')
  })

  /** 20 feeds of 10 items per arm; clicks only on control impressions (2 per control feed): CTR 0.2 against 0. */
  async function scriptCtrDrop(store: SqliteStore, feeds = 20): Promise<void> {
    const impressions: Impression[] = []
    const clicks: StoredInteraction[] = []
    for (let f = 0; f < feeds; f++) {
      for (const arm of ['control', 'treatment']) {
        const userId = BigInt(arm === 'control' ? f : 1000 + f)
        const requestId = `${arm}-${f}`
        for (let p = 0; p < 10; p++) impressions.push({requestId, ts: T0 + f * 60_000, userId, itemId: BigInt(100 + p), position: p, source: 'Popular', score: 1, versions: {retrieval: arm}, experiment: 'home', arm, strategy: 'mixer'})
        if (arm === 'control') for (const p of [0, 1]) clicks.push({userId, itemId: BigInt(100 + p), event: 'click', ts: T0 + f * 60_000 + 5_000, requestId})
      }
    }
    await store.recordImpressions(impressions)
    await store.record(clicks, new Map())
  }

  it('a scripted CTR drop: rollback verdict, the alias moves back with the reason and figures recorded, a reroute saved; a second run does nothing', async () => {
    const store = new SqliteStore(state)
    try {
      await scriptCtrDrop(store)
      const first = await enforceGuardrails({store, registry, experiments: [experiment()], now: NOW})
      expect(first.counts).toEqual({evaluations: 1, rollbacks: 1})
      const [verdict] = first.verdicts
      expect(verdict).toMatchObject({action: 'rollback', status: 'dropped', figures: {control: {impressions: 200, clicks: 40, ctr: 0.2}, treatment: {impressions: 200, clicks: 0, ctr: 0}}})
      expect(verdict.reason).toBe('guardrail home/treatment: ctr 0.0000 < 0.1600 (control 0.2000 x (1 - 0.2))')
      expect(verdict.applied!.models).toEqual([
        {kind: 'retrieval', ref: 'candidate', outcome: 'rolled-back', from: 2, to: 1},
        {kind: 'ranking', ref: 3, outcome: 'version', message: expect.stringContaining('nothing to roll back')},
      ])
      const reg = await readRegistry(registry)
      expect(reg.aliases.candidate.version).toBe(1)
      expect(reg.aliases.production.version).toBe(1) // the control's alias is left alone
      const [event] = reg.aliases.candidate.events!
      expect(event).toMatchObject({action: 'rollback', from: 2, to: 1, reason: verdict.reason, details: {source: 'guardrail', experiment: 'home', arm: 'treatment', treatment: {impressions: 200, ctr: 0}, control: {clicks: 40}}})
      expect(await store.reroutes()).toEqual([{experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: verdict.reason, at: NOW}])

      const bytes = readFileSync(join(registry, 'registry.json'))
      const second = await enforceGuardrails({store, registry, experiments: [experiment()], now: NOW + 60_000})
      expect(second.counts).toEqual({evaluations: 0, rollbacks: 0})
      expect(second.verdicts[0]).toMatchObject({action: 'none', status: 'already-rerouted', reason: `already rerouted to control at ${new Date(NOW).toISOString()} (${verdict.reason})`})
      expect(readFileSync(join(registry, 'registry.json'))).toEqual(bytes) // no second rollback
      expect(await store.reroutes()).toHaveLength(1)
    } finally {
      await store.close()
    }
  })

  it('a run that rolled back but died before the reroute completes without rolling back twice', async () => {
    const store = new SqliteStore(state)
    const other = new SqliteStore(join(root, 'state-2'))
    try {
      await scriptCtrDrop(store)
      await scriptCtrDrop(other)
      await enforceGuardrails({store, registry, experiments: [experiment()], now: NOW})
      // same registry, a store without the reroute: as if the first run had died after the rollback
      const again = await enforceGuardrails({store: other, registry, experiments: [experiment()], now: NOW})
      expect(again.verdicts[0].applied!.models[0]).toMatchObject({outcome: 'already-rolled-back', from: 2, to: 1})
      expect((await readRegistry(registry)).aliases.candidate).toMatchObject({version: 1, events: [expect.anything()]})
      expect(await other.reroutes()).toHaveLength(1)
    } finally {
      await store.close()
      await other.close()
    }
  })

  it('below min-impressions: no action, the verdict says so, nothing is written', async () => {
    const store = new SqliteStore(state)
    try {
      await scriptCtrDrop(store, 5) // 50 impressions per arm
      const bytes = readFileSync(join(registry, 'registry.json'))
      const run = await enforceGuardrails({store, registry, experiments: [experiment()], now: NOW})
      expect(run.counts).toEqual({evaluations: 1, rollbacks: 0})
      expect(run.verdicts[0]).toMatchObject({action: 'none', status: 'below-min-impressions', reason: expect.stringMatching(/^below min-impressions: control has 50 and treatment 50 impressions/)})
      expect(run.verdicts[0].applied).toBeUndefined()
      expect(readFileSync(join(registry, 'registry.json'))).toEqual(bytes)
      expect(await store.reroutes()).toEqual([])
    } finally {
      await store.close()
    }
  })

  it('outside the window nothing counts; an alias without a registry is refused before any work', async () => {
    const store = new SqliteStore(state)
    try {
      await scriptCtrDrop(store)
      const late = await enforceGuardrails({store, registry, experiments: [experiment()], now: NOW + 30 * 24 * 3_600_000})
      expect(late.verdicts[0]).toMatchObject({status: 'below-min-impressions', figures: {control: {impressions: 0}}})
      await expect(enforceGuardrails({store, experiments: [experiment()], now: NOW})).rejects.toThrow(/its treatment arms name alias "candidate", which a guardrail rollback needs the registry for/)
      expect(await store.reroutes()).toEqual([])
    } finally {
      await store.close()
    }
  })
})
