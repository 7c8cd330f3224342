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
    const base = [
      "--headless",
      ...CHROMIUM_FLAGS,
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

/** Flags for a closed network and a root user: no sandbox, no background traffic. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium under puppeteer-core (for the interactive browser tests and the
 * diagram benchmark). Close it with `await browser.close()`.
 */
export async function launchBrowser(binary: string) {
  const { default: puppeteer } = await import("puppeteer-core");
  return await puppeteer.launch({
    executablePath: binary,
    headless: true,
    args: [...CHROMIUM_FLAGS, "--window-size=1200,900"],
    defaultViewport: { width: 1200, height: 900 },
  });
}
