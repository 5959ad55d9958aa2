// Runs the built `rec` binary as a child process, the way users and shell pipelines do.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

const BIN = resolve(import.meta.dirname, '../../bin/run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: {cwd?: string; env?: Record<string, string>; input?: string} = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: {...process.env, CI: 'true', ...options.env},
    input: options.input,
    encoding: 'utf8',
    timeout: 300_000,
  })
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

const created: string[] = []

/** A fresh temp directory for one test, removed after its file's tests (test/helpers/remove-temp-dirs.ts). */
export function tempDir(prefix = 'rec-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

/** Removes the directories tempDir made in this test file; REC_KEEP_TEST_DIRS=1 keeps them for a post-mortem. */
export function removeTempDirs(): void {
  if (process.env.REC_KEEP_TEST_DIRS === '1') return
  for (const dir of created.splice(0)) rmSync(dir, {recursive: true, force: true, maxRetries: 3})
}
