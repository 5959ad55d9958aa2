// Worker thread of data-parallel retrieval training: a model replica over the shared tables computes one shard's gradients per message.
import * as tf from '@tensorflow/tfjs'
import {parentPort, workerData} from 'node:worker_threads'

import {initBackend} from '../engine/backend.js'
import {isRecError} from '../errors.js'
import type {EntityFeatures} from '../features/entity-features.js'
import {CategoryVocab} from '../features/vocab.js'
import {createTwoTower, denseVariablesByName, sparseTablesByName} from '../models/two-tower/model.js'
import {Rng} from '../random/rng.js'
import type {ReplicaInit, ReplicaReply, ReplicaStep} from './retrieval-replicas.js'
import {batchGradients} from './retrieval-step.js'

const port = parentPort
if (!port) throw new Error('retrieval-worker must run as a worker thread')
const init = workerData as ReplicaInit

/** Structured cloning drops class prototypes: the vocabularies come back as plain objects. */
function revive(features: EntityFeatures): EntityFeatures {
  return {...features, fields: features.fields.map((field) => ({...field, vocab: new CategoryVocab(field.vocab.values)}))}
}

function fail(error: unknown): ReplicaReply {
  return isRecError(error) ? {type: 'error', code: error.code, message: error.message, hint: error.hint} : {type: 'error', message: error instanceof Error ? error.message : String(error)}
}

const NAME_TO_CHOICE = {tensorflow: 'node', wasm: 'wasm', cpu: 'cpu'} as const

try {
  await initBackend(NAME_TO_CHOICE[init.backend])
  // The dense weights drawn here are replaced by the main thread's at every step; the tables are the shared ones.
  const model = createTwoTower(init.config, init.nUsers, init.nItems, revive(init.userFeatures), revive(init.itemFeatures), new Rng(0), {tables: init.tables})
  const dense = denseVariablesByName(model)
  const tables = sparseTablesByName(model)
  port.on('message', ({batch, dense: weights}: ReplicaStep) => {
    let reply: ReplicaReply
    const transfer: ArrayBuffer[] = []
    try {
      tf.tidy(() => {
        for (const [name, variable] of Object.entries(dense)) variable.assign(tf.tensor(weights[name], variable.shape))
      })
      const {loss, dense: grads} = batchGradients(model, batch)
      // The main thread owns the update: hand over the summed rows and forget them here.
      const sparse: Record<string, {rows: Int32Array; values: Float32Array}> = {}
      for (const [name, table] of Object.entries(tables)) {
        sparse[name] = table.pendingGradients()
        table.clearGradients()
        transfer.push(sparse[name].rows.buffer as ArrayBuffer, sparse[name].values.buffer as ArrayBuffer)
      }
      for (const grad of Object.values(grads)) transfer.push(grad.buffer as ArrayBuffer)
      reply = {type: 'done', loss, dense: grads, sparse}
    } catch (error) {
      reply = fail(error)
      transfer.length = 0
    }
    port.postMessage(reply, transfer)
  })
  port.postMessage({type: 'ready'} satisfies ReplicaReply)
} catch (error) {
  port.postMessage(fail(error))
}
