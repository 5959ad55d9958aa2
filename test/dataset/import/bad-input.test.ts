// Every malformed input fails with one RecError line naming file and line (and column/value), writing nothing.
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {importCsv} from '../../../src/lib/dataset/import/csv.js'
import {importMovielens} from '../../../src/lib/dataset/import/movielens.js'
import {formatRecError, RecError} from '../../../src/lib/errors.js'
import {runCli, tempDir} from '../../helpers/cli.js'
import {ML100K, ML1M, writeMovielens} from './movielens-fixtures.js'

const GOOD_USERS = 'user_id,age\n1,30\n2,40\n'

interface CsvCase {
  name: string
  events: string
  ext?: string
  users?: string
  map?: Record<string, string>
  error: RegExp
}

const csvCases: CsvCase[] = [
  {name: 'a stray quote', events: 'user_id,item_id,ts\n1,2,3\n1,"2"x,4\n', error: /e\.csv line 3: unexpected "x" after the closing quote/},
  {name: 'a quote never closed', events: 'user_id,item_id,ts\n1,2,3\n1,"2,4\n', error: /e\.csv line 3: a quoted field is never closed/},
  {name: 'a wrong field count', events: 'user_id,item_id,ts\n1,2,3\n1,2\n', error: /e\.csv line 3: 2 fields, but the header has 3/},
  {name: 'an unparsable weight', events: 'user_id,item_id,ts,weight\n1,2,3,4\n1,2,4,abc\n', error: /e\.csv line 3: column "weight" value "abc" is not a number/},
  {name: 'a NaN weight', events: 'user_id,item_id,ts,weight\n1,2,3,NaN\n', error: /e\.csv line 2: column "weight" value "NaN" is not finite/},
  {name: 'an unparsable date', events: 'user_id,item_id,ts\n1,2,2021-01-01\n1,2,31/12/2020\n', error: /e\.csv line 3: column "ts" value "31\/12\/2020" is not a number or an ISO-8601 date/},
  {name: 'an impossible date', events: 'user_id,item_id,ts\n1,2,2021-02-30\n', error: /e\.csv line 2: column "ts" value "2021-02-30"/},
  {name: 'a missing timestamp', events: 'user_id,item_id,ts\n1,2,\n', error: /e\.csv line 2: column "ts" value "" is empty/},
  {name: 'a float user id', events: 'user_id,item_id,ts\n1.5,2,3\n', error: /e\.csv line 2: column "user_id" value "1\.5" is not an int64 id/},
  {name: 'an id beyond int64', events: 'user_id,item_id,ts\n1,9223372036854775808,3\n', error: /e\.csv line 2: column "item_id" value "9223372036854775808" is not an int64 id/},
  {name: 'an unknown event', events: 'user_id,item_id,ts,event\n1,2,3,purchase\n', error: /e\.csv line 2: column "event" value "purchase" is not a known event/},
  {name: 'an empty file', events: '', error: /e\.csv is empty/},
  {name: 'a header without rows', events: 'user_id,item_id,ts\n', error: /e\.csv holds no interactions/},
  {name: 'a --map column that does not exist', events: 'user_id,item_id,ts\n1,2,3\n', map: {ts: 'time'}, error: /e\.csv line 1: no column "time" for ts/},
  {name: 'a header naming a column twice', events: 'user_id,item_id,ts,ts\n1,2,3,4\n', error: /e\.csv line 1: the header names column "ts" twice/},
  {name: 'an unknown extension', events: 'user_id,item_id,ts\n1,2,3\n', ext: '.txt', error: /e\.txt: cannot tell the format/},
  {name: 'duplicate ids in the users file', events: 'user_id,item_id,ts\n1,2,3\n', users: 'user_id,age\n1,30\n2,40\n1,50\n', error: /u\.csv line 4: duplicate user_id 1 \(first at line 2\)/},
  {name: 'NaN in a numeric users column', events: 'user_id,item_id,ts\n1,2,3\n', users: 'user_id,age\n1,30\n2,nan\n', error: /u\.csv line 3: column "age" value "nan" is not finite/},
  {name: 'a users file without the id column', events: 'user_id,item_id,ts\n1,2,3\n', users: 'uid,age\n1,30\n', error: /u\.csv line 1: no id column "user_id".*--users-id-col/},
  {name: 'an empty users file', events: 'user_id,item_id,ts\n1,2,3\n', users: '', error: /u\.csv is empty/},
]

function expectOneLineError(error: unknown, pattern: RegExp): void {
  expect(error).toBeInstanceOf(RecError)
  const line = formatRecError(error as RecError)
  expect(line).toMatch(pattern)
  expect(line).not.toContain('\n')
}

