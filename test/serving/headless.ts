// Renders a page in headless Chromium and returns the DOM after its scripts ran (--dump-dom with a virtual time budget).
import {execFile} from 'node:child_process'

import {tempDir} from '../helpers/cli.js'

export function renderPage(url: string): Promise<string> {
  const profile = tempDir('rec-chromium-')
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', url]
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/chromium', args, {timeout: 60_000, maxBuffer: 16 << 20}, (error, stdout) => (error ? reject(error) : resolve(stdout)))
  })
}
