// HTML fragments (feed descriptions) -> plain text: tags dropped, script/style bodies dropped, entities decoded, spaces collapsed.

/** Named entities feeds use; anything else named is kept as written. */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®', trade: '™',
  eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', euro: '€', middot: '·', bull: '•',
}
/** Elements whose content is not text. */
const SKIP_BODY = new Set(['script', 'style', 'noscript', 'template'])
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')

/** "&amp;" at text[i]: the decoded character and the index after the entity, or undefined when it is a bare "&". */
function readEntity(text: string, i: number): {value: string; end: number} | undefined {
  const semi = text.indexOf(';', i + 1)
  if (semi < 0 || semi - i > 12) return undefined
  const body = text.slice(i + 1, semi)
  if (body.startsWith('#')) {
    const hex = body[1] === 'x' || body[1] === 'X'
    const digits = hex ? body.slice(2) : body.slice(1)
    const code = Number.parseInt(digits, hex ? 16 : 10)
    if (digits === '' || !Number.isFinite(code) || code <= 0 || code > 0x10ffff) return undefined
    return {value: String.fromCodePoint(code), end: semi + 1}
  }
  const named = NAMED[body] ?? NAMED[body.toLowerCase()]
  return named === undefined ? undefined : {value: named, end: semi + 1}
}

/** The end (index after ">") of the tag opening at text[i], quotes respected; text.length when unterminated. */
function tagEnd(text: string, i: number): number {
  let quote = ''
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '>') return j + 1
  }
  return text.length
}

/** The lower-case element name of the tag at text[i] ("<p class=..>" -> "p", "</b>" -> "b"). */
function tagName(text: string, i: number): string {
  let j = i + 1
  if (text[j] === '/') j++
  let name = ''
  while (j < text.length && (isLetter(text[j]) || (name && text[j] >= '0' && text[j] <= '9'))) name += text[j++]
  return name.toLowerCase()
}

/**
 * Plain text of an HTML fragment, scanned once (no regular expressions): "<" starts a tag only
 * before a letter, "/", "!" or "?" (so "a < b" stays text); comments and the bodies of script and
 * style are dropped; every tag becomes a space; entities are decoded; whitespace runs collapse.
 */
export function htmlToText(html: string): string {
  let out = ''
  let i = 0
  const n = html.length
  while (i < n) {
    const c = html[i]
    if (c === '<' && i + 1 < n && (isLetter(html[i + 1]) || html[i + 1] === '/' || html[i + 1] === '!' || html[i + 1] === '?')) {
      if (html.startsWith('<!--', i)) {
        const close = html.indexOf('-->', i + 4)
        i = close < 0 ? n : close + 3
        continue
      }
      const name = tagName(html, i)
      let end = tagEnd(html, i)
      if (SKIP_BODY.has(name) && html[i + 1] !== '/') {
        const close = html.toLowerCase().indexOf(`</${name}`, end)
        end = close < 0 ? n : tagEnd(html, close)
      }
      out += ' '
      i = end
      continue
    }
    if (c === '&') {
      const entity = readEntity(html, i)
      if (entity) {
        out += entity.value
        i = entity.end
        continue
      }
    }
    out += c
    i++
  }
  return collapseSpaces(out)
}

/** Whitespace runs (tabs, newlines, no-break spaces) as one space, trimmed. */
export function collapseSpaces(text: string): string {
  let out = ''
  let space = false
  for (const c of text) {
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\u00a0' || c === '\f') {
      space = out.length > 0
      continue
    }
    if (space) out += ' '
    space = false
    out += c
  }
  return out
}
