// rec data import movielens: a MovieLens 100K or 1M directory -> dataset (every rating an interaction).
import {type Reporter, silentReporter} from '../../reporter.js'
import {assertWritable} from '../../io/atomic.js'
import type {DatasetManifest} from '../manifest.js'
import type {SplitRequest} from '../split.js'
import {writeDataset} from '../store.js'
import {assembleDraft} from './assemble.js'
import {detectMovielensLayout} from './movielens-layout.js'
import {readMovielensItems} from './movielens-items.js'
import {readMovielensRatings} from './movielens-ratings.js'
import {readMovielensUsers} from './movielens-users.js'

export interface MovielensImportOptions {
  out: string
  split?: SplitRequest
  /** Dataset name; default "movielens-100k" or "movielens-1m". */
  name?: string
  force?: boolean
  reporter?: Reporter
}

/**
 * Imports the release in `dir` (layout detected from its files) into a dataset at `options.out`,
 * atomically. Interactions: event "rating", weight = stars, ts = the unix seconds in ms; positives
 * {rating: 1}. Items: title, year (null when neither title nor release date has one), genres.
 * Users: age, gender, occupation. A missing movie or user file is a warning: ids get no features.
 */
export async function importMovielens(dir: string, options: MovielensImportOptions): Promise<DatasetManifest> {
  const reporter = options.reporter ?? silentReporter
  assertWritable(options.out, options.force ?? false)
  const layout = detectMovielensLayout(dir)
  const interactions = await readMovielensRatings(layout, reporter)
  const items = layout.movies ? await readMovielensItems({...layout, movies: layout.movies}) : undefined
  const users = layout.users ? await readMovielensUsers({...layout, users: layout.users}) : undefined
  // Warnings only once every file parsed, so that a malformed file still fails with one line.
  if (!layout.movies) reporter.warn(`${dir} has no ${layout.kind === '100k' ? 'u.item' : 'movies.dat'}: items get no features`)
  if (!layout.users) reporter.warn(`${dir} has no ${layout.kind === '100k' ? 'u.user' : 'users.dat'}: users get no features`)
  const draft = assembleDraft(
    {
      name: options.name ?? `movielens-${layout.kind}`,
      source: {kind: 'movielens', params: {dir, layout: layout.kind}},
      interactions,
      users,
      items,
      split: options.split ?? {method: 'leave-last-out'},
      positives: {rating: 1},
    },
    reporter,
  )
  return writeDataset(options.out, draft, {force: options.force})
}
