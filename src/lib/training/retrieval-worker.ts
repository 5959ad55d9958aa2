// Worker thread of data-parallel retrieval training: a model replica over the shared tables computes the chunks it claims.
import * as tf from '@tensorflow/tfjs'

import {CHOICE_OF, initBackend} from '../engine/backend.js'
import type {EntityFeatures} from '../features/entity-features.js'
import {CategoryVocab} from '../features/vocab.js'
import {createTwoTower, denseVariablesByName} from '../models/two-tower/model.js'
import {Rng} from '../random/rng.js'
import {serveWorker} from '../workers/serve-worker.js'
import {type ChunkReply, chunkGradients, chunkRows, claimChunk, type ReplicaInit, type ReplicaProtocol} from './retrieval-replicas.js'

/** Structured cloning drops class prototypes: the vocabularies come back as plain objects. */
function revive(features: EntityFeatures): EntityFeatures {
  return {...features, fields: features.fields.map((field) => ({...field, vocab: new CategoryVocab(field.vocab.values)}))}
}

serveWorker<ReplicaProtocol, ReplicaInit>(
  async (init) => {
    await initBackend(CHOICE_OF[init.backend])
    // The dense weights drawn here are replaced by the main thread's at every step; the tables are the shared ones.
    const model = createTwoTower(init.config, init.nUsers, init.nItems, revive(init.userFeatures), revive(init.itemFeatures), new Rng(0), {tables: init.tables})
    const dense = denseVariablesByName(model)
    return {
      step({batch, first, chunks, dense: weights}) {
        const done: ChunkReply[] = []
        // A step whose chunks are all taken already (this thread woke late) is skipped without touching the weights.
        let index = claimChunk(init.counter, first, chunks)
        if (index < 0) return done
        tf.tidy(() => {
          for (const [name, variable] of Object.entries(dense)) variable.assign(tf.tensor(weights[name], variable.shape))
        })
        for (; index >= 0; index = claimChunk(init.counter, first, chunks)) done.push({index, ...chunkGradients(model, chunkRows(batch, index, chunks))})
        return done
      },
    }
  },
  {step: (done) => done.flatMap((chunk) => [...Object.values(chunk.sparse).flatMap(({rows, values}) => [rows.buffer, values.buffer]), ...Object.values(chunk.dense).map((g) => g.buffer)]) as ArrayBuffer[]},
)
