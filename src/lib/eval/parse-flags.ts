// Text flag values of `rec eval` -> typed options: the K list and the protocol.
import {RecError} from '../errors.js'
import type {EvalProtocol} from './evaluate-model.js'

/** "10,20,50,100" -> [10, 20, 50, 100]; each a positive integer. */
export function parseKs(text: string): number[] {
  return text.split(',').map((part) => {
    const k = Number(part.trim())
    if (part.trim() === '' || !Number.isInteger(k) || k < 1) throw new RecError('INVALID_ARGUMENT', `--k: "${part}" is not a positive integer`, {hint: 'e.g. --k 10,20,50,100'})
    return k
  })
}

/** "full" or "sampled:N" (N random negatives per target). */
export function parseProtocol(text: string): EvalProtocol {
  if (text === 'full') return {kind: 'full'}
  const match = /^sampled:(\d+)$/.exec(text)
  if (!match || Number(match[1]) < 1) throw new RecError('INVALID_ARGUMENT', `--protocol: "${text}" is neither full nor sampled:N with N >= 1`, {hint: 'e.g. --protocol sampled:100'})
  return {kind: 'sampled', negatives: Number(match[1])}
}
