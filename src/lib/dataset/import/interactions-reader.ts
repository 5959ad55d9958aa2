// Reads an interactions CSV/TSV/Parquet file through a column map into RawInteractions.
import {RecError} from '../../errors.js'
import type {Reporter} from '../../reporter.js'
import {EVENTS} from '../schema.js'
import {type Cell, cellText, isNotANumber, parseId, parseNumber} from './cells.js'
import {type ColumnMap, resolveColumnMap} from './column-map.js'
import {Growable} from './growable.js'
import {inputError, showValue} from './location.js'
import type {RawInteractions} from './raw-interactions.js'
import {type RowVisitor, scanTabular, type TabularHeader} from './tabular.js'
import {TimestampColumn, type TsFormat} from './timestamps.js'

export interface InteractionsReadOptions {
  map: ColumnMap
  tsFormat: TsFormat
  reporter?: Reporter
}

export interface InteractionsRead {
  interactions: RawInteractions
  /** The timestamp format applied (auto resolved). */
  tsFormat: Exclude<TsFormat, 'auto'>
  /** Where events came from: the file's column, or the default ("rating" with weights, else "click"). */
  eventSource: 'column' | 'default'
}

const EVENT_SET = new Set<string>(EVENTS)

/**
 * Every row becomes one interaction. Without an event column the event is "rating" when a weight
 * column is mapped (explicit feedback) and "click" otherwise; without a weight column weights are 1.
 */
export async function readInteractionsFile(path: string, options: InteractionsReadOptions): Promise<InteractionsRead> {
  const userId = new Growable(BigInt64Array)
  const itemId = new Growable(BigInt64Array)
  const weight = new Growable(Float32Array)
  const codes = new Growable(Int32Array)
  const positions = new Growable(Int32Array)
  const dictionary: string[] = []
  const codeOf = new Map<string, number>()
  let ts: TimestampColumn | undefined
  let header: TabularHeader | undefined
  let eventSource: InteractionsRead['eventSource'] = 'column'

  const begin = (h: TabularHeader): RowVisitor => {
    header = h
    const m = resolveColumnMap(options.map, h)
    const tsType = h.types?.[m.ts]
    ts = new TimestampColumn(options.tsFormat, tsType === 'timestamp_ms')
    const fail = (position: number, index: number, cell: Cell, why: string, hint?: string): never => {
      throw inputError(h.file, h.unit, position, `column "${h.columns[index]}" value ${showValue(cellText(cell))} ${why}`, 'BAD_DATA', hint)
    }
    const defaultEvent = m.weight >= 0 ? 'rating' : 'click'
    if (m.event < 0) eventSource = 'default'
    return (cells, position) => {
      const u = parseId(cells[m.user_id])
      if (u === undefined) fail(position, m.user_id, cells[m.user_id], 'is not an int64 id')
      const i = parseId(cells[m.item_id])
      if (i === undefined) fail(position, m.item_id, cells[m.item_id], 'is not an int64 id')
      const tsProblem = ts!.add(cells[m.ts])
      if (tsProblem !== undefined) fail(position, m.ts, cells[m.ts], tsProblem, 'pass --ts-format unix-s|unix-ms|iso if detection guessed wrong')
      let w = 1
      if (m.weight >= 0) {
        const parsed = parseNumber(cells[m.weight])
        if (parsed === undefined) fail(position, m.weight, cells[m.weight], isNotANumber(cells[m.weight]) ? 'is not finite' : 'is not a number')
        if (!Number.isFinite(Math.fround(parsed!))) fail(position, m.weight, cells[m.weight], 'does not fit a float32 weight')
        w = parsed!
      }
      const event = m.event >= 0 ? cellText(cells[m.event]) : defaultEvent
      if (!EVENT_SET.has(event)) fail(position, m.event, cells[m.event], 'is not a known event', `events are ${EVENTS.join(', ')}`)
      let code = codeOf.get(event)
      if (code === undefined) {
        code = dictionary.length
        dictionary.push(event)
        codeOf.set(event, code)
      }
      userId.push(u!)
      itemId.push(i!)
      weight.push(w)
      codes.push(code)
      positions.push(position)
    }
  }

  const rows = await scanTabular(path, options.reporter, begin)
  if (rows === 0) throw new RecError('EMPTY', `${path} holds no interactions (only a header)`)
  const {ms, format, firstOutOfRange} = ts!.finish()
  if (firstOutOfRange >= 0) {
    const position = positions.finish()[firstOutOfRange]
    throw inputError(path, header!.unit, position, `timestamp ${ms[firstOutOfRange]} ms (read as ${format}) is outside the representable date range`)
  }
  return {
    interactions: {userId: userId.finish(), itemId: itemId.finish(), ts: ms, event: {type: 'dict', codes: codes.finish(), dictionary}, weight: weight.finish()},
    tsFormat: format,
    eventSource,
  }
}
