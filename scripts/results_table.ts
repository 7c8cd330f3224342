/**
 * One results table for every runner: the local harness's `results.json` and a real Maelstrom's
 * `results.edn` (read as plain data) become the same rows.
 *
 * @module
 */

/** One row of the table. */
export interface ResultRow {
  name: string;
  valid: boolean | "unknown" | "error";
  /** Client invocations. */
  ops?: number;
  msgsPerOpAll?: number;
  msgsPerOpServers?: number;
  /** Milliseconds: stable latencies for broadcast, client op latencies elsewhere. */
  latencyMedian?: number;
  latencyP99?: number;
  latencyMax?: number;
  availability?: number;
  target?: string;
  /** Why the run is not valid, or where its store is. */
  note?: string;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function validity(value: unknown): ResultRow["valid"] {
  return value === true || value === false || value === "unknown" ? value : "unknown";
}

/**
 * Builds a row from a results object with Maelstrom's names (`valid` or `valid?`, `net`,
 * `workload`, `availability`, `stats`, and our `op-latencies`).
 */
export function rowFromResults(name: string, results: unknown, target?: string): ResultRow {
  const valid = validity(field(results, "valid") ?? field(results, "valid?"));
  const latencies = field(results, "workload", "stable-latencies") ??
    field(results, "op-latencies");
  const row: ResultRow = { name, valid };
  const put = <K extends keyof ResultRow>(key: K, value: ResultRow[K] | undefined) => {
    if (value !== undefined) row[key] = value;
  };
  put("ops", num(field(results, "stats", "count")));
  put("msgsPerOpAll", num(field(results, "net", "all", "msgs-per-op")));
  put("msgsPerOpServers", num(field(results, "net", "servers", "msgs-per-op")));
  put("latencyMedian", num(field(latencies, "0.5")));
  put("latencyP99", num(field(latencies, "0.99")));
  put("latencyMax", num(field(latencies, "1")));
  put("availability", num(field(results, "availability", "ok-fraction")));
  put("target", target);
  return row;
}

/** A number with `digits` decimals, or "-" when unmeasured. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? "-" : value.toFixed(digits);
}

/** Milliseconds with one decimal below 10 ms (sub-millisecond ops would all print as 0). */
export function milliseconds(value: number | undefined): string {
  return fixed(value, value !== undefined && value < 10 ? 1 : 0);
}

/** The latency cell, `"p50 / p99 / max"` in ms, or "-" when unmeasured. */
export function latencyCell(row: ResultRow): string {
  return row.latencyMedian === undefined
    ? "-"
    : [row.latencyMedian, row.latencyP99, row.latencyMax].map(milliseconds).join(" / ");
}

/** Renders cells as an aligned Markdown table (pipes in cells escaped). */
export function markdownTable(header: readonly string[], lines: readonly string[][]): string {
  const rows = [header, ...lines].map((cells) =>
    header.map((_, i) => (cells[i] ?? "").replaceAll("|", "\\|"))
  );
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const render = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  const [head, ...body] = rows as [string[], ...string[][]];
  return [render(head), render(widths.map((w) => "-".repeat(w))), ...body.map(render)].join("\n");
}

/** Formats rows as a Markdown table (readable in a terminal and in a README). */
export function formatTable(rows: readonly ResultRow[]): string {
  return markdownTable(
    [
      "run",
      "valid",
      "ops",
      "msgs/op all",
      "msgs/op servers",
      "latency p50 / p99 / max (ms)",
      "availability",
      "target",
      "note",
    ],
    rows.map((row) => [
      row.name,
      String(row.valid),
      row.ops === undefined ? "-" : String(row.ops),
      fixed(row.msgsPerOpAll, 2),
      fixed(row.msgsPerOpServers, 2),
      latencyCell(row),
      fixed(row.availability, 4),
      row.target ?? "",
      row.note ?? "",
    ]),
  );
}
