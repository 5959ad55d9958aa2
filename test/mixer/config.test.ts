import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../src/lib/config/load-config.js'
import {RecError} from '../../src/lib/errors.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {tempDir} from '../helpers/cli.js'

const load = (yaml: string) => {
  const path = join(tempDir(), 'mixer.yaml')
  writeFileSync(path, yaml)
  return loadConfig(MixerConfigSchema, path, {})
}

describe('mixer config', () => {
  it('config/mixer.yaml declares exactly the defaults', async () => {
    const fromFile = await loadConfig(MixerConfigSchema, resolve(import.meta.dirname, '../../config/mixer.yaml'), {})
    expect(fromFile).toEqual(MixerConfigSchema.parse({}))
    expect(fromFile.selectors.map((s) => s.id)).toEqual(['AuthorCap', 'TopicCap', 'Mmr', 'NetworkBalance', 'Exploration', 'Take'])
  })

  it('an entry is an id or {id, params}; params get their defaults', async () => {
    const config = await load('selectors: [AuthorCap, {id: Mmr, params: {lambda: 0.2}}, {id: Take}]\nsources: [{id: Popular, quota: 7}]\n')
    expect(config.selectors).toEqual([
      {id: 'AuthorCap', params: {max: 2}},
      {id: 'Mmr', params: {lambda: 0.2}},
      {id: 'Take', params: {}},
    ])
    expect(config.sources).toEqual([{id: 'Popular', params: {}, quota: 7}])
    // a parsed config parses to itself: it crosses to pipeline workers and through applyOverrides
    expect(MixerConfigSchema.parse(config)).toEqual(config)
  })

  it('an unknown id is an error naming it, its list and the known ids', async () => {
    const error = await load('filters: [PreviouslySeen, Dupes]\n').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecError)
    expect((error as RecError).message).toMatch(/config key "filters\.1\.id": unknown filter "Dupes" \(known: PreviouslySeen, Duplicates, Safety\)/)
    await expect(load('sources: [{id: Trending, quota: 5}]\n')).rejects.toThrow(/unknown source "Trending" \(known: InNetwork, OutOfNetwork, Graph, Community, Popular, Content, Random\)/)
    await expect(load('fail-open: [Popular, Trending]\n')).rejects.toThrow(/"fail-open\.1": unknown source "Trending"/)
  })

  it('params are checked by the component, with their path', async () => {
    await expect(load('selectors: [{id: Mmr, params: {lambda: 1.5}}]\n')).rejects.toThrow(/"selectors\.0\.params\.lambda": Too big/)
    await expect(load('selectors: [{id: Mmr, params: {lamda: 0.5}}]\n')).rejects.toThrow(/"selectors\.0\.params": Unrecognized key: "lamda"/)
    await expect(load('filters: [{id: Safety, params: {mode: hide}}]\n')).rejects.toThrow(/"filters\.0\.params\.mode"/)
    await expect(load('sources: [{id: Graph}]\n')).rejects.toThrow(/"sources\.0\.quota"/)
  })

  it('an id is declared once per list, and at least one scorer', async () => {
    await expect(load('selectors: [Take, AuthorCap, Take]\n')).rejects.toThrow(/"selectors\.2\.id": "Take" is declared twice/)
    await expect(load('scorer: []\n')).rejects.toThrow(/declare at least one scorer/)
  })

  it('the flat keys of the old mixer.yaml are unknown keys, not silently ignored', async () => {
    await expect(load('mmr-lambda: 1\n')).rejects.toThrow(/unknown config key "mmr-lambda"/)
  })
})

describe('applyOverrides', () => {
  const defaults = MixerConfigSchema.parse({})

  it('sets the param of the declared component and leaves the rest as declared', () => {
    const config = applyOverrides(defaults, {'mmr-lambda': 1, 'exploration-rate': 0, 'quota-k': 10, quotas: {Graph: 0, Popular: 80}})
    expect(config.selectors.find((s) => s.id === 'Mmr')!.params).toEqual({lambda: 1})
    expect(config.selectors.find((s) => s.id === 'Exploration')!.params).toEqual({rate: 0})
    expect(config['quota-k']).toBe(10)
    expect(config.sources.map((s) => s.quota)).toEqual([50, 50, 0, 50, 80])
    expect(config.filters).toEqual(defaults.filters)
    const caps = applyOverrides(defaults, {'author-cap': 3, 'topic-cap': 1, 'max-in-network': 0.25})
    expect(caps.selectors.map((s) => [s.id, s.params])).toEqual([
      ['AuthorCap', {max: 3}],
      ['TopicCap', {max: 1}],
      ['Mmr', {lambda: 0.7}],
      ['NetworkBalance', {'max-in-network': 0.25, 'min-in-network': 0.2}],
      ['Exploration', {rate: 0.1}],
      ['Take', {}],
    ])
    // the input is not modified
    expect(defaults).toEqual(MixerConfigSchema.parse({}))
  })

  it('a knob for a component the config does not declare, or out of range, is an error', () => {
    const noMmr = MixerConfigSchema.parse({selectors: ['AuthorCap', 'Take']})
    expect(() => applyOverrides(noMmr, {'mmr-lambda': 0.5})).toThrow(/mmr-lambda sets the lambda of the Mmr selector, which the mixer config does not declare/)
    expect(() => applyOverrides(defaults, {quotas: {Trending: 5}})).toThrow(/source Trending, which the mixer config does not declare/)
    expect(() => applyOverrides(defaults, {'exploration-rate': 2})).toThrow(/"selectors\.4\.params\.rate": Too big/)
    expect(() => applyOverrides(defaults, {'author-cap': 0})).toThrow(/"selectors\.0\.params\.max": Too small/)
    expect(() => applyOverrides(MixerConfigSchema.parse({selectors: ['Take']}), {'max-in-network': 0.5})).toThrow(/max-in-network sets the max-in-network of the NetworkBalance selector/)
  })
})
