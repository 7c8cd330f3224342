/**
 * The store's web server: the index page at `/`, the runs as JSON at `/runs.json`, and each run's
 * files (its report, results, history, messages, node logs) at `/runs/<workload>/<time>/<file>`.
 * Bound to 127.0.0.1 only; it reads the store and never writes it.
 *
 * @module
 */

import { indexPage } from "./page.ts";
import { listRuns } from "./runs.ts";

/** Options of {@linkcode serveStore}. */
export interface ServeOptions {
  /** The store root (default `store`). */
  root?: string;
  /** The port (default 8080; 0 picks a free one). */
  port?: number;
  /** Stops the server. */
  signal?: AbortSignal;
  /** Called once listening, with the page's address. */
  onListen?: (url: string) => void;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  jsonl: "text/plain; charset=utf-8",
  log: "text/plain; charset=utf-8",
  png: "image/png",
};

/** One path segment a run's file may have: no `..`, no separators. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

function _notFound(): Response {
  return new Response("Not found\n", { status: 404, headers: { "content-type": TYPES.log! } });
}

/** Answers one request against the store at `root`. */
export async function handleRequest(request: Request, root: string): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed\n", { status: 405 });
  }
  const { pathname } = new URL(request.url);
  if (pathname === "/" || pathname === "/index.html") {
    return new Response(indexPage(await listRuns(root), root), {
      headers: { "content-type": TYPES.html! },
    });
  }
  if (pathname === "/favicon.ico") return new Response(null, { status: 204 });
  if (pathname === "/runs.json") {
    return Response.json(await listRuns(root));
  }
  const parts = pathname.split("/").slice(1).map(decodeURIComponent);
  if (parts[0] !== "runs" || parts.length < 4 || !parts.slice(1).every((p) => SEGMENT.test(p))) {
    return _notFound();
  }
  const file = `${root}/${parts.slice(1).join("/")}`;
  const type = TYPES[file.slice(file.lastIndexOf(".") + 1)];
  if (type === undefined) return _notFound();
  try {
    const body = await Deno.readFile(file);
    return new Response(body, { headers: { "content-type": type } });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      return _notFound();
    }
    throw error;
  }
}

/** Serves the store on 127.0.0.1; resolves when `signal` stops the server. */
export async function serveStore(options: ServeOptions = {}): Promise<void> {
  const root = options.root ?? "store";
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 8080,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onListen: ({ port }) => options.onListen?.(`http://127.0.0.1:${port}/`),
  }, (request) => handleRequest(request, root));
  await server.finished;
}
