// What the /v1 routes accept: one zod shape per query string and body, with the rule of each field.
import {z} from 'zod'

import {RecError} from '../errors.js'
import {ID_RULE, JSON_ID, TEXT_ID} from './ids.js'
import {parseRequest, type RequestShape} from './parse-request.js'

/** Interactions one POST may carry. */
export const MAX_BATCH = 1000

const BOOL = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const BOOL_RULE = 'must be true, false, 1 or 0'

/** k as decimal digits within [1, maxK]: k=0, k=-3 and k=abc all break the one rule. */
function kSchema(maxK: number) {
  return z
    .string()
    .regex(/^[0-9]{1,6}$/)
    .refine((k) => Number(k) >= 1 && Number(k) <= maxK) // on the string, so the message quotes what was sent
    .transform(Number)
}

export function recommendationsQuery(maxK: number) {
  return {
    noun: 'query parameter',
    schema: z.strictObject({user_id: TEXT_ID, k: kSchema(maxK).optional(), explain: BOOL.optional(), debug: BOOL.optional(), display: BOOL.optional(), seed: z.string().regex(/^[0-9]{1,9}$/).transform(Number).optional(), arm: z.string().min(1).max(64).optional(), strategy: z.string().min(1).max(64).optional()}),
    rules: {user_id: ID_RULE, k: `must be an integer from 1 to ${maxK}`, explain: BOOL_RULE, debug: BOOL_RULE, display: BOOL_RULE, seed: 'must be an integer from 0 to 999999999', arm: 'must be an arm name of 1 to 64 characters', strategy: 'must be a strategy name or auto (1 to 64 characters)'},
  } satisfies RequestShape<unknown>
}

export function similarQuery(maxK: number) {
  return {
    noun: 'query parameter',
    schema: z.strictObject({k: kSchema(maxK).optional(), by: z.enum(['index', 'content']).optional()}),
    rules: {k: `must be an integer from 1 to ${maxK}`, by: 'must be index (the item index, the default) or content (the content model, rec serve --content)'},
  } satisfies RequestShape<unknown>
}

export const SIMILAR_PARAMS = {noun: 'path parameter', schema: z.object({id: TEXT_ID}), rules: {id: ID_RULE}} satisfies RequestShape<unknown>

const INTERACTION = {
  noun: 'field',
  schema: z.strictObject({
    user_id: JSON_ID,
    item_id: JSON_ID,
    event: z.string().min(1).max(64),
    ts: z.number().min(0).optional(),
    dwell_ms: z.number().int().min(0).max(2147483647).optional(),
    position: z.number().int().min(0).max(32767).optional(),
    request_id: z.string().min(1).max(64).optional(),
  }),
  rules: {
    user_id: ID_RULE,
    item_id: ID_RULE,
    event: 'must be an event name of 1 to 64 characters',
    ts: 'must be a time in ms since 1970-01-01 (a number, at least 0)',
    dwell_ms: 'must be an integer from 0 to 2147483647 (ms)',
    position: 'must be an integer from 0 to 32767',
    request_id: 'must be the request_id of the feed that showed the item (a string of 1 to 64 characters)',
  },
} satisfies RequestShape<unknown>

export type InteractionBody = z.infer<typeof INTERACTION.schema>

/** The body of POST /v1/interactions: one interaction object, or an array of 1 to MAX_BATCH; array errors name the element. */
export function parseInteractions(body: unknown): InteractionBody[] {
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > MAX_BATCH) throw new RecError('INVALID_ARGUMENT', `body must hold 1 to ${MAX_BATCH} interactions, got ${body.length}`)
    return body.map((r, i) => parseRequest(INTERACTION, r, `interaction ${i}: `))
  }
  if (typeof body !== 'object' || body === null) throw new RecError('INVALID_ARGUMENT', `body must be an interaction object or an array of 1 to ${MAX_BATCH}`)
  return [parseRequest(INTERACTION, body)]
}

/** Default of AppOptions.maxTsSkewMs: clients' clocks may run a day ahead, a year-5138 ts may not. */
export const DEFAULT_MAX_TS_SKEW_MS = 24 * 3600 * 1000

/** BAD_DATA (422) for the first interaction whose ts lies more than `skewMs` after `now`; earlier times (backfills) pass. */
export function checkFutureTs(list: InteractionBody[], now: number, skewMs: number): void {
  const i = list.findIndex((r) => r.ts !== undefined && r.ts > now + skewMs)
  if (i < 0) return
  const ts = list[i].ts!
  const when = Math.abs(ts) <= 8.64e15 ? ` (${new Date(ts).toISOString()})` : '' // beyond it Date is invalid
  throw new RecError('BAD_DATA', `interaction ${i}: ts ${ts}${when} is more than ${duration(skewMs)} ahead of the server clock (${new Date(now).toISOString()})`, {
    hint: 'send ms since 1970-01-01 UTC; raise rec serve --max-ts-skew if client clocks run ahead',
  })
}

function duration(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 1000} s`
}
