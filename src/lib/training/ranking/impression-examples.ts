// Examples from a log with impressions: each impression is one example, labelled by the events that followed it.
import {type ColumnTable, getColumn} from '../../dataset/columns.js'
import type {IdVocab} from '../../features/vocab.js'
import type {HeadSpec} from '../../models/ranker/heads.js'
import {emptyExamples, type RankingExamples} from './examples.js'

export interface ImpressionLabelOptions {
  /** An impression nobody responded to weighs (1 + position)^-decay: ignored at the top is a strong negative. */
  positionDecay: number
  /** dwell events count for the dwell head only at dwell_ms >= this (a null dwell_ms counts). */
  longDwellMs: number
}

export interface ImpressionExamples {
  examples: RankingExamples
  /** Response rows with no earlier impression of the same (user, item): not labels of anything. */
  orphanEvents: number
}

/**
 * One example per impression row, in time order. A later row of the same (user, item) and event
 * of head h sets label h of the most recent impression of that pair. The split is the
 * impression's. Impressions with any response weigh 1; the rest weigh (1 + position)^-decay.
 */
export function buildImpressionExamples(interactions: ColumnTable, users: IdVocab, items: IdVocab, heads: HeadSpec[], options: ImpressionLabelOptions): ImpressionExamples {
  const event = getColumn(interactions, 'event', 'dict')
  const split = getColumn(interactions, 'split', 'dict')
  const userRow = users.rows(getColumn(interactions, 'user_id', 'int64').values)
  const itemRow = items.rows(getColumn(interactions, 'item_id', 'int64').values)
  const ts = getColumn(interactions, 'ts', 'timestamp_ms').values
  const position = interactions.position?.type === 'int16' ? interactions.position : undefined
  const dwell = interactions.dwell_ms?.type === 'int32' ? interactions.dwell_ms : undefined
  const impressionCode = event.dictionary.indexOf('impression')
  // Per event code: the head it labels (-1 none); dwell needs its duration checked.
  const headOf = event.dictionary.map((name) => heads.findIndex((h) => h.events.includes(name)))
  const isDwell = event.dictionary.map((name) => name === 'dwell')
  const splitCode = split.dictionary.map((s) => ['train', 'val', 'test'].indexOf(s))

  let n = 0
  for (let i = 0; i < event.codes.length; i++) if (event.codes[i] === impressionCode) n++
  const out = emptyExamples(heads, n)
  const h = heads.length
  const responded = new Uint8Array(n)
  const lastImpression = new Map<number, number>()
  const nItems = items.size
  let e = 0
  let orphanEvents = 0
  for (let i = 0; i < event.codes.length; i++) {
    const code = event.codes[i]
    const key = userRow[i] * nItems + itemRow[i]
    if (code === impressionCode) {
      out.user[e] = userRow[i]
      out.item[e] = itemRow[i]
      out.ts[e] = ts[i]
      out.split[e] = splitCode[split.codes[i]]
      out.weight[e] = position && !position.nulls?.[i] ? Math.pow(1 + Math.max(0, position.values[i]), -options.positionDecay) : 1
      lastImpression.set(key, e++)
      continue
    }
    const head = headOf[code]
    if (head < 0) continue
    const target = lastImpression.get(key)
    if (target === undefined) {
      orphanEvents++
      continue
    }
    responded[target] = 1
    if (isDwell[code] && dwell && !dwell.nulls?.[i] && dwell.values[i] < options.longDwellMs) continue
    out.labels[target * h + head] = 1
  }
  for (let j = 0; j < n; j++) if (responded[j]) out.weight[j] = 1
  return {examples: out, orphanEvents}
}
