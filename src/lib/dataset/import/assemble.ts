// Parsed parts -> a DatasetDraft: pads users/items with ids seen only in interactions, assigns the split.
import type {Reporter} from '../../reporter.js'
import {silentReporter} from '../../reporter.js'
import type {ColumnTable} from '../columns.js'
import type {DatasetManifest} from '../manifest.js'
import {splitColumn} from '../split-options.js'
import {assignSplit, type SplitRequest} from '../split.js'
import type {DatasetDraft} from '../store.js'
import {addMissingIds} from './pad-ids.js'
import type {RawInteractions} from './raw-interactions.js'

export interface ImportParts {
  name: string
  source: DatasetManifest['source']
  interactions: RawInteractions
  /** Feature tables keyed by user_id / item_id; undefined when the source has none. */
  users?: ColumnTable
  items?: ColumnTable
  split: SplitRequest
  positives: Record<string, number>
}

/** Builds the draft writeDataset takes; warns (not fails) when ids had to be added or a split is empty. */
export function assembleDraft(parts: ImportParts, reporter: Reporter = silentReporter): DatasetDraft {
  const {interactions: raw} = parts
  const users = addMissingIds(parts.users, 'user_id', raw.userId)
  const items = addMissingIds(parts.items, 'item_id', raw.itemId)
  if (parts.users && users.added > 0) reporter.warn(`${users.added} user ids occur only in interactions: added with missing features`)
  if (parts.items && items.added > 0) reporter.warn(`${items.added} item ids occur only in interactions: added with missing features`)
  const {split, spec} = assignSplit({userId: raw.userId, ts: raw.ts}, parts.split)
  const counts = [0, 0, 0]
  for (const s of split) counts[s]++
  if (counts[1] === 0 || counts[2] === 0) {
    reporter.warn(`the ${parts.split.method} split left val with ${counts[1]} and test with ${counts[2]} interactions`)
  }
  return {
    name: parts.name,
    source: parts.source,
    split: spec,
    users: users.table,
    items: items.table,
    interactions: {
      user_id: {type: 'int64', values: raw.userId},
      item_id: {type: 'int64', values: raw.itemId},
      ts: {type: 'timestamp_ms', values: raw.ts},
      event: raw.event,
      weight: {type: 'float32', values: raw.weight},
      split: splitColumn(split),
    },
    positives: parts.positives,
  }
}
