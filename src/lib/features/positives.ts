// Positive interactions in time order, mapped to vocabulary rows: what retrieval learns from and is judged on.
import {type ColumnTable, getColumn} from '../dataset/columns.js'
import {eventCode} from '../dataset/event-codes.js'
import {RecError} from '../errors.js'
import type {IdVocab} from './vocab.js'

/** Positives as parallel arrays in (ts, source) order; `split` codes are TRAIN/VAL/TEST. */
export interface Positives {
  userRow: Int32Array
  itemRow: Int32Array
  ts: Float64Array
  split: Uint8Array
  weight: Float32Array
  /** Each positive's event (eventCode): what a reason names ("similar to X you shared"). */
  event: Uint8Array
}

export interface PositiveRule {
  /** Event name -> example weight; events not listed are not positives. */
  events: Record<string, number>
  /** Interactions whose `weight` column is below this are not positives (e.g. ratings < 4). */
  minWeight?: number
}

/** Selects positive interactions; interactions must already be in time order (as datasets are stored). */
export function selectPositives(interactions: ColumnTable, users: IdVocab, items: IdVocab, rule: PositiveRule): Positives {
  const event = getColumn(interactions, 'event', 'dict')
  const split = getColumn(interactions, 'split', 'dict')
  const userId = getColumn(interactions, 'user_id', 'int64').values
  const itemId = getColumn(interactions, 'item_id', 'int64').values
  const ts = getColumn(interactions, 'ts', 'timestamp_ms').values
  const weight = getColumn(interactions, 'weight', 'float32').values
  const eventWeight = event.dictionary.map((name) => rule.events[name] ?? 0)
  const codes = event.dictionary.map(eventCode)
  if (!eventWeight.some((w) => w > 0)) {
    throw new RecError('INVALID_ARGUMENT', `no positive events: the dataset has ${event.dictionary.join(', ')}, the config counts ${Object.keys(rule.events).join(', ') || 'none'}`, {
      hint: 'set positives in the config to events the dataset has',
    })
  }
  const splitCode = split.dictionary.map((s) => ['train', 'val', 'test'].indexOf(s))
  const keep: number[] = []
  const minWeight = rule.minWeight ?? -Infinity
  for (let i = 0; i < event.codes.length; i++) if (eventWeight[event.codes[i]] > 0 && weight[i] >= minWeight) keep.push(i)
  const events = new Uint8Array(keep.length)
  const out: Positives = {
    userRow: new Int32Array(keep.length),
    itemRow: new Int32Array(keep.length),
    ts: new Float64Array(keep.length),
    split: new Uint8Array(keep.length),
    weight: new Float32Array(keep.length),
    event: events,
  }
  for (let j = 0; j < keep.length; j++) {
    const i = keep[j]
    out.userRow[j] = users.row(userId[i])
    out.itemRow[j] = items.row(itemId[i])
    out.ts[j] = ts[i]
    out.split[j] = splitCode[split.codes[i]]
    out.weight[j] = eventWeight[event.codes[i]]
    events[j] = codes[event.codes[i]]
  }
  return out
}
