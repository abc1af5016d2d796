/** The page served at / before the web UI is built: a search box over the JSON API. */
export function fallbackPage(indexed: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Episodic</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
input{width:100%;font-size:1.1rem;padding:.5rem}li{margin:.8rem 0}small{color:#666}</style></head>
<body><h1>Episodic</h1>
<p>${indexed} episode(s) indexed.${indexed === 0 ? ' Add transcripts with <code>npx episodic add &lt;files or folders&gt;</code>.' : ''}</p>
<form id="f"><label for="q">Search</label><input id="q" name="q" autofocus placeholder="What did they say about…"></form>
<ol id="r"></ol>
<script>
const f=document.getElementById('f'),r=document.getElementById('r');
f.addEventListener('submit',async e=>{e.preventDefault();r.textContent='';
const res=await fetch('/api/search?q='+encodeURIComponent(document.getElementById('q').value));
const body=await res.json();if(!res.ok){r.textContent=body.error;return}
for(const h of body.results){const li=document.createElement('li');const a=document.createElement('a');
a.textContent=h.title+' @ '+new Date(h.start*1000).toISOString().slice(11,19);if(h.url)a.href=h.url;
const p=document.createElement('div');p.textContent=h.text;li.append(a,p);r.append(li)}});
</script></body></html>`;
}
