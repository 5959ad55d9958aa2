// --map user_id=col,item_id=col,ts=col[,event=col,weight=col]: which source column feeds which field.
import {RecError} from '../../errors.js'
import {headerError} from './location.js'
import type {TabularHeader} from './tabular.js'

export const MAP_FIELDS = ['user_id', 'item_id', 'ts', 'event', 'weight'] as const
export type MapField = (typeof MAP_FIELDS)[number]
export type ColumnMap = Partial<Record<MapField, string>>

/** Column index per field; event and weight are -1 when the file has none. */
export type ResolvedColumnMap = Record<MapField, number>

/** Parses "field=column,..." (column names may hold spaces, not commas); throws INVALID_ARGUMENT. */
export function parseColumnMap(spec: string): ColumnMap {
  const map: ColumnMap = {}
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    const field = part.slice(0, eq).trim()
    const column = part.slice(eq + 1).trim()
    if (eq < 0 || column === '') throw new RecError('INVALID_ARGUMENT', `--map entry "${part}" is not field=column`, {hint: 'e.g. --map user_id=uid,item_id=movie,ts=time'})
    if (!(MAP_FIELDS as readonly string[]).includes(field)) {
      throw new RecError('INVALID_ARGUMENT', `--map field "${field}" is unknown`, {hint: `fields are ${MAP_FIELDS.join(', ')}`})
    }
    if (map[field as MapField] !== undefined) throw new RecError('INVALID_ARGUMENT', `--map gives field "${field}" twice`)
    map[field as MapField] = column
  }
  return map
}

/**
 * Finds each field's column in `header`. Unmapped fields fall back to a column of the same name;
 * user_id, item_id and ts must resolve, event and weight are optional. Throws BAD_SCHEMA.
 */
export function resolveColumnMap(map: ColumnMap, {file, columns: header, unit}: TabularHeader): ResolvedColumnMap {
  const resolved = {} as ResolvedColumnMap
  for (const field of MAP_FIELDS) {
    const column = map[field] ?? field
    const index = header.indexOf(column)
    const required = field === 'user_id' || field === 'item_id' || field === 'ts'
    if (index < 0 && (required || map[field] !== undefined)) {
      const hint = map[field] === undefined ? `map it with --map ${field}=COLUMN` : undefined
      throw headerError(file, unit, `no column "${column}" for ${field} (columns: ${header.join(', ')})`, hint)
    }
    resolved[field] = index
  }
  const used = MAP_FIELDS.filter((f) => resolved[f] >= 0)
  const twice = used.find((f, i) => used.findIndex((g) => resolved[g] === resolved[f]) !== i)
  if (twice) throw new RecError('INVALID_ARGUMENT', `--map sends column "${header[resolved[twice]]}" to two fields`)
  return resolved
}
