// The feed page's HTML: pick a user, see the feed with reasons and sources, like or skip, watch it adapt.
export const FEED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rec feed</title>
<style>
body{font:14px system-ui,sans-serif;max-width:760px;margin:2em auto;color:#222}
li{list-style:none;border:1px solid #ddd;border-radius:6px;margin:6px 0;padding:8px;display:flex;gap:8px;align-items:center}
li .what{flex:1} .src{font-size:12px;color:#666} .reason{color:#375}
button{cursor:pointer} #status{color:#888;font-size:12px}
</style></head>
<body>
<h1>rec feed</h1>
<form id="pick"><label>user id <input id="user" name="user" value="" size="22" placeholder="e.g. 1000"></label>
<label>k <input id="k" value="10" size="3"></label> <button>show feed</button></form>
<p id="status"></p>
<ol id="feed"></ol>
<script>
const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
if (params.get('user')) $('user').value = params.get('user')
async function load() {
  const user = $('user').value.trim()
  if (!user) return
  const res = await fetch('/v1/recommendations?user_id=' + encodeURIComponent(user) + '&k=' + encodeURIComponent($('k').value) + '&explain=true')
  const body = await res.json()
  if (!res.ok) { $('status').textContent = body.message; return }
  $('status').textContent = (body.known_user ? 'known user' : 'new user (cold start)') + ', ' + body.items.length + ' items'
  const list = $('feed')
  list.replaceChildren()
  for (const item of body.items) {
    const li = document.createElement('li')
    li.dataset.item = item.item_id
    li.dataset.source = item.source
    const what = document.createElement('div')
    what.className = 'what'
    what.innerHTML = '<b></b> <span class="src"></span><div class="reason"></div>'
    what.querySelector('b').textContent = 'item ' + item.item_id
    what.querySelector('.src').textContent = item.source + ' · ' + item.score.toFixed(3)
    what.querySelector('.reason').textContent = item.reason
    li.append(what)
    for (const event of ['like', 'skip']) {
      const b = document.createElement('button')
      b.textContent = event
      b.className = event
      b.onclick = () => send(user, item.item_id, event)
      li.append(b)
    }
    list.append(li)
  }
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1)
}
async function send(user, item, event) {
  const res = await fetch('/v1/interactions', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: user, item_id: item, event})})
  if (!res.ok) { $('status').textContent = (await res.json()).message; return }
  await load()
}
$('pick').onsubmit = (e) => { e.preventDefault(); load() }
load()
</script></body></html>
`
