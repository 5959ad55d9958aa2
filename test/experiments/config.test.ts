// The experiments file: each bad file is refused with one line naming the field; a good one parses to arms with their mixer configs.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadExperiments, servedExperiment} from '../../src/lib/experiments/config.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from '../registry/make-checkpoint.js'

const mixerConfig = MixerConfigSchema.parse({})
const GUARDRAIL = '    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 7}\n'

/** An experiments file with arms given as YAML flow mappings. */
const file = (arms: string[], extra = GUARDRAIL) => `experiments:\n  - id: home\n    salt: s1\n    arms:\n${arms.map((arm) => `      - ${arm}\n`).join('')}${extra}`

describe('loadExperiments', () => {
  let dir: string
  let registry: string
  beforeAll(async () => {
    dir = tempDir()
    registry = join(dir, 'registry')
    // versions 1, 2: retrieval; 3: ranking
    await registerCheckpoint(registry, makeCheckpoint(join(dir, 'r1'), {tag: 'r1'}))
    await registerCheckpoint(registry, makeCheckpoint(join(dir, 'r2'), {tag: 'r2'}))
    await registerCheckpoint(registry, makeCheckpoint(join(dir, 'k3'), {tag: 'k3', kind: 'ranking'}))
    await setAlias(registry, 'production', 1)
    await setAlias(registry, 'treatment', 2)
    await setAlias(registry, 'ranker', 3)
  })
  let n = 0
  const write = (text: string) => {
    const path = join(dir, `e${n++}.yaml`)
    writeFileSync(path, text)
    return path
  }
  const load = (text: string, withRegistry = true) => loadExperiments(write(text), {registry: withRegistry ? registry : undefined, mixerConfig})

  it('parses the example in config/ and a good file into arms with their mixer configs and the guardrail', async () => {
    const example = await loadExperiments('config/experiments.yaml', {registry, mixerConfig})
    expect(servedExperiment(example).arms.map((arm) => [arm.name, arm.percent, arm.retrieval])).toEqual([
      ['control', 50, 'production'],
      ['treatment', 50, 'treatment'],
    ])
    const loaded = await load(file(['{name: control, percent: 33.33, retrieval: production}', '{name: b, percent: 33.33, retrieval: 2, ranking: ranker, mmr-lambda: 0.5, quotas: {Graph: 0}}', '{name: c, percent: 33.34, author-cap: 3}']))
    const [experiment] = loaded.experiments
    expect(experiment).toMatchObject({id: 'home', salt: 's1', guardrail: {'min-impressions': 300, 'ctr-drop-ratio': 0.5, 'conversion-drop-ratio': 0.5, days: 7}})
    const [control, b, c] = experiment.arms
    expect(control).toEqual({name: 'control', percent: 33.33, retrieval: 'production', overrides: {}, mixer: mixerConfig})
    expect(b).toMatchObject({retrieval: 2, ranking: 'ranker', overrides: {'mmr-lambda': 0.5, quotas: {Graph: 0}}})
    expect(b.mixer.selectors.find((s) => s.id === 'Mmr')!.params).toEqual({lambda: 0.5})
    expect(b.mixer.sources.find((s) => s.id === 'Graph')!.quota).toBe(0)
    expect(c.mixer.selectors.find((s) => s.id === 'AuthorCap')!.params).toEqual({max: 3})
    expect(c.retrieval).toBeUndefined()
    // no guardrail block: none on the parsed experiment
    expect((await load(file(['{name: a, percent: 100}'], ''))).experiments[0].guardrail).toBeUndefined()
    // arms that name no model need no registry
    expect((await load(file(['{name: a, percent: 60}', '{name: b, percent: 40, exploration-rate: 0}'], ''), false)).experiments[0].arms).toHaveLength(2)
  })

  it('refuses each bad file with one line naming the file and the field', async () => {
    const ok = '{name: control, percent: 50, retrieval: production}'
    const cases: [string, string | RegExp][] = [
      [file([ok, '{name: treatment, percent: 40}']), "experiments[0].arms[1].percent: the arms' percents sum to 90 (50 + 40); they must sum to 100"],
      [file([ok, '{name: treatment, percent: 60}']), "experiments[0].arms[1].percent: the arms' percents sum to 110 (50 + 60); they must sum to 100"],
      [file([ok, '{name: treatment, percent: 150}']), 'experiments[0].arms[1].percent: must be a number from 0 to 100 in steps of 0.01 (a whole number of the 10,000 buckets)'],
      [file([ok, '{name: treatment, percent: 49.995}', '{name: c, percent: 0.005}']), 'experiments[0].arms[1].percent: must be a number from 0 to 100 in steps of 0.01 (a whole number of the 10,000 buckets)'],
      [file([ok, '{name: treatment, percent: "50"}']), 'experiments[0].arms[1].percent: must be a number from 0 to 100 in steps of 0.01 (a whole number of the 10,000 buckets)'],
      [file([ok, '{name: control, percent: 50}']), 'experiments[0].arms[1].name: "control" is also the name of arms[0]; arm names must differ'],
      [file([ok, '{name: "a b", percent: 50}']), 'experiments[0].arms[1].name: must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
      [file([ok, '{percent: 50}']), 'experiments[0].arms[1].name: is required'],
      [file([ok, '{name: treatment, percent: 50, mmr_lambda: 0.5}']), 'experiments[0].arms[1].mmr_lambda: unknown key (known: name, percent, retrieval, ranking, quota-k, quotas, mmr-lambda, exploration-rate, author-cap, topic-cap, max-in-network)'],
      [file([ok, '{name: treatment, percent: 50, mmr-lambda: 2}']), /^experiments\[0\]\.arms\[1\]\.mmr-lambda: mixer override: config key "selectors\.2\.params\.lambda": Too big/],
      [file([ok, '{name: treatment, percent: 50, quotas: {Trending: 5}}']), /^experiments\[0\]\.arms\[1\]\.quotas\.Trending: a quota is set for source Trending, which the mixer config does not declare \(declared: InNetwork, /],
      [file([ok, '{name: treatment, percent: 50, retrieval: staging}']), `experiments[0].arms[1].retrieval: alias "staging" is not set in registry REG (aliases: production, ranker, treatment)`],
      [file([ok, '{name: treatment, percent: 50, retrieval: 9}']), 'experiments[0].arms[1].retrieval: version 9 is not in registry REG (registered: 1..3)'],
      [file([ok, '{name: treatment, percent: 50, retrieval: 0}']), 'experiments[0].arms[1].retrieval: must be a registry alias (a name starting with a letter) or a version number (a positive integer)'],
      [file([ok, '{name: treatment, percent: 50, retrieval: ranker}']), 'experiments[0].arms[1].retrieval: alias "ranker" (version 3) is a ranking checkpoint, not a retrieval one (name a registered retrieval checkpoint)'],
      [file([ok, '{name: treatment, percent: 50, ranking: 1}']), 'experiments[0].arms[1].ranking: version 1 is a retrieval checkpoint, not a ranking one (name a registered ranking checkpoint)'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 0, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 7}\n'), 'experiments[0].guardrail.min-impressions: must be an integer >= 1'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 300, ctr-drop-ratio: 1, conversion-drop-ratio: 0.5, days: 7}\n'), 'experiments[0].guardrail.ctr-drop-ratio: must be a number between 0 and 1 (both excluded)'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0, days: 7}\n'), 'experiments[0].guardrail.conversion-drop-ratio: must be a number between 0 and 1 (both excluded)'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 0.5}\n'), 'experiments[0].guardrail.days: must be an integer >= 1'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5}\n'), 'experiments[0].guardrail.days: is required'],
      [file(['{name: control, percent: 100}'], '    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 7, window: 3}\n'), 'experiments[0].guardrail.window: unknown key (known: min-impressions, ctr-drop-ratio, conversion-drop-ratio, days)'],
      [file(['{name: control, percent: 100}'], '    owner: me\n'), 'experiments[0].owner: unknown key (known: id, salt, arms, guardrail)'],
      ['experiments:\n  - id: "home:2"\n    salt: s1\n    arms: [{name: a, percent: 100}]\n', 'experiments[0].id: must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
      ['experiments:\n  - id: home\n    arms: [{name: a, percent: 100}]\n', 'experiments[0].salt: is required'],
      ['experiments:\n  - id: home\n    salt: s1\n    arms: []\n', 'experiments[0].arms: must list at least one arm'],
      ['experiments: []\n', 'experiments: must list at least one experiment'],
      ['experiment:\n  - id: home\n', 'experiment: unknown key (known: experiments)'],
      ['experiments:\n  - id: home\n    salt: s1\n    arms: [{name: a, percent: 100}]\n  - id: home\n    salt: s2\n    arms: [{name: a, percent: 100}]\n', 'experiments[1].id: "home" is also the id of experiments[0]'],
      ['experiments:\n  - id: home\n    salt: s1\n   arms: [}\n', /^not valid YAML: /],
      ['- just a list\n', 'expected a mapping of keys to values'],
    ]
    for (const [text, expected] of cases) {
      const path = write(text)
      const error = await loadExperiments(path, {registry, mixerConfig}).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(error, text).toBeDefined()
      expect(error!.name, text).toBe('RecError')
      expect(error!.message, text).not.toContain('\n')
      expect(error!.message.startsWith(`${path}: `), `${text} -> ${error!.message}`).toBe(true)
      const rest = error!.message.slice(path.length + 2)
      if (typeof expected === 'string') expect(rest, text).toBe(expected.replace('REG', registry))
      else expect(rest, text).toMatch(expected)
    }
  })

  it('a missing file, an arm naming a model without --registry, and more than one experiment to serve are one-line errors', async () => {
    await expect(loadExperiments(join(dir, 'absent.yaml'), {registry, mixerConfig})).rejects.toMatchObject({code: 'NOT_FOUND', message: `config file ${join(dir, 'absent.yaml')} does not exist`})
    const path = write(file(['{name: control, percent: 50}', '{name: treatment, percent: 50, retrieval: treatment}']))
    await expect(loadExperiments(path, {mixerConfig})).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: `${path}: experiments[0].arms[1].retrieval: names alias "treatment", which needs --registry`})
    const two = write('experiments:\n  - {id: home, salt: s1, arms: [{name: a, percent: 100}]}\n  - {id: search, salt: s1, arms: [{name: a, percent: 100}]}\n')
    const loaded = await loadExperiments(two, {mixerConfig})
    expect(loaded.experiments.map((e) => e.id)).toEqual(['home', 'search'])
    expect(() => servedExperiment(loaded)).toThrow(`${two}: experiments: lists 2 experiments (home, search); a server serves one`)
  })
})
