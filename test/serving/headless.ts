// Renders a page in headless Chromium and returns the DOM after its scripts ran (--dump-dom with a virtual time budget),
// or saves a screenshot of it.
import {execFile} from 'node:child_process'

import {tempDir} from '../helpers/cli.js'

function chromium(flags: string[], url: string): Promise<string> {
  const profile = tempDir('rec-chromium-')
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', ...flags, url]
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/chromium', args, {timeout: 60_000, maxBuffer: 16 << 20}, (error, stdout) => (error ? reject(error) : resolve(stdout)))
  })
}

export function renderPage(url: string): Promise<string> {
  return chromium(['--dump-dom'], url)
}

/** Saves a PNG of the page once its scripts ran; `png` is the file to write. */
export async function screenshotPage(url: string, png: string, size = '1200,1000'): Promise<void> {
  await chromium([`--screenshot=${png}`, `--window-size=${size}`], url)
}
