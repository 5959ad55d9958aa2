// Registry library: versions, idempotent register, aliases, best, rollback history, guardrail, corruption.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {listRegistry, promoteBest, readRegistry, registerCheckpoint, resolveAlias, rollbackAlias, setAlias} from '../../src/lib/registry/index.js'
import {tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from './make-checkpoint.js'

const METRIC = 'val.ndcg@10'

/** A registry with retrieval versions 1..n whose ndcg values are `values`. */
async function setup(values: number[]): Promise<{root: string; reg: string; ckpts: string[]}> {
  const root = tempDir()
  const reg = join(root, 'registry')
  const ckpts: string[] = []
  for (const [i, v] of values.entries()) {
    const dir = makeCheckpoint(join(root, `ckpt-${i + 1}`), {tag: `t${i + 1}`, metrics: {[METRIC]: v, 'val.loss': 1 - v}})
    await registerCheckpoint(reg, dir)
    ckpts.push(dir)
  }
  return {root, reg, ckpts}
}

describe('register', () => {
  it('numbers versions 1, 2, 3 and returns the existing version for the same content', async () => {
    const {root, reg, ckpts} = await setup([0.1, 0.2])
    const again = await registerCheckpoint(reg, ckpts[0])
    expect(again).toMatchObject({created: false, entry: {version: 1}})
    const third = await registerCheckpoint(reg, makeCheckpoint(join(root, 'ckpt-3'), {tag: 't3', kind: 'ranking', metrics: {'val.auc': 0.7}}))
    expect(third.entry).toMatchObject({version: 3, kind: 'ranking', arch: 'mlp', metrics: {'val.auc': 0.7}, path: join(root, 'ckpt-3')})
    const registry = await readRegistry(reg)
    expect(registry.versions.map((v) => v.version)).toEqual([1, 2, 3])
    expect(registry.versions[0]).toMatchObject({path: ckpts[0], createdAt: '2024-01-01T00:00:00.000Z', files: 3})
  })

  it('refuses a directory without a valid manifest or weights', async () => {
    const root = tempDir()
    const dir = makeCheckpoint(join(root, 'c'))
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({format: 'rec-checkpoint/1', kind: 'other'}))
    await expect(registerCheckpoint(join(root, 'r'), dir)).rejects.toMatchObject({code: 'BAD_SCHEMA', message: expect.stringContaining('field "kind"')})
    await expect(registerCheckpoint(join(root, 'r'), join(root, 'missing'))).rejects.toMatchObject({code: 'NOT_FOUND'})
  })
})

