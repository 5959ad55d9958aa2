// Window bounds: ISO times (UTC unless offset), epoch ms and quantiles parse exactly; anything else is one clear error.
import {describe, expect, it} from 'vitest'

import {timeOrder} from '../../src/lib/dataset/split.js'
import {checkBoundOrder, parseTimeBound, resolveBound} from '../../src/lib/dataset/window-bounds.js'

const ms = (text: string) => {
  const bound = parseTimeBound(text, '--from')
  if (bound.kind !== 'time') throw new Error(`${text} parsed as ${bound.kind}`)
  return bound.ms
}

describe('parseTimeBound', () => {
  it('reads ISO dates and times as UTC unless an offset is given, and epoch milliseconds', () => {
    expect(ms('2024-03-01')).toBe(Date.UTC(2024, 2, 1))
    expect(ms('2024-03-01T12:30')).toBe(Date.UTC(2024, 2, 1, 12, 30))
    expect(ms('2024-03-01 12:30:15Z')).toBe(Date.UTC(2024, 2, 1, 12, 30, 15))
    expect(ms('2024-03-01T12:30:15.5Z')).toBe(Date.UTC(2024, 2, 1, 12, 30, 15, 500))
    expect(ms('2024-03-01T12:30:15.042+02:00')).toBe(Date.UTC(2024, 2, 1, 10, 30, 15, 42))
    expect(ms('2024-03-01T00:30-01:30')).toBe(Date.UTC(2024, 2, 1, 2, 0))
    expect(ms('2024-02-29')).toBe(Date.UTC(2024, 1, 29))
    expect(ms('1709251200000')).toBe(1_709_251_200_000)
    expect(ms(' -5000 ')).toBe(-5000)
    expect(parseTimeBound('2024-03-01', '--from').text).toBe('2024-03-01')
  })

  it('reads quantiles q0 .. q1', () => {
    expect(parseTimeBound('q0.5', '--until')).toEqual({text: 'q0.5', kind: 'quantile', q: 0.5})
    expect(parseTimeBound('q.25', '--until')).toMatchObject({q: 0.25})
    expect(parseTimeBound('q0', '--until')).toMatchObject({q: 0})
    expect(parseTimeBound('q1', '--until')).toMatchObject({q: 1})
    expect(() => parseTimeBound('q1.5', '--until')).toThrow(/--until q1.5: a quantile lies between q0 and q1/)
  })

  it('refuses anything else with the accepted forms, including dates V8 alone would roll over', () => {
    for (const text of ['yesterday', '', 'q', 'q-0.1', '1e3', '0x10', '2023-02-29', '2024-02-30', '2024-13-01', '2024-03-01T24:00', '2024-03-01T12:60', '2024/03/01', '99999999999999999']) {
      expect(() => parseTimeBound(text, '--from'), text).toThrow(expect.objectContaining({code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^--from .* (is not a time: give an ISO date or time .*epoch milliseconds .*quantile .*q0\.5|a quantile lies)/)}))
    }
  })
})

describe('checkBoundOrder', () => {
  it('refuses from >= until when both are times or both quantiles; mixed kinds wait for the data', () => {
    const b = (text: string) => parseTimeBound(text, '--x')
    expect(() => checkBoundOrder(b('2000'), b('2000'))).toThrow(/--from 2000 is not before --until 2000/)
    expect(() => checkBoundOrder(b('2024-03-02'), b('2024-03-01'))).toThrow(/not before/)
    expect(() => checkBoundOrder(b('q0.6'), b('q0.4'))).toThrow(/--from q0.6 is not before --until q0.4/)
    expect(() => checkBoundOrder(b('1999'), b('2000'))).not.toThrow()
    expect(() => checkBoundOrder(b('q0.9'), b('5'))).not.toThrow()
    expect(() => checkBoundOrder(undefined, b('q0'))).not.toThrow()
  })
})

describe('resolveBound', () => {
  it('takes the time at position floor(q * n) in time order; ties share it; q1 lies past the end', () => {
    const ts = Float64Array.from([40, 10, 20, 20, 30]) // time order: 10 20 20 30 40
    const order = timeOrder(ts)
    const at = (q: number) => resolveBound({text: `q${q}`, kind: 'quantile', q}, ts, order)
    expect([0, 0.2, 0.3, 0.4, 0.6, 0.8, 0.99, 1].map(at)).toEqual([10, 20, 20, 20, 30, 40, 40, Number.POSITIVE_INFINITY])
    expect(resolveBound({text: '25', kind: 'time', ms: 25}, ts, order)).toBe(25)
  })
})
