// Atomic outputs: work happens in a sibling temp path that is renamed into place only on success.
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {RecError} from '../errors.js'

function siblingTemp(target: string, tag: string): string {
  const abs = resolve(target)
  return join(dirname(abs), `.${basename(abs)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Throws ALREADY_EXISTS unless the path is free or `force` is set. */
export function assertWritable(target: string, force: boolean): void {
  if (existsSync(target) && !force) {
    throw new RecError('ALREADY_EXISTS', `output ${target} already exists`, {hint: 'pass --force to replace it'})
  }
}

/**
 * Builds a directory at `target` by calling `fill(tmpDir)`; the directory appears whole or not at all.
 * An existing target is replaced only with `force`.
 */
export async function writeDirAtomic<T>(target: string, force: boolean, fill: (tmpDir: string) => Promise<T>): Promise<T> {
  assertWritable(target, force)
  await mkdir(dirname(resolve(target)), {recursive: true})
  const tmp = siblingTemp(target, 'tmp')
  await mkdir(tmp, {recursive: true})
  let result: T
  try {
    result = await fill(tmp)
  } catch (error) {
    await rm(tmp, {recursive: true, force: true})
    throw error
  }
  if (existsSync(target)) {
    const old = siblingTemp(target, 'old')
    await rename(target, old)
    await rename(tmp, target)
    await rm(old, {recursive: true, force: true})
  } else {
    await rename(tmp, target)
  }
  return result
}

/** Writes a file through a temp file in the same directory and a rename. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(resolve(target)), {recursive: true})
  const tmp = siblingTemp(target, 'tmp')
  try {
    await writeFile(tmp, data)
    await rename(tmp, target)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}
