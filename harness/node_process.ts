/**
 * One node under test: a child process speaking newline-delimited JSON on stdin/stdout.
 *
 * Lines from stdout must be `{src, dest, body}` (optionally an integer `id`), nothing else; a
 * malformed line is dropped and reported with the node and the line. With `compat`, Maelstrom's
 * "silenced node" bug is reproduced instead: after one malformed or unroutable line, nothing more
 * is read from that node's stdout. stderr is appended to `node-logs/<id>.log`. Writes to stdin are
 * batched: deliveries queue lines and one write loop flushes them. For the pause nemesis, `pause()`
 * and `resume()` stop and continue the process group. For the kill nemesis, `crash()`
 * SIGKILLs the process without counting it as an early exit, and `restart()` spawns it again with
 * the same argv and log file, marking both in the log.
 *
 * @module
 */

import { commandFor } from "./node_command.ts";
import { parseNodeJson } from "./node_json.ts";
import { envelopeProblem, withoutAnsi } from "./node_output.ts";
import type { Body } from "../lib/message.ts";
import { LineSplitter } from "../lib/line_stream.ts";
import type { Endpoint } from "./net/network.ts";

/** How long an early exit waits for the node's pipes to drain before it is reported. */
const EXIT_DRAIN_MS = 500;

/** How many trailing stderr lines are kept for crash reports. */
const KEEP_LINES = 32;
/** How long a node gets to exit after stdin closes before SIGKILL, ms. */
const KILL_GRACE_MS = 500;

/** Options of a {@linkcode NodeProcess}. */
export interface NodeProcessOptions {
  id: string;
  bin: string;
  args: readonly string[];
  /** Directory for `<id>.log`; no log file when absent. */
  logDir?: string;
  /**
   * The node's working directory, kept across its restarts as a machine keeps its disk (created
   * if missing); the harness's own when absent.
   */
  cwd?: string;
  /** Also print each stderr line to the console. */
  logStderr?: boolean;
  /** Receives each well-formed message the node writes; returns false when it was unroutable. */
  onMessage(src: string, dest: string, body: Body): boolean | void;
  /** Reproduce Maelstrom's silenced-node bug (see the module doc). */
  compat?: boolean;
  /** Receives malformed stdout lines (default: loud console error). */
  onMalformed?(id: string, line: string, reason: string): void;
  /** Called when the process exits before {@linkcode NodeProcess.kill}. */
  onExit?(id: string, status: Deno.CommandStatus): void;
  /** Extra environment variables (a design mode); the harness's own environment is inherited. */
  env?: Readonly<Record<string, string>>;
}

/** A running (or exited) node process; also the node's network endpoint. */
export class NodeProcess implements Endpoint {
  readonly id: string;
  /** The exit status once the process has exited. */
  status: Deno.CommandStatus | undefined;
  /** True when the process exited before teardown. */
  exitedEarly = false;
  /** Number of malformed stdout lines dropped. */
  malformedCount = 0;
  /** The first few malformed lines (up to 5), each with why it was dropped. */
  readonly malformedExamples: { line: string; reason: string }[] = [];
  /** Compat mode only: stdout is no longer read (Maelstrom's silenced node). */
  silenced = false;
  /** How many times the process was started (1 after {@linkcode NodeProcess.start}). */
  boots = 1;

  #options: NodeProcessOptions;
  #argv: string[] = [];
  #child: Deno.ChildProcess | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #pending: string[] = [];
  #writing: Promise<void> | undefined;
  #encoder = new TextEncoder();
  #stderrTail: string[] = [];
  #readers: Promise<void>[] = [];
  #statusPromise: Promise<Deno.CommandStatus> | undefined;
  #stopping = false;
  #log: Deno.FsFile | undefined;

  private constructor(options: NodeProcessOptions) {
    this.id = options.id;
    this.#options = options;
  }

