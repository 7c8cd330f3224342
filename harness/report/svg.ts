/**
 * The few SVG pieces the report's plots share: linear and log scales, axes, partition shading.
 *
 * @module
 */

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** Maps a domain value to a pixel coordinate. */
export interface Scale {
  (value: number): number;
  ticks: number[];
  format(value: number): string;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const nice = [1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10;
  return nice * magnitude;
}

function trimNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

/**
 * The largest of `values` and `floor`, by a loop: spreading a large array into `Math.max` throws
 * a RangeError past about 125 000 items.
 */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** The smallest of `values` and `ceiling`, by a loop (see {@linkcode maxOf}). */
export function minOf(values: Iterable<number>, ceiling = Infinity): number {
  let min = ceiling;
  for (const value of values) if (value < min) min = value;
  return min;
}

/** A linear scale from [lo, hi] onto [from, to] pixels, with about five round ticks. */
export function linearScale(lo: number, hi: number, from: number, to: number): Scale {
  const span = hi > lo ? hi - lo : 1;
  const scale = ((value: number) => from + ((value - lo) / span) * (to - from)) as Scale;
  const step = niceStep(span, 5);
  scale.ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) scale.ticks.push(t);
  scale.format = trimNumber;
  return scale;
}

/** A log10 scale from [lo, hi] (both > 0) onto pixels, with a tick per decade. */
export function logScale(lo: number, hi: number, from: number, to: number): Scale {
  const a = Math.log10(lo);
  const b = Math.max(Math.log10(hi), a + 1);
  const scale =
    ((value: number) =>
      from + ((Math.log10(Math.max(value, lo)) - a) / (b - a)) * (to - from)) as Scale;
  scale.ticks = [];
  for (let d = Math.ceil(a); d <= Math.floor(b); d++) scale.ticks.push(10 ** d);
  scale.format = trimNumber;
  return scale;
}

/** The drawing area of one plot. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The default frame: 860×280, with room for axis labels and, on the right, the legend. */
export function defaultFrame(height = 280): Frame {
  return { width: 860, height, left: 64, right: 700, top: 16, bottom: height - 40 };
}

/** Draws x and y axes with ticks, grid lines and labels. */
export function axes(frame: Frame, x: Scale, y: Scale, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  for (const t of x.ticks) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${frame.top}" y2="${frame.bottom}" class="grid"/>`,
      `<text x="${px}" y="${frame.bottom + 16}" text-anchor="middle">${x.format(t)}</text>`,
    );
  }
  for (const t of y.ticks) {
    const py = y(t).toFixed(1);
    parts.push(
      `<line x1="${frame.left}" x2="${frame.right}" y1="${py}" y2="${py}" class="grid"/>`,
      `<text x="${frame.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${
        y.format(t)
      }</text>`,
    );
  }
  parts.push(
    `<line x1="${frame.left}" x2="${frame.right}" y1="${frame.bottom}" y2="${frame.bottom}" class="axis"/>`,
    `<line x1="${frame.left}" x2="${frame.left}" y1="${frame.top}" y2="${frame.bottom}" class="axis"/>`,
    `<text x="${(frame.left + frame.right) / 2}" y="${frame.height - 6}" text-anchor="middle">${
      escapeXml(xLabel)
    }</text>`,
    `<text transform="translate(14 ${
      (frame.top + frame.bottom) / 2
    }) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  return parts.join("");
}

/**
 * Shades time intervals (seconds) on a time axis, with CSS class `cls` (`partition`, or `down`
 * for a killed node); an interval's optional third element is its tooltip (default `cls`).
 */
export function shade(
  frame: Frame,
  x: Scale,
  intervals: readonly (readonly [number, number, string?])[],
  cls = "partition",
): string {
  return intervals.map(([from, to, label]) => {
    const a = Math.max(frame.left, x(from));
    const b = Math.min(frame.right, x(to));
    return b > a
      ? `<rect x="${a.toFixed(1)}" y="${frame.top}" width="${(b - a).toFixed(1)}" height="${
        frame.bottom - frame.top
      }" class="${cls}"><title>${escapeXml(label ?? cls)}</title></rect>`
      : "";
  }).join("");
}

/** Wraps plot content in an `<svg>` element with a title. */
export function svg(frame: Frame, title: string, body: string): string {
  return `<figure><figcaption>${
    escapeXml(title)
  }</figcaption><svg class="plot" width="${frame.width}" ` +
    `height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${
      escapeXml(title)
    }">${body}</svg></figure>`;
}
