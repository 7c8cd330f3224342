/**
 * The store's index page: every run in a table (workload, time, nodes, verdict, engine, key
 * figures), filters by workload and verdict, and two runs picked to compare side by side. One
 * self-contained page: the runs are embedded as JSON, the script is inline, nothing is fetched.
 *
 * @module
 */

import { escapeXml } from "../report/svg.ts";
import { scriptJson } from "../report/json_script.ts";
import { FIGURE_NAMES, type RunSummary } from "./runs.ts";

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.valid{background:#dff3e4}
.invalid{background:#f8d7da}.unknown{background:#fff3cd}.filters{margin:12px 0}
.filters label{margin-right:16px}td.finding{font-size:12px;max-width:420px}#compare{margin-top:20px}.better{color:#2a9d4b}.worse{color:#d1495b}`;

/** The page's script: filters, the table, and the comparison of two checked runs. */
const SCRIPT = String.raw`const runs=JSON.parse(document.getElementById("runs").textContent);
const names=JSON.parse(document.getElementById("figure-names").textContent);
const $=(id)=>document.getElementById(id);
const fmt=(v)=>v===null||v===undefined?"-":Number.isInteger(v)?String(v):String(Number(v.toPrecision(4)));
const esc=(s)=>String(s).replace(/[&<>"]/g,(c)=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"})[c]);
const verdict=(v)=>v===true?"valid":v===false?"invalid":"unknown";
const picked=[];
for(const w of [...new Set(runs.map((r)=>r.workload))].sort()){const o=document.createElement("option");o.value=w;o.textContent=w;$("workload").append(o)}
function shown(){const w=$("workload").value,v=$("verdict").value;
return runs.filter((r)=>(w===""||r.workload===w)&&(v===""||verdict(r.valid)===v))}
function draw(){const rows=shown().map((r)=>{const key=["msgs/op all","latency p50 (ms)","stable latency p50 (ms)","ok fraction"];
return '<tr data-path="'+esc(r.path)+'" class="'+verdict(r.valid)+'"><td><input type="checkbox" class="pick" value="'+esc(r.path)+'"'+(picked.includes(r.path)?" checked":"")+'></td>'+
'<td>'+(r.hasReport?'<a class="report" href="/runs/'+esc(r.path)+'/report.html">'+esc(r.time)+'</a>':esc(r.time))+'</td><td>'+esc(r.workload)+'</td><td class="num">'+fmt(r.nodeCount)+'</td>'+
'<td class="verdict">'+verdict(r.valid)+'</td><td>'+esc(r.engine)+'</td><td class="num">'+fmt(r.seed)+'</td>'+
key.map((k)=>'<td class="num">'+fmt(r.figures[k])+'</td>').join("")+
'<td class="finding" title="'+esc(r.findings.join("\n"))+'">'+esc((r.findings[0]||"").slice(0,140)+((r.findings[0]||"").length>140?"…":""))+"</td></tr>"});
$("rows").innerHTML=rows.join("");$("count").textContent=rows.length+" of "+runs.length+" runs";
for(const box of document.querySelectorAll("input.pick"))box.addEventListener("change",()=>pick(box.value,box.checked));
compare()}
function pick(path,on){const at=picked.indexOf(path);if(on&&at<0){picked.push(path);if(picked.length>2)picked.shift()}
if(!on&&at>=0)picked.splice(at,1);draw()}
function compare(){const [a,b]=picked.map((p)=>runs.find((r)=>r.path===p));
if(!a||!b){$("compare").innerHTML="<p>Tick two runs to compare their figures.</p>";return}
const head='<tr><th>figure</th><th>'+esc(a.path)+'</th><th>'+esc(b.path)+'</th><th>b − a</th></tr>';
const meta=[["verdict",verdict(a.valid),verdict(b.valid)],["nodes",fmt(a.nodeCount),fmt(b.nodeCount)],["engine",a.engine,b.engine],["seed",fmt(a.seed),fmt(b.seed)]]
.map(([k,x,y])=>'<tr><th>'+k+'</th><td>'+esc(x)+'</td><td>'+esc(y)+'</td><td></td></tr>').join("");
const figs=names.map((k)=>{const x=a.figures[k],y=b.figures[k];const d=x!==null&&y!==null?y-x:null;
return '<tr><th>'+esc(k)+'</th><td class="num">'+fmt(x)+'</td><td class="num">'+fmt(y)+'</td><td class="num">'+(d===null?"":(d>0?"+":"")+fmt(d))+'</td></tr>'}).join("");
$("compare").innerHTML='<h2>Comparison</h2><table class="compare">'+head+meta+figs+"</table>"}
$("workload").addEventListener("change",draw);$("verdict").addEventListener("change",draw);draw();`;

/** Renders the index page of `runs` (the store at `root`, named in the title). */
export function indexPage(runs: readonly RunSummary[], root: string): string {
  const columns = [
    "",
    "run (opens the report)",
    "workload",
    "nodes",
    "verdict",
    "engine",
    "seed",
    "msgs/op",
    "latency p50 (ms)",
    "stable p50 (ms)",
    "ok fraction",
    "what is wrong (first finding)",
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Runs in ${
    escapeXml(root)
  }</title><style>${STYLE}</style></head><body><h1>Runs in ${escapeXml(root)}</h1>` +
    `<div class="filters"><label>workload <select id="workload"><option value="">all</option>` +
    `</select></label><label>verdict <select id="verdict"><option value="">all</option>` +
    `<option>valid</option><option>invalid</option><option>unknown</option></select></label>` +
    `<span id="count"></span></div><table id="runs-table"><thead><tr>${
      columns.map((c) => `<th>${escapeXml(c)}</th>`).join("")
    }</tr></thead><tbody id="rows"></tbody></table><div id="compare"></div>` +
    `<script type="application/json" id="runs">${scriptJson(runs)}</script>` +
    `<script type="application/json" id="figure-names">${scriptJson(FIGURE_NAMES)}</script>` +
    `<script>${SCRIPT}</script></body></html>`;
}
