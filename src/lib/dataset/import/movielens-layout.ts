// Finds which MovieLens release a directory holds (100K: u.data/u.item/u.user; 1M: *.dat with "::").
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {RecError} from '../../errors.js'
import {inputError} from './location.js'

/** The files of one release and how their lines are separated. */
export interface MovielensLayout {
  kind: '100k' | '1m'
  ratings: string
  /** undefined when the file is absent (1M-style releases such as 10M ship no users.dat) */
  movies?: string
  users?: string
  /** 100K only: u.genre, the names of the 19 genre flags in u.item */
  genres?: string
  ratingsSeparator: string
  separator: string
}

/** Throws NOT_FOUND when `dir` holds neither u.data nor ratings.dat, INVALID_ARGUMENT when it holds both. */
export function detectMovielensLayout(dir: string): MovielensLayout {
  if (!existsSync(dir)) throw new RecError('NOT_FOUND', `MovieLens directory ${dir} does not exist`)
  const present = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : undefined)
  const is100k = present('u.data')
  const is1m = present('ratings.dat')
  if (is100k && is1m) throw new RecError('INVALID_ARGUMENT', `${dir} holds both u.data (100K) and ratings.dat (1M)`, {hint: 'keep one release per directory'})
  if (is100k) return {kind: '100k', ratings: is100k, movies: present('u.item'), users: present('u.user'), genres: present('u.genre'), ratingsSeparator: '\t', separator: '|'}
  if (is1m) return {kind: '1m', ratings: is1m, movies: present('movies.dat'), users: present('users.dat'), ratingsSeparator: '::', separator: '::'}
  throw new RecError('NOT_FOUND', `${dir} holds neither u.data (MovieLens 100K) nor ratings.dat (MovieLens 1M)`, {
    hint: 'for ratings.csv releases use rec data import csv',
  })
}

/** The `expected` fields of one line, or a BAD_DATA error naming the file, line and field names. */
export function splitFields(line: string, separator: string, names: readonly string[], file: string, lineNo: number): string[] {
  const fields = line.split(separator)
  if (fields.length !== names.length) {
    const sep = separator === '\t' ? 'tab' : JSON.stringify(separator)
    throw inputError(file, 'line', lineNo, `expected ${names.length} ${sep}-separated fields (${names.join(', ')}), got ${fields.length}`)
  }
  return fields
}
