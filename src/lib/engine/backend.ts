// Picks the tensor backend once per process: tfjs-node when installed, else wasm (SIMD), else cpu.
import {createRequire} from 'node:module'
import {dirname, join, sep} from 'node:path'

import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'

export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const
export type BackendChoice = (typeof BACKEND_CHOICES)[number]

/** The tfjs name of a backend, as recorded in checkpoint manifests. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu'

export interface Backend {
  name: BackendName
  tf: typeof tf
  /** Why preferred backends were passed over under 'auto', e.g. "node: @tensorflow/tfjs-node is not installed". */
  skipped: string[]
}

const NAME_OF: Record<Exclude<BackendChoice, 'auto'>, BackendName> = {node: 'tensorflow', wasm: 'wasm', cpu: 'cpu'}

/** The choice that starts a backend by its name, e.g. to start a worker thread on the main thread's backend. */
export const CHOICE_OF = Object.fromEntries(Object.entries(NAME_OF).map(([choice, name]) => [name, choice])) as Record<BackendName, Exclude<BackendChoice, 'auto'>>

// Imported through a variable so that the code typechecks and builds without the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node'

let current: Backend | undefined
let queue: Promise<unknown> = Promise.resolve()

/**
 * Makes `choice` the active tfjs backend and returns it. Call before any tensor op.
 * Idempotent: a repeated call with the same choice, or 'auto' once any backend is active, returns
 * the same object; an explicit different choice switches backends. Calls are serialised.
 * 'node' without @tensorflow/tfjs-node installed, or a backend that fails to start, is INVALID_ARGUMENT.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<Backend> {
  const result = queue.then(async () => {
    if (current && (choice === 'auto' || NAME_OF[choice] === current.name)) return current
    current = await selectBackend(choice)
    return current
  })
  queue = result.catch(() => undefined)
  return result
}

async function selectBackend(choice: BackendChoice): Promise<Backend> {
  // Library code never prints: PROD silences tfjs's console warnings (it changes nothing else in 4.22).
  tf.enableProdMode()
  if (choice !== 'auto') {
    const failure = await tryStart(NAME_OF[choice])
    if (failure) {
      throw new RecError('INVALID_ARGUMENT', `tensor backend '${choice}' is unavailable: ${failure}`, {
        hint: choice === 'node' ? 'install @tensorflow/tfjs-node, or use --backend auto|wasm|cpu' : 'use --backend auto or cpu',
      })
    }
    return {name: NAME_OF[choice], tf, skipped: []}
  }
  const skipped: string[] = []
  for (const name of ['tensorflow', 'wasm'] as const) {
    const failure = await tryStart(name)
    if (!failure) return {name, tf, skipped}
    skipped.push(`${name}: ${failure}`)
  }
  await tryStart('cpu')
  return {name: 'cpu', tf, skipped}
}

/** Starts one backend; returns why it failed, or undefined on success. */
async function tryStart(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'tensorflow') await loadTfjsNode()
    if (name === 'wasm') await loadWasm()
    if (!(await tf.setBackend(name))) return `backend '${name}' failed to initialise`
    await tf.ready()
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

async function loadTfjsNode(): Promise<void> {
  try {
    await import(TFJS_NODE)
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error(`${TFJS_NODE} is not installed`)
    throw error
  }
  if (!tf.findBackend('tensorflow')) throw new Error(`${TFJS_NODE} registered no backend with this copy of @tensorflow/tfjs`)
}

// setWasmPaths throws once the wasm module has started, so it is called once per process.
let wasmPathSet = false

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  // In Node the .wasm binary is read from the file system: give the dist/ directory of the
  // installed package, with a trailing separator, so the loader finds tfjs-backend-wasm-simd.wasm.
  const require = createRequire(import.meta.url)
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep
  if (!wasmPathSet) wasm.setWasmPaths(dist)
  wasmPathSet = true
}
