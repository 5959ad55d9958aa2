// One human line about a freshly written dataset: counts and split sizes, for command summaries.
import type {DatasetManifest} from './manifest.js'

const int = (x: number) => x.toLocaleString('en-US')

/** e.g. "100,000 interactions, 943 users, 1,682 items; leave-last-out split: train 98,114, val 943, test 943" */
export function summarizeManifest(manifest: DatasetManifest): string {
  const {counts, split} = manifest
  return (
    `${int(counts.interactions)} interactions, ${int(counts.users)} users, ${int(counts.items)} items; ` +
    `${split.method} split: train ${int(counts.train)}, val ${int(counts.val)}, test ${int(counts.test)}`
  )
}
