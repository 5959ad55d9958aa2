// One human line about a freshly written dataset: counts and split sizes, for command summaries.
import type {DatasetManifest} from './manifest.js'

/** 1234567 -> "1,234,567" */
export const formatCount = (x: number) => x.toLocaleString('en-US')

/** e.g. "100,000 interactions, 943 users, 1,682 items; leave-last-out split: train 98,114, val 943, test 943" */
export function summarizeManifest(manifest: DatasetManifest): string {
  const {counts, split} = manifest
  return (
    `${formatCount(counts.interactions)} interactions, ${formatCount(counts.users)} users, ${formatCount(counts.items)} items; ` +
    `${split.method} split: train ${formatCount(counts.train)}, val ${formatCount(counts.val)}, test ${formatCount(counts.test)}`
  )
}