describe('aliases', () => {
  it('rolls back through two promotions, one step per rollback', async () => {
    const {reg} = await setup([0.1, 0.2, 0.3])
    await setAlias(reg, 'production', 1)
    await promoteBest(reg, 'production', {kind: 'retrieval', metric: METRIC})
    await setAlias(reg, 'production', 2, {force: true})
    expect((await resolveAlias(reg, 'production')).version).toBe(2)
    expect(await rollbackAlias(reg, 'production')).toMatchObject({from: 2, version: 3, history: [1]})
    expect(await rollbackAlias(reg, 'production')).toMatchObject({from: 3, version: 1, history: []})
    await expect(rollbackAlias(reg, 'production')).rejects.toMatchObject({code: 'NOT_FOUND', message: expect.stringContaining('no earlier version')})
  })

  it('records every rollback in the alias events with its reason and figures; later moves keep them; old files without events read', async () => {
    const {reg} = await setup([0.1, 0.2])
    await setAlias(reg, 'home-treatment', 1)
    await setAlias(reg, 'home-treatment', 2)
    const before = JSON.parse(readFileSync(join(reg, 'registry.json'), 'utf8'))
    expect(before.aliases['home-treatment'].events).toBeUndefined() // a registry without events is what older rec wrote
    const result = await rollbackAlias(reg, 'home-treatment', {reason: 'guardrail home/treatment: ctr', details: {control: {ctr: 0.1}, treatment: {ctr: 0.05}}})
    expect(result.event).toMatchObject({action: 'rollback', from: 2, to: 1, reason: 'guardrail home/treatment: ctr', details: {treatment: {ctr: 0.05}}})
    await setAlias(reg, 'home-treatment', 2)
    await rollbackAlias(reg, 'home-treatment')
    const events = (await readRegistry(reg)).aliases['home-treatment'].events!
    expect(events.map((e) => [e.from, e.to, e.reason])).toEqual([[2, 1, 'guardrail home/treatment: ctr'], [2, 1, undefined]])
    expect(events[0].at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('best picks the highest metric, or the lowest with lowerIsBetter, within the kind', async () => {
    const {reg} = await setup([0.2, 0.5, 0.3])
    expect((await promoteBest(reg, 'staging', {kind: 'retrieval', metric: METRIC})).version).toBe(2)
    expect((await promoteBest(reg, 'lossy', {kind: 'retrieval', metric: 'val.loss', lowerIsBetter: true})).version).toBe(2)
    await expect(promoteBest(reg, 'staging', {kind: 'ranking', metric: METRIC})).rejects.toMatchObject({code: 'NOT_FOUND'})
    await expect(promoteBest(reg, 'staging', {kind: 'retrieval', metric: 'val.nope'})).rejects.toThrow(/metrics seen: val.loss, val.ndcg@10/)
    const listing = await listRegistry(reg)
    expect(listing.versions[1].aliases).toEqual(['lossy', 'staging'])
  })

  it('guardrail refuses a worse production version, allows it within tolerance or with force', async () => {
    const {reg} = await setup([0.3, 0.2, 0.298])
    await promoteBest(reg, 'production', {kind: 'retrieval', metric: METRIC})
    const before = readFileSync(join(reg, 'registry.json'))
    await expect(setAlias(reg, 'production', 2)).rejects.toMatchObject({code: 'MISMATCH', message: expect.stringMatching(/refusing to move production from version 1 .* to version 2/)})
    expect(readFileSync(join(reg, 'registry.json'))).toEqual(before)
    // 0.298 is 0.67% below 0.3: inside the default 1% relative, outside 0.001 absolute.
    await expect(setAlias(reg, 'production', 3, {maxRegression: 0.001, mode: 'absolute'})).rejects.toMatchObject({code: 'MISMATCH'})
    expect((await setAlias(reg, 'production', 3)).version).toBe(3)
    expect(await setAlias(reg, 'production', 2, {force: true})).toMatchObject({version: 2, previous: 3, changed: true})
    // Aliases other than production are not guarded.
    await setAlias(reg, 'staging', 1)
    expect((await setAlias(reg, 'staging', 2)).version).toBe(2)
  })

  it('guardrail needs a metric to compare once production is set', async () => {
    const {reg} = await setup([0.3, 0.2])
    await setAlias(reg, 'production', 1)
    await expect(setAlias(reg, 'production', 2)).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: expect.stringContaining('no metric')})
    await expect(setAlias(reg, 'production', 2, {metric: {name: METRIC, lowerIsBetter: false}})).rejects.toMatchObject({code: 'MISMATCH'})
    expect((await setAlias(reg, 'production', 2, {metric: {name: 'val.loss', lowerIsBetter: true}, maxRegression: 0.2})).version).toBe(2)
  })

  it('unknown versions and aliases are NOT_FOUND, bad names INVALID_ARGUMENT', async () => {
    const {reg} = await setup([0.1])
    await expect(setAlias(reg, 'staging', 7)).rejects.toThrow(/version 7 is not in registry .* \(registered: 1\.\.1\)/)
    await expect(resolveAlias(reg, 'staging')).rejects.toMatchObject({code: 'NOT_FOUND', message: expect.stringContaining('no aliases are set')})
    await expect(setAlias(reg, '3', 1)).rejects.toMatchObject({code: 'INVALID_ARGUMENT'})
    await expect(setAlias(reg, 'staging', 1, {maxRegression: Number.NaN})).rejects.toMatchObject({code: 'INVALID_ARGUMENT'})
  })
})

describe('integrity', () => {
  it('refuses a checkpoint whose files changed, in set, best and resolve', async () => {
    const {reg, ckpts} = await setup([0.1, 0.2])
    await setAlias(reg, 'production', 2)
    writeFileSync(join(ckpts[1], 'weights.safetensors'), 'tampered')
    const named = {code: 'MISMATCH', message: expect.stringContaining(`checkpoint ${ckpts[1]} of version 2 changed`)}
    await expect(resolveAlias(reg, 'production')).rejects.toMatchObject(named)
    await expect(setAlias(reg, 'staging', 2)).rejects.toMatchObject(named)
    await expect(promoteBest(reg, 'staging', {kind: 'retrieval', metric: METRIC})).rejects.toMatchObject(named)
    expect((await readRegistry(reg)).aliases.staging).toBeUndefined()
    expect((await resolveAlias(reg, 'production', {verify: false})).path).toBe(ckpts[1])
  })

  it('a corrupted registry.json gives one clear error and is never rewritten', async () => {
    const {root, reg} = await setup([0.1])
    const path = join(reg, 'registry.json')
    const good = JSON.parse(readFileSync(path, 'utf8'))
    const broken = [readFileSync(path, 'utf8').slice(0, 40), JSON.stringify({...good, versions: [{...good.versions[0], version: 5}]})]
    for (const text of broken) {
      writeFileSync(path, text)
      const other = makeCheckpoint(join(root, `other-${text.length}`), {tag: `o${text.length}`})
      await expect(registerCheckpoint(reg, other)).rejects.toMatchObject({message: expect.stringContaining(path)})
      await expect(setAlias(reg, 'staging', 1)).rejects.toThrow(/registry\.json/)
      await expect(readRegistry(reg)).rejects.toMatchObject({code: expect.stringMatching(/BAD_DATA|BAD_SCHEMA/), hint: expect.stringContaining('untouched')})
      expect(readFileSync(path, 'utf8')).toBe(text)
    }
  })
})
