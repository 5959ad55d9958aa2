// Examples from a log without impressions (MovieLens): observed events are positives, low ratings explicit negatives.
import {type ColumnTable, getColumn} from '../../dataset/columns.js'
import type {IdVocab} from '../../features/vocab.js'
import type {HeadSpec} from '../../models/ranker/heads.js'
import {emptyExamples, type RankingExamples} from './examples.js'

export interface EventExamples {
  examples: RankingExamples
  /** Rows below the minimum weight, kept as explicit negatives. */
  explicitNegatives: number
}

/**
 * One example per interaction of a head's event, in time order: label 1 on that head, unless its
 * weight column is below `minWeight`, which makes an all-zero (negative) example. Weight 1.
 */
export function buildEventExamples(interactions: ColumnTable, users: IdVocab, items: IdVocab, heads: HeadSpec[], minWeight: number | undefined): EventExamples {
  const event = getColumn(interactions, 'event', 'dict')
  const split = getColumn(interactions, 'split', 'dict')
  const userId = getColumn(interactions, 'user_id', 'int64').values
  const itemId = getColumn(interactions, 'item_id', 'int64').values
  const ts = getColumn(interactions, 'ts', 'timestamp_ms').values
  const weight = getColumn(interactions, 'weight', 'float32').values
  const headOf = event.dictionary.map((name) => heads.findIndex((h) => h.events.includes(name)))
  const splitCode = split.dictionary.map((s) => ['train', 'val', 'test'].indexOf(s))
  const rows: number[] = []
  for (let i = 0; i < event.codes.length; i++) if (headOf[event.codes[i]] >= 0) rows.push(i)
  const out = emptyExamples(heads, rows.length)
  const h = heads.length
  let explicitNegatives = 0
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]
    out.user[j] = users.row(userId[i])
    out.item[j] = items.row(itemId[i])
    out.ts[j] = ts[i]
    out.split[j] = splitCode[split.codes[i]]
    out.weight[j] = 1
    if (minWeight !== undefined && weight[i] < minWeight) explicitNegatives++
    else out.labels[j * h + headOf[event.codes[i]]] = 1
  }
  return {examples: out, explicitNegatives}
}
