// One place that maps failures to HTTP statuses and {error, message} bodies.
import type {FastifyError, FastifyReply, FastifyRequest} from 'fastify'

import {isRecError, type RecErrorCode} from '../errors.js'

const STATUS: Record<RecErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  BAD_SCHEMA: 400,
  NOT_FOUND: 404,
  BAD_DATA: 422,
  EMPTY: 422,
  MISMATCH: 409,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
}

/** An error a route throws on purpose with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message)
  }
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) return reply.status(error.status).send({error: error.error, message: error.message})
  if (isRecError(error)) return reply.status(STATUS[error.code]).send({error: error.code, message: error.hint ? `${error.message} (${error.hint})` : error.message})
  const fastifyError = error as FastifyError
  if (fastifyError.validation) return reply.status(400).send({error: 'BAD_REQUEST', message: `${fastifyError.validationContext ?? 'request'}${fastifyError.message.replace(/^(body|querystring|params)/, '')}`})
  const status = fastifyError.statusCode
  if (status && status >= 400 && status < 500) return reply.status(status).send({error: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message})
  request.log.error({err: error}, 'request failed')
  return reply.status(500).send({error: 'INTERNAL', message: 'internal error'})
}
