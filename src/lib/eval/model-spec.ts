// What `rec eval` evaluates: a checkpoint directory or a built-in baseline ("model:popular").
import {RecError} from '../errors.js'

export const BASELINES = ['popular', 'itemknn', 'random'] as const
export type BaselineName = (typeof BASELINES)[number]

export type ModelSpec = {kind: 'checkpoint'; path: string} | {kind: 'baseline'; name: BaselineName}

/** "model:NAME" is a baseline (NAME one of BASELINES); anything else is a checkpoint directory. */
export function parseModelSpec(text: string): ModelSpec {
  if (text.startsWith('model:')) return baselineSpec(text.slice('model:'.length))
  if (text.trim() === '') throw new RecError('INVALID_ARGUMENT', 'empty model: give a checkpoint directory or model:popular|itemknn|random')
  return {kind: 'checkpoint', path: text}
}

export function baselineSpec(name: string): ModelSpec {
  if (!(BASELINES as readonly string[]).includes(name)) {
    throw new RecError('INVALID_ARGUMENT', `unknown model "${name}"`, {hint: `built-in models are ${BASELINES.join(', ')}`})
  }
  return {kind: 'baseline', name: name as BaselineName}
}
