/**
 * Renders a page in headless Chromium (Debian's `chromium`) for the report's browser test: a
 * screenshot, and the DOM after the page's `load` handlers ran.
 *
 * @module
 */

/** Where Chromium is, or undefined when it is not installed. */
export function findChromium(): string | undefined {
  for (const path of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What {@linkcode renderInChromium} saw. */
export interface RenderedPage {
  /** The serialised DOM after load. */
  dom: string;
  /** Chromium's stderr lines that report a JavaScript error on the page. */
  consoleErrors: string[];
}

async function chromium(
  binary: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const profile = await Deno.makeTempDir({ prefix: "report-chromium-" });
  try {
    // Flags for a closed network and a root user: no sandbox, no background traffic.
    const base = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--enable-logging=stderr",
      `--user-data-dir=${profile}`,
    ];
    const out = await new Deno.Command(binary, {
      args: [...base, ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const decoder = new TextDecoder();
    return { stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

/**
 * Loads `htmlFile` in headless Chromium, saves a screenshot to `screenshotFile`, and returns the
 * DOM after load with any page errors Chromium logged.
 */
export async function renderInChromium(
  binary: string,
  htmlFile: string,
  screenshotFile: string,
): Promise<RenderedPage> {
  const url = new URL(`file://${htmlFile}`).href;
  await chromium(binary, ["--window-size=1000,2600", `--screenshot=${screenshotFile}`, url]);
  const { stdout, stderr } = await chromium(binary, ["--dump-dom", url]);
  const consoleErrors = stderr.split("\n").filter((line) => /CONSOLE|Uncaught/.test(line));
  return { dom: stdout, consoleErrors };
}
