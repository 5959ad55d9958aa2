// MovieLens ratings (u.data / ratings.dat) -> RawInteractions: event "rating", weight = the stars.
import {RecError} from '../../errors.js'
import type {Reporter} from '../../reporter.js'
import {parseId, parseNumber} from './cells.js'
import {Growable} from './growable.js'
import {readLines} from './line-reader.js'
import {inputError, showValue} from './location.js'
import {type MovielensLayout, splitFields} from './movielens-layout.js'
import type {RawInteractions} from './raw-interactions.js'

const FIELDS = ['user_id', 'item_id', 'rating', 'timestamp'] as const

/** Every line is one interaction; timestamps are unix seconds and become ms. Blank lines are skipped. */
export async function readMovielensRatings(layout: MovielensLayout, reporter?: Reporter): Promise<RawInteractions> {
  const file = layout.ratings
  const userId = new Growable(BigInt64Array)
  const itemId = new Growable(BigInt64Array)
  const ts = new Growable(Float64Array)
  const weight = new Growable(Float32Array)
  await readLines(file, {encoding: 'latin1', reporter, label: `read ${file}`}, (line, lineNo) => {
    if (line.trim() === '') return
    const f = splitFields(line, layout.ratingsSeparator, FIELDS, file, lineNo)
    const bad = (k: number, why: string) => inputError(file, 'line', lineNo, `field ${k + 1} (${FIELDS[k]}) value ${showValue(f[k])} ${why}`)
    const u = parseId(f[0])
    if (u === undefined) throw bad(0, 'is not an int64 id')
    const i = parseId(f[1])
    if (i === undefined) throw bad(1, 'is not an int64 id')
    const rating = parseNumber(f[2])
    if (rating === undefined) throw bad(2, 'is not a finite number')
    const seconds = parseNumber(f[3])
    if (seconds === undefined || Math.abs(seconds) > 8.64e12) throw bad(3, 'is not a unix time in seconds')
    userId.push(u)
    itemId.push(i)
    weight.push(rating)
    ts.push(Math.round(seconds * 1000))
  })
  if (userId.length === 0) throw new RecError('EMPTY', `${file} holds no ratings`)
  const n = userId.length
  return {
    userId: userId.finish(),
    itemId: itemId.finish(),
    ts: ts.finish(),
    event: {type: 'dict', codes: new Int32Array(n), dictionary: ['rating']},
    weight: weight.finish(),
  }
}
