// rec's one HTTP error vocabulary: every failure answers {error: CODE, message} with a code from HTTP_STATUS.
import type {FastifyError, FastifyReply, FastifyRequest} from 'fastify'

import {isRecError, type RecErrorCode} from '../errors.js'

/** Every code a route answers with, and its status. The library's RecError codes keep their names. */
export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400, // a query parameter, path parameter or body field breaks its rule (the message names both)
  INVALID_JSON: 400, // the body is not JSON (or carries a __proto__ / constructor key), or is empty
  BAD_SCHEMA: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404, // no such route, user or item
  MISMATCH: 409,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_DATA: 422, // well-formed but refused: unknown event or item, a time too far from the server clock
  EMPTY: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503, // the store (PostgreSQL) is unreachable: the server stays up and recovers when it returns
} as const satisfies Record<RecErrorCode, number> & Record<string, number>

export type HttpErrorCode = keyof typeof HTTP_STATUS

/** An error a route or hook throws on purpose; its status follows from the code. */
export class HttpError extends Error {
  readonly status: number
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message)
    this.status = HTTP_STATUS[code]
  }
}

/** fastify's own request errors, in rec's words (fastify's codes never reach a client). */
function fromFastify(error: FastifyError, bodyLimit: number): HttpError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY': // also JSON with a __proto__ or constructor key (prototype poisoning)
      return new HttpError('INVALID_JSON', 'body is not valid JSON')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError('INVALID_JSON', 'body is empty; send a JSON object or array')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError('PAYLOAD_TOO_LARGE', `body is larger than ${bodyLimit} bytes; send fewer interactions per request`)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError('UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError('INVALID_ARGUMENT', 'content-length does not match the body size')
    case 'FST_ERR_BAD_URL':
      return new HttpError('INVALID_ARGUMENT', 'the URL has an invalid percent-encoding')
  }
  if (error.statusCode === 413 || error.statusCode === 414) return new HttpError('PAYLOAD_TOO_LARGE', 'the request is too large')
  if (error.statusCode === 415) return new HttpError('UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json')
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new HttpError('INVALID_ARGUMENT', 'the request is malformed')
  return undefined
}

/** The app's error handler: HttpError and RecError as they are, fastify's errors translated, anything else a logged 500. */
export function errorHandler(bodyLimit: number) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isRecError(error)) return reply.status(HTTP_STATUS[error.code]).send({error: error.code, message: error.hint ? `${error.message} (${error.hint})` : error.message})
    const known = error instanceof HttpError ? error : fromFastify(error as FastifyError, bodyLimit)
    if (known) return reply.status(known.status).send({error: known.code, message: known.message})
    request.log.error({err: error}, 'request failed')
    return reply.status(500).send({error: 'INTERNAL', message: 'internal error'})
  }
}
