// Builds dist/ and the oclif manifest once, so that CLI tests run the real `rec` binary on the current sources.
import {execFileSync} from 'node:child_process'

export default function setup(): void {
  if (process.env.REC_SKIP_BUILD) return
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {stdio: 'inherit'})
  execFileSync(process.execPath, ['bin/manifest.js'], {stdio: 'inherit'})
}
