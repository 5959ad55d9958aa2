// Worker thread of data-parallel retrieval training: a model replica over the shared tables computes the chunks it claims.
import * as tf from '@tensorflow/tfjs'
import {parentPort, workerData} from 'node:worker_threads'

import {CHOICE_OF, initBackend} from '../engine/backend.js'
import type {EntityFeatures} from '../features/entity-features.js'
import {CategoryVocab} from '../features/vocab.js'
import {createTwoTower, denseVariablesByName} from '../models/two-tower/model.js'
import {Rng} from '../random/rng.js'
import {toFailure} from '../workers/worker-failure.js'
import {chunkGradients, chunkRows, claimChunk, type ReplicaInit, type ReplicaReply, type ReplicaStep} from './retrieval-replicas.js'

const port = parentPort
if (!port) throw new Error('retrieval-worker must run as a worker thread')
const init = workerData as ReplicaInit

/** Structured cloning drops class prototypes: the vocabularies come back as plain objects. */
function revive(features: EntityFeatures): EntityFeatures {
  return {...features, fields: features.fields.map((field) => ({...field, vocab: new CategoryVocab(field.vocab.values)}))}
}

const fail = (error: unknown): ReplicaReply => ({type: 'error', ...toFailure(error)})

try {
  await initBackend(CHOICE_OF[init.backend])
  // The dense weights drawn here are replaced by the main thread's at every step; the tables are the shared ones.
  const model = createTwoTower(init.config, init.nUsers, init.nItems, revive(init.userFeatures), revive(init.itemFeatures), new Rng(0), {tables: init.tables})
  const dense = denseVariablesByName(model)
  port.on('message', ({batch, first, chunks, dense: weights}: ReplicaStep) => {
    try {
      // A step whose chunks are all taken already (this thread woke late) is skipped without touching the weights.
      let index = claimChunk(init.counter, first, chunks)
      if (index < 0) return
      tf.tidy(() => {
        for (const [name, variable] of Object.entries(dense)) variable.assign(tf.tensor(weights[name], variable.shape))
      })
      for (; index >= 0; index = claimChunk(init.counter, first, chunks)) {
        const result = chunkGradients(model, chunkRows(batch, index, chunks))
        const transfer = [...Object.values(result.sparse).flatMap(({rows, values}) => [rows.buffer, values.buffer]), ...Object.values(result.dense).map((g) => g.buffer)]
        port.postMessage({type: 'chunk', first, index, ...result} satisfies ReplicaReply, transfer as ArrayBuffer[])
      }
    } catch (error) {
      port.postMessage(fail(error))
    }
  })
  port.postMessage({type: 'ready'} satisfies ReplicaReply)
} catch (error) {
  port.postMessage(fail(error))
}
