// rec data split: recomputes interactions.split of an existing dataset and writes it anew (new fingerprint).
import {cp, readdir} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {RecError} from '../errors.js'
import {assertWritable} from '../io/atomic.js'
import {getColumn} from './columns.js'
import type {DatasetManifest} from './manifest.js'
import {splitColumn} from './split-options.js'
import {assignSplit, type SplitRequest} from './split.js'
import {readDataset, TABLE_FILES, writeDataset} from './store.js'

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
 */
export async function resplitDataset(dir: string, request: SplitRequest, options: ResplitOptions): Promise<DatasetManifest> {
  if ((options.out === undefined) === !options.inPlace) {
    throw new RecError('INVALID_ARGUMENT', 'give exactly one of --out DIR and --in-place')
  }
  const out = options.out ?? dir
  if (!options.inPlace) {
    if (resolve(out) === resolve(dir)) throw new RecError('INVALID_ARGUMENT', `--out ${out} is the input dataset`, {hint: 'pass --in-place to replace it'})
    assertWritable(out, options.force ?? false)
  }
  const dataset = await readDataset(dir)
  const {interactions, manifest} = dataset
  const {split, spec} = assignSplit({userId: getColumn(interactions, 'user_id', 'int64').values, ts: getColumn(interactions, 'ts', 'timestamp_ms').values}, request)
  const own = new Set<string>([...Object.values(TABLE_FILES), 'dataset.json'])
  const extras = (await readdir(dir)).filter((name) => !own.has(name))
  return writeDataset(
    out,
    {
      name: manifest.name,
      source: manifest.source,
      split: spec,
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
    {force: options.inPlace || options.force},
  )
}