describe('importCsv on malformed input', () => {
  for (const c of csvCases) {
    it(`fails on ${c.name}`, async () => {
      const dir = tempDir()
      const events = join(dir, `e${c.ext ?? '.csv'}`)
      writeFileSync(events, c.events)
      const users = c.users === undefined ? undefined : join(dir, 'u.csv')
      if (users) writeFileSync(users, c.users ?? GOOD_USERS)
      const parent = tempDir()
      const error = await importCsv(events, {out: join(parent, 'ds'), map: c.map, users}).catch((e: unknown) => e)
      expectOneLineError(error, c.error)
      expect(readdirSync(parent)).toEqual([]) // no output, no temp directory left behind
    })
  }
})

const movielensCases: {name: string; files: Record<string, string>; replace: Record<string, string>; error: RegExp}[] = [
  {name: 'a u.data line with 3 fields', files: ML100K, replace: {'u.data': '1\t10\t5\t881250949\n1\t20\t4\n'}, error: /u\.data line 2: expected 4 tab-separated fields \(user_id, item_id, rating, timestamp\), got 3/},
  {name: 'a rating that is not a number', files: ML100K, replace: {'u.data': '1\t10\tfive\t881250949\n'}, error: /u\.data line 1: field 3 \(rating\) value "five" is not a finite number/},
  {name: 'a NaN rating', files: ML100K, replace: {'u.data': '1\t10\tNaN\t881250949\n'}, error: /u\.data line 1: field 3 \(rating\) value "NaN"/},
  {name: 'an empty u.data', files: ML100K, replace: {'u.data': ''}, error: /u\.data is empty/},
  {name: 'a duplicate movie id', files: ML100K, replace: {'u.item': ML100K['u.item'] + ML100K['u.item'].split('\n')[0] + '\n'}, error: /u\.item line 5: duplicate movie id 10 \(first at line 1\)/},
  {name: 'a genre flag that is not 0/1', files: ML100K, replace: {'u.item': ML100K['u.item'].replace('http://x|0', 'http://x|2')}, error: /u\.item line 1: field 6 \(genre unknown\) value "2" is not 0 or 1/},
  {name: 'a duplicate user id', files: ML100K, replace: {'u.user': ML100K['u.user'] + '2|20|F|other|1\n'}, error: /u\.user line 4: duplicate user id 2/},
  {name: 'a bad 1M occupation code', files: ML1M, replace: {'users.dat': '1::F::1::99::48067\n'}, error: /users\.dat line 1: field 4 \(occupation\) value "99" is not an occupation code 0\.\.20/},
  {name: 'a 1M rating line with a bad separator', files: ML1M, replace: {'ratings.dat': '1::10::5::978300760\n1:20::3::978302109\n'}, error: /ratings\.dat line 2: expected 4 "::"-separated fields/},
]

describe('importMovielens on malformed input', () => {
  for (const c of movielensCases) {
    it(`fails on ${c.name}`, async () => {
      const src = join(tempDir(), 'ml')
      mkdirSync(src)
      writeMovielens(src, c.files, c.replace)
      const parent = tempDir()
      const error = await importMovielens(src, {out: join(parent, 'ds')}).catch((e: unknown) => e)
      expectOneLineError(error, c.error)
      expect(readdirSync(parent)).toEqual([])
    })
  }

  it('fails on a directory that holds no MovieLens release', async () => {
    const error = await importMovielens(tempDir(), {out: join(tempDir(), 'ds')}).catch((e: unknown) => e)
    expectOneLineError(error, /holds neither u\.data \(MovieLens 100K\) nor ratings\.dat/)
  })
})

describe('the CLI on malformed input', () => {
  it('exits 2 with one line on stderr and no output directory', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'e.csv'), 'user_id,item_id,ts,weight\n1,2,3,4\n1,2,4,NaN\n')
    const src = join(dir, 'ml')
    mkdirSync(src)
    writeMovielens(src, ML100K, {'u.data': '1\t10\t5\t881250949\n1\t20\t4\n'})
    const runs = [
      {args: ['data', 'import', 'csv', join(dir, 'e.csv'), '--out', join(dir, 'out1')], error: /e\.csv line 3: column "weight" value "NaN" is not finite/},
      {args: ['data', 'import', 'csv', join(dir, 'e.csv'), '--out', join(dir, 'out2'), '--map', 'ts=time'], error: /e\.csv line 1: no column "time" for ts/},
      {args: ['data', 'import', 'movielens', src, '--out', join(dir, 'out3')], error: /u\.data line 2: expected 4 tab-separated fields/},
    ]
    for (const run of runs) {
      const result = runCli(run.args)
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      const lines = result.stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^rec: error: /)
      expect(lines[0]).toMatch(run.error)
    }
    expect(readdirSync(dir).sort()).toEqual(['e.csv', 'ml'])
  })
})
