// Item text -> terms: words of text columns (lower case, accents folded, stop words dropped) and "column=value" tokens of categorical ones.

/** Words too common to tell items apart (a short English list; max-df removes the rest of the frequent ones). */
export const ENGLISH_STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can ' +
    'did do does doing down during each few for from further had has have having he her here hers herself him himself his how ' +
    'i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves ' +
    'out over own same she should so some such than that the their theirs them themselves then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with you your yours ' +
    'yourself yourselves s t d ll m re ve via'
  ).split(' '),
)

/** Words shorter than this are dropped (single letters carry nothing); longer than MAX are cut noise (URLs, hashes). */
const MIN_WORD = 2
const MAX_WORD = 40

/**
 * The words of `text`, in order: NFKD-normalised with combining marks dropped ("café" -> "cafe"),
 * lower-cased, split at every character that is not a letter or a digit; words of 2 to 40
 * characters not in `stopWords` are pushed onto `out`.
 */
export function pushWords(text: string, stopWords: ReadonlySet<string> | undefined, out: string[]): void {
  if (text === '') return
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < MIN_WORD || word.length > MAX_WORD) continue
    if (stopWords?.has(word)) continue
    out.push(word)
  }
}

/** "genres=comedy": a categorical value as a term of its own, apart from any word. */
export function categoryToken(column: string, value: string): string {
  return `${column}=${value.trim().toLowerCase()}`
}
