// Starts a worker thread on a module beside the caller's, from compiled JS or from TypeScript source.
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'

/**
 * `name` is the worker module's base name beside `from` (the caller's import.meta.url). From compiled JS the worker
 * is `name.js`. When `from` is TypeScript source (vitest, tsx), the worker registers tsx's ESM
 * hooks first: Node 20 workers do not inherit the parent's loader hooks and ignore `--import` in execArgv.
 */
export function spawnWorker(from: string, name: string, workerData?: unknown): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), {workerData})
  // tsx's package exports give require() the .cjs build, whose register() fails from ESM; its ESM twin sits beside it.
  const api = pathToFileURL(createRequire(from).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
  const entry = new URL(`./${name}.ts`, from).href
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`, {eval: true, workerData})
}
