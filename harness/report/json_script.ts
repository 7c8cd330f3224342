/**
 * Data embedded in a page as JSON inside `<script type="application/json">`, which the page's
 * own script parses: the one way the report and the store's index carry their data.
 *
 * @module
 */

/** JSON safe inside a `<script>` element (no `</script>`, no `<!--`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}
