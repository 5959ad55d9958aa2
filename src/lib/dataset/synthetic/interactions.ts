// The generated event log -> interactions table: time order, split, id columns, dictionaries.
import type {ColumnTable} from '../columns.js'
import type {SplitSpec} from '../manifest.js'
import {SPLITS} from '../schema.js'
import type {SplitRequest} from '../split.js'
import type {EventLog} from './event-log.js'
import {itemRowIds, toIds} from './ids.js'
import {splitSyntheticRows} from './split-engaged.js'
import {radixTimeOrder} from './time-order.js'
import {EVENT_DICTIONARY, ITEM_ID_BASE, SOURCES, USER_ID_BASE} from './vocab.js'

/**
 * Sorts the log by (ts, generation order), so that writeDataset finds it already in order and copies
 * nothing, assigns the split and builds the columns of the data contract. The log is consumed: its
 * arrays are read once and may be dropped afterwards. `ids`: a catalogue's item ids by row (else ITEM_ID_BASE + row). Peak: about 90 bytes a row on top of the log.
 */
export function buildInteractions(log: EventLog, users: number, request: SplitRequest, ids?: BigInt64Array): {table: ColumnTable; split: SplitSpec} {
  const n = log.length
  const order = radixTimeOrder(log.ts.subarray(0, n))
  const user = new Int32Array(n)
  const item = new Int32Array(n)
  const ts = new Float64Array(n)
  const anchorTs = new Float64Array(n)
  const eventU8 = new Uint8Array(n)
  const event = new Int32Array(n)
  const position = new Int16Array(n)
  const dwellMs = new Int32Array(n)
  const dwellNull = new Uint8Array(n)
  const source = new Int32Array(n)
  for (let j = 0; j < n; j++) {
    const r = order[j]
    user[j] = log.user[r]
    item[j] = log.item[r]
    ts[j] = log.ts[r]
    anchorTs[j] = log.anchorTs[r]
    eventU8[j] = log.event[r]
    event[j] = log.event[r]
    position[j] = log.position[r]
    dwellMs[j] = log.dwellMs[r]
    dwellNull[j] = log.dwellNull[r]
    source[j] = log.source[r]
  }
  const userId = toIds(user, USER_ID_BASE)
  const {split, spec} = splitSyntheticRows({user, userId, ts, anchorTs, event: eventU8}, users, request)
  const table: ColumnTable = {
    user_id: {type: 'int64', values: userId},
    item_id: {type: 'int64', values: itemRowIds(item, ids, ITEM_ID_BASE)},
    ts: {type: 'timestamp_ms', values: ts},
    event: {type: 'dict', codes: event, dictionary: [...EVENT_DICTIONARY]},
    weight: {type: 'float32', values: new Float32Array(n).fill(1)},
    split: {type: 'dict', codes: Int32Array.from(split), dictionary: [...SPLITS]},
    dwell_ms: {type: 'int32', values: dwellMs, nulls: dwellNull},
    position: {type: 'int16', values: position},
    source: {type: 'dict', codes: source, dictionary: [...SOURCES]},
  }
  return {table, split: spec}
}
