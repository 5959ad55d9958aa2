// Tiny MovieLens directories in the 100K and 1M layouts, written by tests (latin1, like the releases).
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

const GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western']

const flags = (...on: string[]) => GENRES.map((g) => (on.includes(g) ? '1' : '0')).join('|')

/** 100K: user 1 rates 4 movies, user 2 rates 3 (two at the same second), user 3 rates 2. */
export const ML100K = {
  'u.data': [
    '1\t10\t5\t881250949',
    '2\t10\t3\t881250950',
    '1\t20\t4\t881250960',
    '3\t30\t1\t881250970',
    '1\t30\t2\t881250980',
    '2\t20\t4\t881250990',
    '2\t40\t5\t881250990',
    '1\t40\t3\t881251000',
    '3\t10\t4\t881251010',
  ].join('\n') + '\n',
  'u.item': [
    `10|Toy Story (1995)|01-Jan-1995||http://x|${flags('Animation', "Children's", 'Comedy')}`,
    `20|Misérables, Les (1995)|01-Jan-1995||http://x|${flags('Drama', 'War')}`,
    `30|unknown||||${flags('unknown')}`,
    `40|Land Before Time III (1995) (V)|01-Jan-1995||http://x|${flags('Animation')}`,
  ].join('\n') + '\n',
  'u.user': ['1|24|M|technician|85711', '2|53|F|other|94043', '3|23|M|writer|32067'].join('\n') + '\n',
  'u.genre': GENRES.map((g, i) => `${g}|${i}`).join('\n') + '\n\n',
}

/** 1M: "::" separators, genres as "A|B", coded ages and occupations. */
export const ML1M = {
  'ratings.dat': ['1::10::5::978300760', '1::20::3::978302109', '2::10::4::978300000', '1::30::4::978301968', '2::30::2::978300001', '2::20::5::978300002'].join('\n') + '\n',
  'movies.dat': ['10::Amélie (2001)::Comedy|Romance', "20::Toy Story (1995)::Animation|Children's|Comedy", '30::Heat (1995)::Action|Crime|Thriller'].join('\n') + '\n',
  'users.dat': ['1::F::1::10::48067', '2::M::56::16::70072'].join('\n') + '\n',
}

/** Writes `files` (latin1) into `dir`; pass replacements to corrupt one file for error tests. */
export function writeMovielens(dir: string, files: Record<string, string>, replace: Record<string, string> = {}): string {
  for (const [name, text] of Object.entries({...files, ...replace})) writeFileSync(join(dir, name), Buffer.from(text, 'latin1'))
  return dir
}
