// MovieLens users (u.user / users.dat) -> users table: age (numeric), gender and occupation (categorical).
import {RecError} from '../../errors.js'
import {type ColumnTable, toDict} from '../columns.js'
import {parseId, parseNumber} from './cells.js'
import {readLines} from './line-reader.js'
import {inputError, showValue} from './location.js'
import {type MovielensLayout, splitFields} from './movielens-layout.js'

const FIELDS_100K = ['user id', 'age', 'gender', 'occupation', 'zip code']
const FIELDS_1M = ['user id', 'gender', 'age', 'occupation', 'zip code']

/** users.dat codes occupations 0..20; the names are those of the 1M README. */
const OCCUPATIONS_1M = [
  'other',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
]

/**
 * One row per user; ids must be unique. 1M ages are bracket codes (1, 18, 25, 35, 45, 50, 56: the
 * bracket's lower bound, "1" meaning under 18) and stay numeric; 1M occupation codes become names.
 */
export async function readMovielensUsers(layout: MovielensLayout & {users: string}): Promise<ColumnTable> {
  const file = layout.users
  const is100k = layout.kind === '100k'
  const fields = is100k ? FIELDS_100K : FIELDS_1M
  const ids: bigint[] = []
  const ages: number[] = []
  const genders: string[] = []
  const occupations: string[] = []
  const firstLine = new Map<bigint, number>()
  await readLines(file, {encoding: 'latin1'}, (line, lineNo) => {
    if (line.trim() === '') return
    const f = splitFields(line, layout.separator, fields, file, lineNo)
    const bad = (k: number, why: string) => inputError(file, 'line', lineNo, `field ${k + 1} (${fields[k]}) value ${showValue(f[k])} ${why}`)
    const id = parseId(f[0])
    if (id === undefined) throw bad(0, 'is not an int64 id')
    if (firstLine.has(id)) throw inputError(file, 'line', lineNo, `duplicate user id ${id} (first at line ${firstLine.get(id)})`)
    firstLine.set(id, lineNo)
    const ageField = is100k ? 1 : 2
    const age = parseNumber(f[ageField])
    if (age === undefined || !Number.isInteger(age) || age < 0 || age > 2 ** 31 - 1) throw bad(ageField, 'is not a whole number of years')
    let occupation = f[3]
    if (!is100k) {
      const code = Number(f[3])
      if (!/^\d+$/.test(f[3]) || code >= OCCUPATIONS_1M.length) throw bad(3, `is not an occupation code 0..${OCCUPATIONS_1M.length - 1}`)
      occupation = OCCUPATIONS_1M[code]
    }
    ids.push(id)
    ages.push(age)
    genders.push(is100k ? f[2] : f[1])
    occupations.push(occupation)
  })
  if (ids.length === 0) throw new RecError('EMPTY', `${file} holds no users`)
  return {
    user_id: {type: 'int64', values: BigInt64Array.from(ids)},
    age: {type: 'int32', values: Int32Array.from(ages)},
    gender: toDict(genders),
    occupation: toDict(occupations),
  }
}
