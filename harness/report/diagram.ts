/**
 * The report's diagram of every message of the run: one vertical lane per node, service and
 * client, time running down, an arrow from each send to its delivery (dropped messages end in a
 * cross halfway), partitions shaded across, a node down or paused shaded on its lane. Drawn on
 * a canvas from the embedded {@linkcode DiagramData}, only the part in view, so tens of
 * thousands of messages scroll and zoom smoothly. Filters by node and message type; hovering an
 * arrow shows its body. `#diagram` exposes `goto(ms, nodes)` for the findings' links.
 *
 * @module
 */

import { scriptJson } from "./json_script.ts";
import type { DiagramData } from "./diagram_data.ts";

/** The page's diagram script (plain JavaScript; no build step). */
const SCRIPT = String.raw`(()=>{const t0=performance.now();
const D=JSON.parse(document.getElementById("diagram-data").textContent);
const root=document.getElementById("diagram"),scroll=document.getElementById("diagram-scroll");
const space=document.getElementById("diagram-space"),canvas=document.getElementById("diagram-canvas");
const tip=document.getElementById("diagram-tip"),info=document.getElementById("diagram-info");
const nodeSel=document.getElementById("diagram-node"),typeBox=document.getElementById("diagram-types");
const N=D.sent.length,VIEW=560,TOP=30,LANE_MIN=16;
const COLS=["#4062bb","#2a9d4b","#e09f3e","#8f2d56","#59c3c3","#d1495b","#6c757d","#7b2cbf","#f3722c","#277da1","#90be6d","#b5838d"];
let maxDur=0;for(let i=0;i<N;i++){const r=D.recv[i];if(r>=0&&r-D.sent[i]>maxDur)maxDur=r-D.sent[i]}
const span=Math.max(D.end,1);let pxPerMs=(VIEW-TOP-10)/span;const fit=pxPerMs;
const typeOn=D.types.map(()=>true);let node=-1,mark=-1,drawn=[],col=[],names=[],hl=[];
const isClient=(l)=>/^c\d/.test(l),merge=document.getElementById("diagram-merge");
merge.checked=D.lanes.filter(isClient).length>8;
function columns(){names=[];col=D.lanes.map((l)=>{const n=merge.checked&&isClient(l)?"clients":l;let i=names.indexOf(n);if(i<0){i=names.length;names.push(n)}return i})}
columns();merge.addEventListener("change",()=>{columns();draw()});
for(const [i,l] of D.lanes.entries()){const o=document.createElement("option");o.value=String(i);o.textContent=l;nodeSel.append(o)}
for(const [i,t] of D.types.entries()){const l=document.createElement("label");const c=document.createElement("input");
c.type="checkbox";c.checked=true;c.dataset.type=t;c.addEventListener("change",()=>{typeOn[i]=c.checked;draw()});
const sw=document.createElement("span");sw.style.cssText="display:inline-block;width:10px;height:10px;margin:0 3px;background:"+COLS[i%COLS.length];
l.append(c,sw,t);typeBox.append(l)}
const width=()=>Math.max(root.clientWidth-2,60+LANE_MIN*names.length);
const laneX=(i,w)=>40+(w-60)*(names.length<2?0.5:col[i]/(names.length-1));
const colX=(c,w)=>40+(w-60)*(names.length<2?0.5:c/(names.length-1));
function size(){space.style.height=Math.max(VIEW,Math.ceil(span*pxPerMs)+TOP+10+(pxPerMs>fit?VIEW/2:0))+"px"}
function y(t,top){return TOP+t*pxPerMs-top}
function first(t){let lo=0,hi=N;while(lo<hi){const m=(lo+hi)>>1;if(D.sent[m]<t)lo=m+1;else hi=m}return lo}
function draw(){const w=width(),dpr=window.devicePixelRatio||1;canvas.width=w*dpr;canvas.height=VIEW*dpr;
canvas.style.width=w+"px";canvas.style.height=VIEW+"px";const g=canvas.getContext("2d");g.setTransform(dpr,0,0,dpr,0,0);
g.clearRect(0,0,w,VIEW);const top=scroll.scrollTop,tA=(top-TOP)/pxPerMs,tB=(top+VIEW)/pxPerMs;
g.fillStyle="rgba(209,73,91,.12)";for(const [a,b] of D.partitions){const ya=Math.max(TOP,y(a,top)),yb=Math.min(VIEW,y(b,top));if(yb>ya)g.fillRect(0,ya,w,yb-ya)}
g.fillStyle="rgba(64,98,187,.18)";for(const [a,b,,lane] of D.down){const ya=Math.max(TOP,y(a,top)),yb=Math.min(VIEW,y(b,top));if(yb>ya)g.fillRect(laneX(lane,w)-5,ya,10,yb-ya)}
g.strokeStyle="#ddd";g.lineWidth=1;g.beginPath();for(let c=0;c<names.length;c++){const x=Math.round(colX(c,w))+.5;g.moveTo(x,TOP);g.lineTo(x,VIEW)}g.stroke();
const lo=first(tA-maxDur),hi=first(tB+1e-9),paths=D.types.map(()=>new Path2D()),lost=new Path2D();drawn=[];
const arrows=(hi-lo)<4000;
for(let i=lo;i<hi;i++){const s=D.src[i],d=D.dest[i];if(!typeOn[D.type[i]])continue;if(node>=0&&s!==node&&d!==node)continue;
const r=D.recv[i];const x1=laneX(s,w),y1=y(D.sent[i],top);let x2,y2;
if(r<0){x2=x1+(laneX(d,w)-x1)/2;y2=y1+8}else{x2=laneX(d,w);y2=y(r,top)}
if(Math.max(y1,y2)<TOP||Math.min(y1,y2)>VIEW)continue;
const p=r<0?lost:paths[D.type[i]];p.moveTo(x1,y1);p.lineTo(x2,y2);
if(r<0){p.moveTo(x2-3,y2-3);p.lineTo(x2+3,y2+3);p.moveTo(x2+3,y2-3);p.lineTo(x2-3,y2+3)}
else if(arrows){const a=Math.atan2(y2-y1,x2-x1);p.moveTo(x2,y2);p.lineTo(x2-6*Math.cos(a-.4),y2-6*Math.sin(a-.4));p.moveTo(x2,y2);p.lineTo(x2-6*Math.cos(a+.4),y2-6*Math.sin(a+.4))}
drawn.push(i,x1,y1,x2,y2)}
g.lineWidth=arrows?1:.6;for(const [t,p] of paths.entries()){g.strokeStyle=COLS[t%COLS.length];g.stroke(p)}
g.strokeStyle="#d1495b";g.setLineDash([3,2]);g.stroke(lost);g.setLineDash([]);
if(mark>=0){const ym=y(mark,top);g.strokeStyle="rgba(0,0,0,.45)";g.lineWidth=1;g.setLineDash([6,4]);g.beginPath();g.moveTo(0,ym);g.lineTo(w,ym);g.stroke();g.setLineDash([])}
g.fillStyle="#fff";g.fillRect(0,0,w,TOP);g.fillStyle="#333";g.font="10px system-ui,sans-serif";g.textAlign="center";
const crowded=names.length*28>w;for(const [c,l] of names.entries()){const on=hl.includes(l);g.fillStyle=on?"#d1495b":"#333";
g.font=(on?"bold ":"")+"10px system-ui,sans-serif";g.fillText(l,colX(c,w),TOP-8-(crowded&&c%2?10:0))}
info.textContent=(drawn.length/5)+" of "+N+" messages in view, "+Math.max(0,tA).toFixed(0)+"–"+Math.min(span,tB).toFixed(0)+" ms"+(D.omitted?" ("+D.omitted+" more not embedded)":"");
root.dataset.drawn=String(drawn.length/5)}
function near(mx,my){let best=-1,bd=25;for(let k=0;k<drawn.length;k+=5){const x1=drawn[k+1],y1=drawn[k+2],x2=drawn[k+3],y2=drawn[k+4];
const dx=x2-x1,dy=y2-y1,l=dx*dx+dy*dy;let u=l?((mx-x1)*dx+(my-y1)*dy)/l:0;u=u<0?0:u>1?1:u;
const ex=x1+u*dx-mx,ey=y1+u*dy-my,dd=ex*ex+ey*ey;if(dd<bd){bd=dd;best=drawn[k]}}return best}
canvas.addEventListener("mousemove",(e)=>{const b=canvas.getBoundingClientRect(),i=near(e.clientX-b.left,e.clientY-b.top);
if(i<0){tip.hidden=true;return}const r=D.recv[i];
tip.textContent=D.lanes[D.src[i]]+" → "+D.lanes[D.dest[i]]+"  "+D.types[D.type[i]]+"\nsent "+D.sent[i].toFixed(3)+" ms, "+
(r<0?"never delivered":"delivered "+r.toFixed(3)+" ms ("+(r-D.sent[i]).toFixed(3)+" ms)")+"\n"+(D.bodies[i]||"(body not embedded)");
tip.hidden=false;tip.dataset.message=String(i);tip.style.left=(e.clientX-b.left+14)+"px";tip.style.top=(e.clientY-b.top+scroll.offsetTop+14)+"px"});
canvas.addEventListener("mouseleave",()=>{tip.hidden=true});
function zoom(f,at){const c=at??(scroll.scrollTop+VIEW/2-TOP)/pxPerMs;pxPerMs=Math.min(Math.max(fit,pxPerMs*f),8e6/span,200);size();
scroll.scrollTop=f===0?0:Math.max(0,TOP+c*pxPerMs-VIEW/2);root.dataset.zoom=String(pxPerMs/fit);draw()}
document.getElementById("diagram-in").addEventListener("click",()=>zoom(4));
document.getElementById("diagram-out").addEventListener("click",()=>zoom(.25));
document.getElementById("diagram-fit").addEventListener("click",()=>zoom(0));
scroll.addEventListener("wheel",(e)=>{if(!e.ctrlKey&&!e.metaKey)return;e.preventDefault();
const b=canvas.getBoundingClientRect();zoom(e.deltaY<0?1.5:1/1.5,(scroll.scrollTop+e.clientY-b.top-TOP)/pxPerMs)},{passive:false});
let pending=false;scroll.addEventListener("scroll",()=>{if(pending)return;pending=true;requestAnimationFrame(()=>{pending=false;draw()})});
nodeSel.addEventListener("change",()=>{node=Number(nodeSel.value);draw()});
addEventListener("resize",()=>draw());
root.goto=(ms,nodes)=>{hl=nodes||[];const i=nodes&&nodes.length===1?D.lanes.indexOf(nodes[0]):-1;node=i;nodeSel.value=String(i);mark=ms;
if(pxPerMs<50*fit)pxPerMs=Math.min(Math.max(fit,VIEW/Math.max(4*maxDur,50)),8e6/span,200);size();scroll.scrollTop=Math.max(0,TOP+ms*pxPerMs-VIEW/2);root.dataset.zoom=String(pxPerMs/fit);draw();root.scrollIntoView()};
for(const a of document.querySelectorAll("a.goto"))a.addEventListener("click",(e)=>{e.preventDefault();
root.goto(Number(a.dataset.at),a.dataset.nodes?a.dataset.nodes.split(","):[])});
size();draw();root.dataset.zoom="1";root.dataset.ready=String(Math.round(performance.now()-t0))})();`;

