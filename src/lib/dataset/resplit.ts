// rec data split: recomputes interactions.split of an existing dataset and writes it anew (new fingerprint).
import {cp, readdir} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {RecError} from '../errors.js'
import {assertWritable} from '../io/atomic.js'
import {getColumn} from './columns.js'
import type {DatasetManifest} from './manifest.js'
import {checkSplitsFilled, splitColumn} from './split-options.js'
import {assignSplit, type SplitRequest} from './split.js'
import {type Dataset, readDataset, TABLE_FILES, writeDataset} from './store.js'

export interface ResplitOptions {
  /** Write a new dataset here; exactly one of `out` and `inPlace`. */
  out?: string
  /** Replace `dir` itself (atomically: the old directory stays whole until the new one is complete). */
  inPlace?: boolean
  force?: boolean
}

/**
 * Reads `dir`, assigns `request`'s split to every interaction and writes the dataset with the same
 * tables, source, feature specs and positives. Files beside the tables (e.g. truth/) are copied.
 * Throws EMPTY when the new split leaves train, val or test without rows.
 */
export async function resplitDataset(dir: string, request: SplitRequest, options: ResplitOptions): Promise<DatasetManifest> {
  if ((options.out === undefined) === !options.inPlace) {
    throw new RecError('INVALID_ARGUMENT', 'give exactly one of --out DIR and --in-place')
  }
  const out = options.out ?? dir
  if (!options.inPlace) checkOutput(dir, out, options.force ?? false)
  return writeResplit(dir, await readDataset(dir), request, {out, force: options.inPlace || options.force, subject: `re-splitting ${dir}`})
}

/** Refuses an --out that is the input itself or exists without --force, before any reading. */
export function checkOutput(dir: string, out: string, force: boolean): void {
  if (resolve(out) === resolve(dir)) throw new RecError('INVALID_ARGUMENT', `--out ${out} is the input dataset`, {hint: 'pass --in-place to replace it'})
  assertWritable(out, force)
}

/**
 * Writes `dataset` (read from `dir`, possibly with rows taken out) to `out` with `request`'s split
 * over its interactions; its manifest's name, source, window, feature specs and positives carry
 * over, and files beside the tables in `dir` (e.g. truth/) are copied. `subject` opens the EMPTY
 * message when a split would have no rows.
 */
export async function writeResplit(dir: string, dataset: Dataset, request: SplitRequest, options: {out: string; force?: boolean; subject: string}): Promise<DatasetManifest> {
  const {interactions, manifest} = dataset
  const {split, spec} = assignSplit({userId: getColumn(interactions, 'user_id', 'int64').values, ts: getColumn(interactions, 'ts', 'timestamp_ms').values}, request)
  checkSplitsFilled(split, request, options.subject)
  const own = new Set<string>([...Object.values(TABLE_FILES), 'dataset.json'])
  const extras = (await readdir(dir)).filter((name) => !own.has(name))
  return writeDataset(
    options.out,
    {
      name: manifest.name,
      source: manifest.source,
      split: spec,
      window: manifest.window,
      users: dataset.users,
      items: dataset.items,
      interactions: {...interactions, split: splitColumn(split)},
      follows: dataset.follows,
      featureOverrides: manifest.features,
      positives: manifest.positives,
      writeExtra: async (tmp) => {
        for (const name of extras) await cp(join(dir, name), join(tmp, name), {recursive: true})
      },
    },
    {force: options.force},
  )
}
