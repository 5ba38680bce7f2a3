import type { Contract } from "./contract-types.ts";

/** The contract as text for a terminal, about 100 columns wide. */
export function formatContract(c: Contract): string {
  const out: string[] = [`${c.title}, version ${c.version} (${c.status})`, ""];
  for (const s of c.summary) out.push(...wrap(s, "", ""));
  for (const section of c.sections) {
    out.push("", section.title, "-".repeat(section.title.length));
    for (const line of section.intro) out.push(...wrap(line, "", ""));
    for (const item of section.items) {
      out.push(...wrap(item.text, "  - ", "    "));
      for (const k of item.cases ?? []) out.push(...wrap(k, "      ", "        "));
    }
  }
  return `${out.join("\n")}\n`;
}

function wrap(text: string, first: string, rest: string, width = 100): string[] {
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = lines.length === 0 ? first : rest;
    let empty = true;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = rest + word;
      } else {
        line += (empty ? "" : " ") + word;
      }
      empty = false;
    }
    lines.push(line);
  }
  return lines;
}
