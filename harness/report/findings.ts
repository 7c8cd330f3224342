/**
 * The report's first screen for a run that is not valid: what is wrong, one sentence per
 * anomaly ({@linkcode explainRun}), each linked to its moment in the message diagram.
 *
 * @module
 */

import type { Finding } from "../checkers/explain/mod.ts";
import { escapeXml } from "./svg.ts";

/** The "What is wrong" list; empty for no findings. */
export function findingsSection(findings: readonly Finding[]): string {
  if (findings.length === 0) return "";
  const items = findings.map((f) => {
    const link = f.at === undefined
      ? ""
      : ` <a class="goto" href="#diagram" data-at="${(f.at / 1e6).toFixed(3)}" data-nodes="${
        escapeXml((f.nodes ?? []).join(","))
      }">show in the diagram</a>`;
    return `<li>${escapeXml(f.text)}${link}</li>`;
  });
  return `<section id="findings"><h2>What is wrong</h2><ol>${items.join("")}</ol></section>`;
}
