import {describe, expect, it} from 'vitest'

import {RecError} from '../../src/lib/errors.js'
import {fromFailure, toFailure} from '../../src/lib/workers/worker-failure.js'

describe('worker failures', () => {
  it('a RecError crosses with its code and hint; anything else with its message', () => {
    const rec = fromFailure(structuredClone(toFailure(new RecError('NOT_FOUND', 'ckpt missing', {hint: 'train first'}))))
    expect(rec).toMatchObject({code: 'NOT_FOUND', message: 'ckpt missing', hint: 'train first'})
    const plain = fromFailure(structuredClone(toFailure(new TypeError('boom'))))
    expect(plain).not.toBeInstanceOf(RecError)
    expect(plain.message).toBe('boom')
    expect(fromFailure(toFailure('odd'), 'BAD_DATA')).toMatchObject({code: 'BAD_DATA', message: 'odd'})
  })
})
