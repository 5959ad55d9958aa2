// oclif flags derived from a zod object schema, so that a config key, its type, range and help text are written once.
import {Flags, type Interfaces} from '@oclif/core'
import {z} from 'zod'

import {type NumberRule, parseNameList, parseNumber, parseNumberList, parseWordOrNumber} from './flag-values.js'

/** The JSON Schema keywords z.toJSONSchema gives a field, as far as flags read them. */
interface Field extends Omit<NumberRule, 'integer'> {
  type?: string
  description?: string
  default?: unknown
  enum?: string[]
  const?: unknown
  items?: Field
  minItems?: number
  anyOf?: Field[]
}

/**
 * The flags of `S`, typed by each key's value (undefined when not given). Every key is optional:
 * only described keys have a flag, which the type system cannot see.
 */
export type SchemaFlags<S extends z.ZodObject> = {
  [K in keyof z.input<S>]?: NonNullable<z.input<S>[K]> extends boolean ? Interfaces.BooleanFlag<boolean | undefined> : Interfaces.OptionFlag<NonNullable<z.input<S>[K]> | undefined>
}

/** Flag properties a schema cannot carry. */
export type FlagProps = Partial<Pick<Interfaces.OptionFlag<unknown>, 'char' | 'dependsOn' | 'exclusive' | 'helpGroup'>>

// oclif's flag types are invariant in their value type, so a map of mixed flags can only be typed as its own FlagInput is.
type AnyFlag = Interfaces.Flag<any>

export interface SchemaFlagOptions {
  /**
   * Show the schema's defaults in --help ("[default: 42]"), without setting them on the flag. Off
   * for the training commands, where a YAML file may set another value.
   */
  helpDefaults?: boolean
  /** Per-key extras, e.g. {interactions: {char: 'n'}}. */
  props?: Record<string, FlagProps>
}

const isNumeric = (field: Field | undefined): boolean => field?.type === 'integer' || field?.type === 'number'

/** What every derived flag gets: the schema's description, the help-only default, the command's extras. */
type Base = FlagProps & {description: string; defaultHelp?: () => Promise<string>}

function ruleOf(field: Field): NumberRule {
  const {minimum, maximum, exclusiveMinimum, exclusiveMaximum} = field
  return {integer: field.type === 'integer', minimum, maximum, exclusiveMinimum, exclusiveMaximum}
}

/** A flag whose text goes through one of the parsers of flag-values.ts; `hint` is its type in --help. */
function parsedFlag(base: Base, hint: string, parse: (text: string) => unknown): AnyFlag {
  return Flags.custom<unknown>({...base, helpValue: hint, parse: async (text: string) => parse(text)})()
}

function flagOf(key: string, field: Field, base: Base): AnyFlag {
  if (field.type === 'boolean') return Flags.boolean({...base, allowNo: true})
  if (field.type === 'string' && field.enum) return Flags.option({...base, options: field.enum})()
  if (field.type === 'string') return Flags.string(base)
  if (isNumeric(field)) {
    const rule = ruleOf(field)
    return parsedFlag(base, rule.integer ? '<integer>' : '<number>', (text) => parseNumber(text, rule))
  }
  if (field.type === 'array' && field.items?.type === 'string' && !field.items.enum) {
    return parsedFlag(base, '<name,...>', (text) => parseNameList(text, field.minItems))
  }
  if (field.type === 'array' && field.items && isNumeric(field.items)) {
    const rule = ruleOf(field.items)
    return parsedFlag(base, rule.integer ? '<integer,...>' : '<number,...>', (text) => parseNumberList(text, rule, field.minItems))
  }
  // z.union([z.literal('auto'), z.number()...]): the words as themselves, anything else as the number.
  const words = (field.anyOf ?? []).filter((option) => typeof option.const === 'string').map((option) => option.const as string)
  const numbers = (field.anyOf ?? []).filter(isNumeric)
  if (words.length > 0 && numbers.length === 1 && words.length + 1 === field.anyOf?.length) {
    const rule = ruleOf(numbers[0])
    return parsedFlag(base, `${words.join('|')}|${rule.integer ? '<integer>' : '<number>'}`, (text) => parseWordOrNumber(text, words, rule))
  }
  throw new Error(`schemaFlags: key "${key}" has a description but no flag form (${JSON.stringify(field)}); remove the description to keep it a YAML-only key`)
}

/**
 * One flag per key of `schema` that has a description (`.describe()`); keys without one stay
 * YAML-only. int -> integer flag and finite number -> number flag (both range-checked from the
 * schema, see flag-values.ts), enum -> option flag, boolean -> --[no-]flag, array of numbers or
 * of strings -> comma-separated list, "word" | number union -> either, string -> string. No flag gets a default:
 * a flag only overrides when given, and the schema (or the YAML file) supplies the rest.
 * Throws at load time for a described key of another type, so a command cannot silently lose a flag.
 */
export function schemaFlags<S extends z.ZodObject>(schema: S, options: SchemaFlagOptions = {}): SchemaFlags<S> {
  const fields = (z.toJSONSchema(schema, {io: 'input'}) as {properties: Record<string, Field>}).properties
  const flags: Record<string, AnyFlag> = {}
  for (const [key, field] of Object.entries(fields)) {
    if (field.description === undefined) continue
    const shown = options.helpDefaults && field.default !== undefined && field.type !== 'boolean' ? String(field.default) : undefined
    const base: Base = {description: field.description, ...(shown === undefined ? {} : {defaultHelp: async () => shown}), ...options.props?.[key]}
    flags[key] = flagOf(key, field, base)
  }
  return flags as SchemaFlags<S>
}

/** The schema's keys among parsed `flags`, as loadConfig overrides: flag names are the config keys. */
export function flagOverrides(schema: z.ZodObject, flags: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((key) => [key, flags[key]]))
}
