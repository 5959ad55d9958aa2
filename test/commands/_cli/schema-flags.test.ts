// Flags derived from zod schemas, parsed by oclif's own parser: kinds, help data, the one wording of bad values, overrides.
import {Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {describeRule} from '../../../src/commands/_cli/flag-values.js'
import {flagOverrides, schemaFlags} from '../../../src/commands/_cli/schema-flags.js'
import {SplitFractionsSchema} from '../../../src/lib/dataset/split-options.js'
import {WorldOptionsSchema} from '../../../src/lib/dataset/synthetic/world-options.js'
import {EvalSettingsSchema} from '../../../src/lib/eval/eval-settings.js'
import {RankingConfigSchema} from '../../../src/lib/models/ranker/config.js'
import {RetrievalConfigSchema} from '../../../src/lib/models/two-tower/config.js'

const Schema = z
  .object({
    epochs: z.number().int().min(1).max(100).default(5).describe('Maximum epochs.'),
    lr: z.number().positive().default(0.01).describe('Learning rate.'),
    decay: z.number().min(0).max(4).optional().describe('Decay.'),
    layers: z.array(z.number().int().positive()).default([8]).describe('Hidden sizes.'),
    encoder: z.enum(['mean', 'gru']).default('mean').describe('Encoder.'),
    logq: z.boolean().default(true).describe('logQ correction.'),
    workers: z.union([z.literal('auto'), z.number().int().min(1).max(16)]).default('auto').describe('Threads.'),
    init: z.string().optional().describe('Checkpoint.'),
    // YAML-only: no description, no flag
    ks: z.array(z.number().int().positive()).default([10]),
    positives: z.record(z.string(), z.number()).optional(),
  })
  .strict()

const flags = schemaFlags(Schema)

async function parse(...argv: string[]): Promise<Record<string, unknown>> {
  return (await Parser.parse(argv, {flags})).flags
}

/** oclif's message for a refused value, as RecCommand prints it: "Parsing --x: <reason>". */
async function refusal(...argv: string[]): Promise<string> {
  const error = await parse(...argv).then(
    () => undefined,
    (e: Error) => e,
  )
  expect(error, argv.join(' ')).toBeInstanceOf(Error)
  return error!.message.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('See more help')).join(': ')
}

