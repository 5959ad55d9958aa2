// GET /: a small self-contained feed page (no external assets).
import type {FastifyInstance} from 'fastify'

import {FEED_PAGE} from './feed-page.js'

export function registerPageRoute(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(FEED_PAGE))
}
