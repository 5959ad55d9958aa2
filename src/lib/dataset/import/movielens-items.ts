// MovieLens movies (u.item / movies.dat) -> items table: title (text), year (numeric), genres (list).
import {RecError} from '../../errors.js'
import type {ColumnTable} from '../columns.js'
import {parseId} from './cells.js'
import {readLines} from './line-reader.js'
import {inputError, showValue} from './location.js'
import {type MovielensLayout, splitFields} from './movielens-layout.js'

/** The 19 genre flags of u.item in order, as u.genre lists them; used when u.genre is absent. */
const GENRES_100K = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western']
const FIELDS_100K = ['movie id', 'title', 'release date', 'video release date', 'IMDb URL', ...GENRES_100K.map((g) => `genre ${g}`)]
const FIELDS_1M = ['movie id', 'title', 'genres']

/** The year in the last "(YYYY)" of a title, else the year ending a "01-Jan-1995" date, else undefined. */
export function movieYear(title: string, releaseDate = ''): number | undefined {
  const inTitle = [...title.matchAll(/\((\d{4})\)/g)].pop()
  if (inTitle) return Number(inTitle[1])
  const inDate = /(\d{4})\s*$/.exec(releaseDate)
  return inDate ? Number(inDate[1]) : undefined
}

/** u.genre: "name|index" lines; returns the names by index. */
async function readGenreNames(path: string): Promise<string[]> {
  const names: string[] = []
  await readLines(path, {encoding: 'latin1'}, (line, lineNo) => {
    if (line.trim() === '') return
    const [name, index] = splitFields(line, '|', ['genre', 'index'], path, lineNo)
    const k = Number(index)
    if (!Number.isInteger(k) || k < 0 || k >= GENRES_100K.length) throw inputError(path, 'line', lineNo, `genre index ${showValue(index)} is not 0..18`)
    names[k] = name
  })
  return GENRES_100K.map((fallback, k) => names[k] ?? fallback)
}

/** Reads the layout's movie file; ids must be unique; files are latin1 like the releases ship them. */
export async function readMovielensItems(layout: MovielensLayout & {movies: string}): Promise<ColumnTable> {
  const file = layout.movies
  const genreNames = layout.genres ? await readGenreNames(layout.genres) : GENRES_100K
  const fields = layout.kind === '100k' ? FIELDS_100K : FIELDS_1M
  const ids: bigint[] = []
  const titles: string[] = []
  const years: number[] = []
  const genres: string[][] = []
  const firstLine = new Map<bigint, number>()
  await readLines(file, {encoding: 'latin1'}, (line, lineNo) => {
    if (line.trim() === '') return
    const f = splitFields(line, layout.separator, fields, file, lineNo)
    const id = parseId(f[0])
    if (id === undefined) throw inputError(file, 'line', lineNo, `field 1 (movie id) value ${showValue(f[0])} is not an int64 id`)
    if (firstLine.has(id)) throw inputError(file, 'line', lineNo, `duplicate movie id ${id} (first at line ${firstLine.get(id)})`)
    firstLine.set(id, lineNo)
    let list: string[]
    if (layout.kind === '100k') {
      list = []
      for (let g = 0; g < GENRES_100K.length; g++) {
        const flag = f[5 + g]
        if (flag !== '0' && flag !== '1') throw inputError(file, 'line', lineNo, `field ${6 + g} (${fields[5 + g]}) value ${showValue(flag)} is not 0 or 1`)
        if (flag === '1') list.push(genreNames[g])
      }
    } else list = f[2] === '(no genres listed)' ? [] : f[2].split('|').filter((g) => g !== '')
    ids.push(id)
    titles.push(f[1])
    years.push(movieYear(f[1], layout.kind === '100k' ? f[2] : '') ?? Number.NaN)
    genres.push(list)
  })
  if (ids.length === 0) throw new RecError('EMPTY', `${file} holds no movies`)
  const yearNulls = Uint8Array.from(years, (y) => (Number.isNaN(y) ? 1 : 0))
  return {
    item_id: {type: 'int64', values: BigInt64Array.from(ids)},
    title: {type: 'utf8', values: titles},
    year: {type: 'int32', values: Int32Array.from(years, (y) => (Number.isNaN(y) ? 0 : y)), nulls: yearNulls},
    genres: {type: 'list_utf8', values: genres},
  }
}