describe('schemaFlags', () => {
  it('makes one flag per described key, of the kind its type asks for, with the schema text and no default', () => {
    expect(Object.keys(flags).sort()).toEqual(['decay', 'encoder', 'epochs', 'init', 'layers', 'logq', 'lr', 'workers'])
    expect(flags.logq).toMatchObject({type: 'boolean', allowNo: true, description: 'logQ correction.'})
    expect(flags.encoder).toMatchObject({type: 'option', options: ['mean', 'gru']})
    expect(flags.epochs).toMatchObject({type: 'option', helpValue: '<integer>', description: 'Maximum epochs.'})
    expect(flags.lr).toMatchObject({helpValue: '<number>'})
    expect(flags.layers).toMatchObject({helpValue: '<integer,...>'})
    expect(flags.workers).toMatchObject({helpValue: 'auto|<integer>'})
    for (const flag of Object.values(flags)) expect(flag).not.toHaveProperty('default')
    for (const flag of Object.values(flags)) expect(flag).not.toHaveProperty('defaultHelp')
  })

  it('parses typed values, and leaves a flag that was not given undefined', async () => {
    expect(await parse('--epochs', '3', '--lr', '1e-3', '--layers', '64, 32', '--encoder', 'gru', '--no-logq', '--workers', '2', '--init', 'ckpt/a')).toEqual({
      epochs: 3,
      lr: 0.001,
      layers: [64, 32],
      encoder: 'gru',
      logq: false,
      workers: 2,
      init: 'ckpt/a',
    })
    expect(await parse('--workers', 'auto', '--layers=')).toEqual({workers: 'auto', layers: []})
    expect(await parse()).toEqual({})
  })

  it('refuses every bad value of a flag with the one message naming the value and the accepted range', async () => {
    expect(await refusal('--lr=')).toBe('Parsing --lr: "" is not a number > 0')
    expect(await refusal('--lr', 'abc')).toBe('Parsing --lr: "abc" is not a number > 0')
    expect(await refusal('--lr', 'Infinity')).toBe('Parsing --lr: "Infinity" is not a number > 0')
    expect(await refusal('--lr', 'NaN')).toBe('Parsing --lr: "NaN" is not a number > 0')
    expect(await refusal('--lr', '0')).toBe('Parsing --lr: "0" is not a number > 0')
    expect(await refusal('--decay', '5')).toBe('Parsing --decay: "5" is not a number from 0 to 4')
    expect(await refusal('--epochs', '0')).toBe('Parsing --epochs: "0" is not an integer from 1 to 100')
    expect(await refusal('--epochs', '1.5')).toBe('Parsing --epochs: "1.5" is not an integer from 1 to 100')
    expect(await refusal('--epochs', '1e1')).toBe('Parsing --epochs: "1e1" is not an integer from 1 to 100')
    expect(await refusal('--layers', '64,x')).toBe('Parsing --layers: "x" is not a positive integer')
    expect(await refusal('--layers', '64,')).toBe('Parsing --layers: "" is not a positive integer')
    expect(await refusal('--workers', 'many')).toBe('Parsing --workers: "many" is not "auto" or an integer from 1 to 16')
    expect(await refusal('--encoder', 'lstm')).toMatch(/Expected --encoder=lstm to be one of: mean, gru/)
  })

  it('with helpDefaults, shows the schema default in help without applying it; props add what a schema cannot say', async () => {
    const shown = schemaFlags(Schema, {helpDefaults: true, props: {epochs: {char: 'e'}}})
    expect(await (shown.epochs as unknown as {defaultHelp: () => Promise<string>}).defaultHelp()).toBe('5')
    expect(shown.epochs).toMatchObject({char: 'e'})
    expect(shown.decay).not.toHaveProperty('defaultHelp') // optional, no default to show
    expect((await Parser.parse([], {flags: shown})).flags).toEqual({})
  })

  it('refuses a described key it cannot express, rather than dropping the flag', () => {
    const bad = z.object({weights: z.record(z.string(), z.number()).describe('Fusion weights.')})
    expect(() => schemaFlags(bad)).toThrow(/key "weights" has a description but no flag form/)
  })
})

describe('flagOverrides', () => {
  it("takes the schema's keys from parsed flags, so that other flags never reach the config", () => {
    const overrides = flagOverrides(Schema, {epochs: 3, lr: 0.1, dataset: 'data/x', force: true})
    expect(overrides).toMatchObject({epochs: 3, lr: 0.1})
    expect(Object.keys(overrides)).toEqual(Object.keys(Schema.shape))
  })
})

describe('describeRule', () => {
  it.each([
    [{integer: true}, 'an integer'],
    [{integer: true, exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER}, 'a positive integer'],
    [{integer: true, minimum: 2}, 'an integer >= 2'],
    [{integer: false, exclusiveMinimum: 0, exclusiveMaximum: 1}, 'a number > 0 and < 1'],
    [{integer: false, minimum: 0, exclusiveMaximum: 1}, 'a number >= 0 and < 1'],
    [{integer: false}, 'a number'],
  ])('%j -> %s', (rule, words) => {
    expect(describeRule(rule)).toBe(words)
  })
})

// The four commands keep exactly the flags they had before the flags were derived.
describe('flags of the commands', () => {
  it.each([
    ['train retrieval', RetrievalConfigSchema, 'backend batch-size blocks dim dropout epochs hard-negatives heads history-length logq lr negative-sampler patience random-negatives sampled-negatives seed softmax temperature tower-layers user-encoder weight-decay workers'],
    [
      'train ranking',
      RankingConfigSchema,
      'arch backend batch-size bottom-layers cross-features cross-layers dim epochs fusion init-from-retrieval lr negative-power negatives-per-positive patience position-decay positive-min-weight retrieval safety seed top-layers tower-width weight-decay',
    ],
    ['gen-data', WorldOptionsSchema, 'days follows interactions items label-frac seed topics unsafe-frac users'],
    ['eval', EvalSettingsSchema, 'candidates k protocol resamples seed split'],
    ['split fractions', SplitFractionsSchema, 'test-frac val-frac'],
  ] as const)('%s', (_, schema, names) => {
    expect(Object.keys(schemaFlags(schema)).sort()).toEqual(names.split(' '))
  })
})
