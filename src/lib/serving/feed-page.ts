// The feed page's HTML: a person's feed (title, author, topic, age, why it is there), like / skip / hide with
// visible feedback, the session's recent actions, and a debug toggle for sources, scores and stage timings.
// Self-contained: inline CSS and JS, no external assets; every value from the API is set as text, never as HTML.
// Test hook: `#autoclick=like` (or skip, hide) clicks that button on the first card once the feed has loaded.
export const FEED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>rec · your feed</title>
<style>
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c1e21;background:#f0f2f5}
header{background:#fff;border-bottom:1px solid #dde1e6;padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:20px;margin:0;color:#2d5be3;letter-spacing:-.5px}
header form{display:flex;gap:6px;align-items:center}
header input[type=checkbox]{width:auto;margin:0}
header input{font:inherit;padding:5px 8px;border:1px solid #c8ccd2;border-radius:6px;width:11em}
header label.toggle{margin-left:auto;font-size:13px;color:#555;display:flex;gap:5px;align-items:center;cursor:pointer}
button{font:inherit;cursor:pointer;border:1px solid #c8ccd2;background:#fff;border-radius:16px;padding:3px 12px;color:#333}
button:hover{background:#f3f5f8}
button:disabled{cursor:default;opacity:.6}
header button{border-radius:6px;background:#2d5be3;border-color:#2d5be3;color:#fff}
main{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:20px;max-width:980px;margin:18px auto;padding:0 16px}
#status{color:#65676b;font-size:13px;margin:0 0 8px}
#feed{list-style:none;margin:0;padding:0}
.card{background:#fff;border:1px solid #dde1e6;border-radius:10px;margin:0 0 10px;padding:12px 14px;transition:opacity .35s,transform .35s}
.card .meta{font-size:13px;color:#65676b;display:flex;gap:6px;flex-wrap:wrap}
.card .author{color:#1c1e21;font-weight:600}
.card .topic{color:#2d5be3}
.card .title{font-size:16px;font-weight:600;margin:4px 0 2px}
.card .reason{font-size:13px;color:#3a7a4d;margin:0 0 8px}
.card .reason::before{content:"\\2139\\FE0E  "}
.card .actions{display:flex;gap:6px}
.card button.like.on{background:#e8efff;border-color:#2d5be3;color:#2d5be3;font-weight:600}
.card button.skip.on{background:#f1f1f1;color:#777}
.card.skipped{opacity:.55}
.card.hidden{opacity:0;transform:translateX(40px)}
.dbg{display:none}
body.debug .dbg{display:block}
.card .dbg{font:12px ui-monospace,monospace;color:#8a5a00;background:#fff8e6;border-radius:6px;padding:4px 6px;margin-top:8px}
aside section{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:10px 14px;margin-bottom:12px}
aside h2{font-size:14px;margin:0 0 6px}
#actions{list-style:none;margin:0;padding:0;font-size:13px}
#actions li{padding:3px 0;border-top:1px solid #f0f0f0}
#actions li:first-child{border-top:0}
#actions .when{color:#8a8d91}
#actions .empty{color:#8a8d91}
#stages{font:11px ui-monospace,monospace;border-collapse:collapse;width:100%}
#stages td{padding:1px 3px;white-space:nowrap;border-top:1px solid #f3e2b8}
#stages td.n{text-align:right}
#toast{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);background:#1c1e21;color:#fff;padding:8px 16px;border-radius:8px;font-size:14px;opacity:0;transition:opacity .25s;pointer-events:none}
#toast.show{opacity:.92}
@media (max-width:720px){main{grid-template-columns:1fr}}
</style></head>
<body>
<header>
<h1>rec</h1>
<form id="pick"><label for="user">Signed in as</label><input id="user" name="user" value="" placeholder="user id, e.g. 1000" autocomplete="off">
<input id="k" type="hidden" value="10"><button>Show my feed</button></form>
<label class="toggle"><input type="checkbox" id="debug"> debug</label>
</header>
<main>
<div>
<p id="status">Enter a user id to see their feed.</p>
<ol id="feed"></ol>
</div>
<aside>
<section><h2>Your recent actions</h2><ul id="actions"><li class="empty">Nothing yet: like, skip or hide a post.</li></ul></section>
<section class="dbg" id="debug-panel"><h2>Stage timings</h2><table id="stages"></table><p id="per-source" style="font-size:12px;color:#8a5a00"></p></section>
</aside>
</main>
<div id="toast" role="status" aria-live="polite"></div>
<script>
const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
if (params.get('user')) $('user').value = params.get('user')
if (params.get('k')) $('k').value = params.get('k')
$('debug').checked = params.get('debug') === '1' || params.get('debug') === 'true'
document.body.classList.toggle('debug', $('debug').checked)
const actions = []
const titles = new Map()
const VERBS = {like: 'Liked', skip: 'Skipped', hide: 'Hid'}
let autoclick = (/^#autoclick=(like|skip|hide)$/.exec(location.hash) || [])[1]

function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}
function age(ms) {
  if (ms === null || ms === undefined) return ''
  const s = ms / 1000
  if (s < 60) return 'just now'
  if (s < 3600) return Math.floor(s / 60) + ' min ago'
  if (s < 86400) return Math.floor(s / 3600) + ' h ago'
  if (s < 86400 * 30) return Math.floor(s / 86400) + ' d ago'
  if (s < 86400 * 365) return Math.floor(s / (86400 * 30)) + ' mo ago'
  return Math.floor(s / (86400 * 365)) + ' y ago'
}
function headline(item) {
  const d = item.display || {}
  if (d.title) return d.title
  return d.topic ? 'A post about ' + d.topic : 'Post ' + item.item_id.slice(-6)
}
let toastTimer
function toast(text) {
  const t = $('toast')
  t.textContent = text
  t.classList.add('show')
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => t.classList.remove('show'), 2200)
}
function renderActions() {
  const list = $('actions')
  list.replaceChildren()
  if (actions.length === 0) { list.append(el('li', 'empty', 'Nothing yet: like, skip or hide a post.')); return }
  for (const a of actions.slice(0, 10)) {
    const li = el('li')
    li.dataset.event = a.event
    li.append(el('span', 'what', VERBS[a.event] + ' \\u201c' + a.title + '\\u201d '), el('span', 'when', new Date(a.at).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})))
    list.append(li)
  }
}
function renderDebug(debug) {
  const table = $('stages')
  table.replaceChildren()
  if (!debug) return
  for (const s of debug.stages) {
    const tr = el('tr')
    tr.append(el('td', '', s.stage), el('td', '', s.id), el('td', 'n', s.in + '\\u2192' + s.out), el('td', 'n', s.ms.toFixed(2) + ' ms'))
    table.append(tr)
  }
  $('per-source').textContent = 'candidates per source: ' + Object.entries(debug.per_source).map(([k, v]) => k + ' ' + v).join(', ')
}
function card(user, item, rank, requestId) {
  const d = item.display || {}
  const li = el('li', 'card')
  li.dataset.item = item.item_id
  li.dataset.source = item.source
  const meta = el('div', 'meta')
  if (d.author) meta.append(el('span', 'author', d.author))
  if (d.topic) meta.append(el('span', 'topic', '#' + d.topic))
  if (d.age_ms !== null && d.age_ms !== undefined) meta.append(el('span', 'age', age(d.age_ms)))
  for (let i = meta.children.length - 1; i > 0; i--) meta.children[i].before(el('span', 'sep', '\\u00b7'))
  const title = headline(item)
  titles.set(item.item_id, title)
  li.append(meta, el('div', 'title', title), el('p', 'reason', d.reason || item.reason))
  const bar = el('div', 'actions')
  for (const [event, label] of [['like', '\\u2665 Like'], ['skip', 'Skip'], ['hide', 'Hide']]) {
    const b = el('button', event, label)
    b.type = 'button'
    b.setAttribute('aria-pressed', 'false')
    b.onclick = () => send(user, item, event, li, b, rank, requestId)
    bar.append(b)
  }
  li.append(bar)
  const scores = item.scores ? Object.entries(item.scores).map(([k, v]) => k + ' ' + Number(v).toFixed(3)).join(' \\u00b7 ') : ''
  li.append(el('div', 'dbg', '#' + (rank + 1) + ' \\u00b7 source ' + item.source + ' \\u00b7 score ' + item.score.toFixed(3) + (scores ? ' \\u00b7 ' + scores : '') + ' \\u00b7 id ' + item.item_id))
  return li
}
async function load() {
  const user = $('user').value.trim()
  if (!user) return
  const debug = $('debug').checked
  const url = '/v1/recommendations?user_id=' + encodeURIComponent(user) + '&k=' + encodeURIComponent($('k').value) + '&explain=true&display=true' + (debug ? '&debug=true' : '')
  let res, body
  try {
    res = await fetch(url)
    body = await res.json()
  } catch (e) { $('status').textContent = 'Could not load the feed: ' + e.message; return }
  if (!res.ok) { $('status').textContent = body.message || 'Could not load the feed'; return }
  $('status').textContent = (body.known_user ? 'Your feed' : 'New here? Popular posts to start with') + ' \\u00b7 ' + body.items.length + ' posts'
  const list = $('feed')
  list.replaceChildren(...body.items.map((item, rank) => card(user, item, rank, body.request_id)))
  renderDebug(body.debug)
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1)
  if (autoclick) {
    const button = list.querySelector('.card button.' + autoclick)
    autoclick = undefined
    if (button) button.click()
  }
}
async function send(user, item, event, li, button, position, requestId) {
  for (const b of li.querySelectorAll('button')) b.disabled = true
  button.classList.add('on')
  button.setAttribute('aria-pressed', 'true')
  if (event === 'like') button.textContent = '\\u2665 Liked'
  if (event === 'skip') li.classList.add('skipped')
  if (event === 'hide') li.classList.add('hidden')
  let res
  try {
    res = await fetch('/v1/interactions', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: user, item_id: item.item_id, event, position, request_id: requestId})})
  } catch (e) { res = {ok: false, json: async () => ({message: e.message})} }
  if (!res.ok) {
    const message = (await res.json().catch(() => ({}))).message || 'request failed'
    toast('Could not save that: ' + message)
    for (const b of li.querySelectorAll('button')) b.disabled = false
    button.classList.remove('on')
    li.classList.remove('skipped', 'hidden')
    return
  }
  const title = titles.get(item.item_id) || item.item_id
  actions.unshift({event, title, item: item.item_id, at: Date.now()})
  renderActions()
  toast(event === 'like' ? 'Liked \\u2014 you will see more like this' : event === 'skip' ? 'Skipped' : 'Hidden \\u2014 you will see less like this')
  if (event === 'hide') await new Promise((r) => setTimeout(r, 350))
  await load()
}
$('pick').onsubmit = (e) => { e.preventDefault(); actions.length = 0; renderActions(); load() }
$('debug').onchange = () => { document.body.classList.toggle('debug', $('debug').checked); load() }
load()
</script></body></html>
`