  /** Spawns the node. */
  static async start(options: NodeProcessOptions): Promise<NodeProcess> {
    const node = new NodeProcess(options);
    node.#argv = await commandFor(options.bin, options.args);
    if (options.cwd !== undefined) await Deno.mkdir(options.cwd, { recursive: true });
    if (options.logDir !== undefined) {
      node.#log = await Deno.open(`${options.logDir}/${options.id}.log`, {
        append: true,
        create: true,
      });
    }
    node.#spawn();
    return node;
  }

  /** Whether the process is running. */
  get alive(): boolean {
    return this.#child !== undefined && this.status === undefined;
  }

  /** The last stderr lines (up to 32). */
  stderrTail(): string[] {
    return [...this.#stderrTail];
  }

  /** Network delivery: queues the wire line for stdin. Lost silently if the process is dead. */
  deliver(src: string, _body: Body, id: number, bodyJson: string): void {
    if (!this.alive || this.#stopping) return;
    this.#pending.push(
      `{"id":${id},"src":${JSON.stringify(src)},"dest":${
        JSON.stringify(this.id)
      },"body":${bodyJson}}\n`,
    );
    this.#writing ??= this.#drain();
  }

  /** Closes stdin, waits a short grace, then SIGKILLs; resolves when the process and its pipes are done. */
  async kill(): Promise<Deno.CommandStatus> {
    this.#stopping = true;
    this.#pending = [];
    const child = this.#child;
    const statusPromise = this.#statusPromise;
    if (child === undefined || statusPromise === undefined) throw new Error("Node not started");
    // Closing stdin waits for queued writes; a hung node may never read them, so this runs
    // alongside the grace timer and is settled by the SIGKILL at the latest.
    const closing = (async () => {
      try {
        await this.#writing;
        await this.#writer?.close();
      } catch {
        // The process is gone; nothing to flush.
      }
    })();
    if (this.status === undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<void>((resolve) => timer = setTimeout(resolve, KILL_GRACE_MS));
      await Promise.race([statusPromise, graceOver]);
      clearTimeout(timer);
      if (this.status === undefined) this.#killGroup();
    }
    const status = await statusPromise;
    // Whatever the node left behind in its group (a wrapper's child) goes too.
    this.#killGroup();
    await closing;
    await Promise.all(this.#readers);
    return status;
  }

  /**
   * SIGKILLs the node at once, as a crash: no stdin close, no grace, and not an early exit.
   * Resolves when the process and its pipes are done; a marker line goes to its log.
   */
  async crash(): Promise<Deno.CommandStatus> {
    this.#stopping = true;
    this.#pending = [];
    const child = this.#child;
    const statusPromise = this.#statusPromise;
    if (child === undefined || statusPromise === undefined) throw new Error("Node not started");
    this.#killGroup();
    const status = await statusPromise;
    await Promise.all(this.#readers);
    await this.#mark("killed (SIGKILL) by the kill nemesis");
    return status;
  }

  /**
   * Kills the node if it still runs and spawns it again with the same argv and log file (for the
   * kill nemesis); the caller re-sends `init`.
   */
  async restart(): Promise<void> {
    await this.kill();
    this.status = undefined;
    this.exitedEarly = false;
    this.#stopping = false;
    this.#pending = [];
    this.boots++;
    await this.#mark(`restarted (boot ${this.boots})`);
    this.#spawn();
  }

  /**
   * SIGKILLs the node's whole process group at once, synchronously: for a harness that must exit
   * now (a second Ctrl-C), so no node outlives it.
   */
  killNow(): void {
    this.#stopping = true;
    this.#killGroup();
  }

  /**
   * Stops the node's process group (SIGSTOP) for the pause nemesis, as Jepsen's `hammer-time`
   * does: the node keeps its state and its pipes; messages to it wait in its stdin until
   * {@linkcode NodeProcess.resume}.
   */
  async pause(): Promise<void> {
    this.#signalGroup("SIGSTOP");
    await this.#mark("paused (SIGSTOP) by the pause nemesis");
  }

  /** Continues a paused node's process group (SIGCONT). */
  async resume(): Promise<void> {
    this.#signalGroup("SIGCONT");
    await this.#mark("resumed (SIGCONT)");
  }

  /**
   * SIGKILLs the node's process group: the node and anything it started (a `#!/bin/sh` wrapper's
   * child, `go run`'s binary), which would otherwise hold its pipes open and outlive the run.
   */
  #killGroup(): void {
    this.#signalGroup("SIGKILL");
  }

  /** Signals the node's process group, or the node alone where groups are unsupported. */
  #signalGroup(signal: Deno.Signal): void {
    const child = this.#child;
    if (child === undefined) return;
    try {
      Deno.kill(-child.pid, signal);
    } catch {
      // The group is gone (or groups are unsupported): the node itself, if it still runs.
      try {
        child.kill(signal);
      } catch {
        // Already exited.
      }
    }
  }

  /** Kills the node if needed and closes its log file. */
  async close(): Promise<void> {
    if (this.#child !== undefined) await this.kill();
    this.#log?.close();
    this.#log = undefined;
  }

  #spawn(): void {
    const [cmd, ...args] = this.#argv as [string, ...string[]];
    const child = new Deno.Command(cmd, {
      args,
      env: { ...this.#options.env },
      ...(this.#options.cwd === undefined ? {} : { cwd: this.#options.cwd }),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      // Its own process group, so a kill reaches whatever the node starts (see #killGroup).
      detached: true,
    }).spawn();
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    const readers = [this.#readStdout(child.stdout), this.#readStderr(child.stderr)];
    this.#readers = readers;
    this.#statusPromise = child.status.then(async (status) => {
      this.status = status;
      if (!this.#stopping) {
        this.exitedEarly = true;
        // Report the exit with its last stderr lines: wait for both pipes to drain, but not for
        // an orphaned grandchild that may hold them open.
        await _settledWithin(readers, EXIT_DRAIN_MS);
        this.#options.onExit?.(this.id, status);
      }
      return status;
    });
  }

  /** Appends a harness line to the node's log, so a reader sees where a boot ends. */
  async #mark(what: string): Promise<void> {
    if (this.#log === undefined) return;
    await _writeAll(this.#log, this.#encoder.encode(`[harness] ${this.id} ${what}\n`));
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0 && this.#writer !== undefined) {
        const chunk = this.#pending.join("");
        this.#pending = [];
        await this.#writer.write(this.#encoder.encode(chunk));
      }
    } catch {
      // A dead node's stdin: messages to it are lost, as in Maelstrom.
      this.#pending = [];
    } finally {
      this.#writing = undefined;
    }
  }

  async #readStdout(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    const onLine = (line: string) => this.#onLine(line);
    for await (const chunk of stream) {
      splitter.push(decoder.decode(chunk, { stream: true }), onLine);
    }
    splitter.push(decoder.decode(), onLine);
    splitter.flush(onLine);
  }

  #onLine(line: string): void {
    if (line.length === 0 || this.silenced) return;
    let value: unknown;
    try {
      value = parseNodeJson(line);
    } catch {
      this.#malformed(line, "not JSON");
      return;
    }
    const problem = envelopeProblem(value);
    if (problem !== undefined) {
      this.#malformed(line, problem);
      return;
    }
    const message = value as { src: string; dest: string; body: Body };
    if (this.#options.onMessage(message.src, message.dest, message.body) === false) {
      this.#silence(line, "unregistered src or dest");
    }
  }

  #silence(line: string, reason: string): void {
    if (!this.#options.compat || this.silenced) return;
    this.silenced = true;
    console.error(`compat: ${this.id} is silenced after ${reason}: ${line}`);
  }

  #malformed(line: string, reason: string): void {
    this.#silence(line, reason);
    const count = ++this.malformedCount;
    const shown = line.length > 500 ? `${line.slice(0, 500)}… (${line.length} chars)` : line;
    if (this.malformedExamples.length < 5) this.malformedExamples.push({ line: shown, reason });
    if (this.#options.onMalformed !== undefined) this.#options.onMalformed(this.id, line, reason);
    else if (count <= 10) {
      console.error(`MALFORMED stdout line from ${this.id} (${reason}), dropped: ${shown}`);
    } else if (count % 1000 === 0 || count === 11) {
      // A flood would drown the console: after ten lines, a running count.
      console.error(
        `MALFORMED stdout lines from ${this.id}: ${count} so far (results.json has examples)`,
      );
    }
  }

  async #readStderr(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    const onLine = (line: string) => {
      // The log file keeps the bytes; the tail goes into results.json and messages, so no colour.
      this.#stderrTail.push(withoutAnsi(line));
      if (this.#stderrTail.length > KEEP_LINES) this.#stderrTail.shift();
      if (this.#options.logStderr) console.error(`${this.id}: ${line}`);
    };
    for await (const chunk of stream) {
      if (this.#log !== undefined) await _writeAll(this.#log, chunk);
      splitter.push(decoder.decode(chunk, { stream: true }), onLine);
    }
    splitter.push(decoder.decode(), onLine);
    splitter.flush(onLine);
  }
}

/** Waits for `promises` to settle, or `ms`, whichever comes first. */
async function _settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  try {
    await Promise.race([Promise.allSettled(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function _writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}
