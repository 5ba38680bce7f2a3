import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/report/build.ts";
import { inlineExpressions, pageCode } from "../helpers/page-code.ts";

/**
 * Biome does not read Markdown, so the code in the pages (reports/*.md) is linted here: each page's
 * cells and inline expressions, as pageCode writes them, with the project's biome.json.
 */

interface Diagnostic {
  file: string;
  line: number;
  category: string;
  message: string;
}

/** Lints each named piece of code with biome (project settings); its warnings and errors. */
function lint(files: Record<string, string>): Diagnostic[] {
  const dir = mkdtempSync(join(tmpdir(), "leadcal-page-code-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.js`), text);
    const r = spawnSync(
      join(PROJECT_ROOT, "node_modules", ".bin", "biome"),
      [
        "lint",
        `--config-path=${join(PROJECT_ROOT, "biome.json")}`,
        "--vcs-enabled=false",
        "--reporter=json",
        "--max-diagnostics=none",
        dir,
      ],
      { encoding: "utf8" },
    );
    const report = JSON.parse(r.stdout) as {
      summary: { unchanged: number; changed: number };
      diagnostics: {
        category: string;
        message: string;
        location: { path: string; start: { line: number } };
      }[];
    };
    expect(report.summary.unchanged + report.summary.changed, r.stderr).toBe(Object.keys(files).length);
    return report.diagnostics.map((d) => ({
      file: d.location.path.split(/[\\/]/).at(-1) ?? "",
      line: d.location.start.line,
      category: d.category,
      message: d.message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines of a page, with `#{` for the `${` of an inline expression (a plain string may not hold `${`). */
const page = (...lines: string[]) => lines.join("\n").replaceAll("#{", "${");
const code = (text: string) => text.replaceAll("#{", "${");

describe("a page's code", () => {
  it("keeps the js cells on the page's lines and adds the prose's inline expressions", () => {
    const md = page(
      "# Title", // 1
      "```js", // 2
      "const a = 1;", // 3
      "```", // 4
      "Costs #{money(a)} in #{period}.", // 5
      "```sql", // 6
      "select #{not_code}", // 7
      "```", // 8
      "```js", // 9
      "display(a);", // 10
      "```", // 11
    );
    expect(pageCode(md).split("\n")).toEqual([
      ...["", "", "const a = 1;", "", "", "", "", "", "", "display(a);", ""],
      "// line 5",
      "display(money(a));",
      "// line 5",
      "display(period);",
      "",
    ]);
  });
  it("reads an inline expression to its own closing brace, past braces in strings and templates", () => {
    expect(inlineExpressions(code("a #{x} b #{f({k: 1})} c"))).toEqual(["x", "f({k: 1})"]);
    expect(inlineExpressions(code('#{y ? "}" : `{#{z}}`} and #{`#{"}"}`}'))).toEqual([
      code('y ? "}" : `{#{z}}`'),
      code('`#{"}"}`'),
    ]);
    expect(inlineExpressions("no code, and an open ${ brace")).toEqual([]);
  });
  it("is linted: an unused variable or import is reported, one used only in the prose is not", () => {
    const md = page(
      "```js",
      'import {count, money} from "./components/format.js";',
      "const unused = 1;",
      "const shown = 2;",
      "```",
      "<p>#{count(shown)}</p>",
    );
    const found = lint({ page: pageCode(md) });
    expect(found.map((d) => [d.line, d.category])).toEqual([
      [2, "lint/correctness/noUnusedImports"],
      [3, "lint/correctness/noUnusedVariables"],
    ]);
  });
});

describe("the pages' code", () => {
  const dir = join(PROJECT_ROOT, "reports");
  const pages = readdirSync(dir).filter((f) => f.endsWith(".md"));

  it("passes biome's lint, every page", () => {
    expect(pages).toEqual(expect.arrayContaining(["cost-per-sql.md", "funnel.md", "service-levels.md"]));
    const cells = Object.fromEntries(pages.map((p) => [p, pageCode(readFileSync(join(dir, p), "utf8"))]));
    expect(lint(cells)).toEqual([]);
  });
});
