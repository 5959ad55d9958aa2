// An exclusive lock file (O_EXCL create) with retry, backoff, a timeout and stale-lock breaking.
import {randomBytes} from 'node:crypto'
import {readFile, stat, unlink, writeFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {setTimeout as sleep} from 'node:timers/promises'

import {RecError} from '../errors.js'

export interface LockOptions {
  /** Give up with CONFLICT after this long; default 10 s, far above the ~ms a registry write holds it. */
  timeoutMs?: number
}

interface LockInfo {
  pid: number
  host: string
  token: string
  createdAt: string
}

/** A lock file caught between create and write is only considered abandoned after this long. */
const UNWRITTEN_GRACE_MS = 5000
// A registry write holds the lock for a few ms: waiters back off 2, 4, 8 ... ms, at most 50 ms.
const FIRST_DELAY_MS = 2
const MAX_DELAY_MS = 50

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parseInfo(text: string): LockInfo | undefined {
  try {
    const info = JSON.parse(text) as LockInfo
    return Number.isInteger(info.pid) && typeof info.token === 'string' ? info : undefined
  } catch {
    return undefined
  }
}

async function readLock(path: string): Promise<{text: string; ageMs: number} | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    return {text, ageMs: Date.now() - st.mtimeMs}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  try {
    await writeFile(path, JSON.stringify(info), {flag: 'wx'})
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

function isStale(lock: {text: string; ageMs: number}): boolean {
  const info = parseInfo(lock.text)
  if (!info) return lock.ageMs > UNWRITTEN_GRACE_MS
  // A pid on another host cannot be checked; such a lock is only removed by hand.
  return info.host === hostname() && !pidAlive(info.pid)
}

/**
 * Removes `path` if its holder is dead. Two waiters may both see the same dead holder, so the removal
 * happens under a second lock and only if the file still holds the very text judged stale; otherwise
 * the second waiter would delete the lock the first one has just taken.
 */
async function breakIfStale(path: string): Promise<boolean> {
  const seen = await readLock(path)
  if (!seen) return true
  if (!isStale(seen)) return false
  const breaker = `${path}.break`
  const info: LockInfo = {pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), createdAt: new Date().toISOString()}
  if (!(await tryCreate(breaker, info))) {
    const other = await readLock(breaker)
    if (other && other.ageMs > UNWRITTEN_GRACE_MS) await unlink(breaker).catch(() => {})
    return false
  }
  try {
    const now = await readLock(path)
    if (now && now.text === seen.text) await unlink(path).catch(() => {})
    return true
  } finally {
    await unlink(breaker).catch(() => {})
  }
}

/** Runs `fn` while holding the lock file at `path` (its directory must exist); always releases it. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const deadline = Date.now() + timeoutMs
  const info: LockInfo = {pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), createdAt: new Date().toISOString()}
  let delay = FIRST_DELAY_MS
  while (!(await tryCreate(path, info))) {
    if (await breakIfStale(path)) continue
    if (Date.now() >= deadline) {
      const holder = parseInfo((await readLock(path))?.text ?? '')
      const who = holder ? `pid ${holder.pid} on ${holder.host} since ${holder.createdAt}` : 'another process'
      throw new RecError('CONFLICT', `${path} is held by ${who}; gave up after ${timeoutMs} ms`, {
        hint: `if no rec process is running, delete ${path}`,
      })
    }
    await sleep(delay)
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  }
  try {
    return await fn()
  } finally {
    const held = await readLock(path)
    if (held && parseInfo(held.text)?.token === info.token) await unlink(path).catch(() => {})
  }
}