const STYLE = `#diagram{position:relative;border:1px solid #ddd}
#diagram-scroll{height:560px;overflow:auto;position:relative}#diagram-canvas{position:sticky;top:0;display:block}
#diagram-space{margin-top:-560px}#diagram-tip{position:absolute;z-index:2;background:#fffbe6;border:1px solid #caa;
padding:4px 6px;font:12px ui-monospace,monospace;white-space:pre-wrap;max-width:520px;pointer-events:none}
.diagram-controls{margin:6px 0}.diagram-controls label{margin-right:10px;white-space:nowrap}`;

/** The diagram's CSS, for the page's `<style>`. */
export const DIAGRAM_STYLE = STYLE;

/** The diagram section: controls, canvas, the embedded data and its script. */
export function messageDiagram(data: DiagramData): string {
  if (data.sent.length === 0) return `<p>No messages.</p>`;
  return `<div class="diagram-controls"><label>node <select id="diagram-node">` +
    `<option value="-1">all</option></select></label><label><input type="checkbox" ` +
    `id="diagram-merge"> clients in one lane</label><button id="diagram-in">zoom in</button> ` +
    `<button id="diagram-out">zoom out</button> <button id="diagram-fit">whole run</button> ` +
    `<span id="diagram-info"></span></div><div class="diagram-controls" id="diagram-types">` +
    `types: </div><p>Scroll in time; Ctrl + wheel zooms at the pointer; hover an arrow for its ` +
    `body. Red bands: partitions; blue on a lane: that node down or paused; dashed red: never ` +
    `delivered.</p><div id="diagram"><div id="diagram-scroll"><canvas id="diagram-canvas">` +
    `</canvas><div id="diagram-space"></div></div><pre id="diagram-tip" hidden></pre></div>` +
    `<script type="application/json" id="diagram-data">${scriptJson(data)}</script>` +
    `<script>${SCRIPT}</script>`;
}
