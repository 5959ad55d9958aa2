// Starts a worker thread from a module beside the caller, whether the caller runs compiled (.js) or as TypeScript source.
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'

/**
 * `name` is the worker module's base name (no extension) in the directory of `callerUrl`
 * (the caller's import.meta.url). From compiled JS the worker is the sibling `name.js`. When the
 * caller runs as TypeScript source (vitest, tsx), the worker registers tsx's ESM hooks first:
 * Node 20 workers do not inherit the parent's loader hooks and ignore `--import` in execArgv.
 */
export function spawnWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), {workerData})
  // tsx's package exports give require() the .cjs build, whose register() fails from ESM; its ESM twin sits beside it.
  const api = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
  const entry = new URL(`./${name}.ts`, callerUrl).href
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`, {eval: true, workerData})
}
