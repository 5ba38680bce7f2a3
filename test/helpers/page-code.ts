/**
 * The JavaScript of an Observable Framework page (reports/*.md), as one module biome can lint: the
 * ```js cells stay on their own lines of the page (other lines are left blank, so a diagnostic's line
 * is the page's), and each inline `${…}` expression of the prose follows, one statement each, after
 * a comment naming its line. Biome does not read Markdown, so without this the pages' code is not
 * linted at all.
 */
export function pageCode(markdown: string): string {
  const out: string[] = [];
  const prose: { line: number; text: string }[] = [];
  let fence: "js" | "other" | null = null;
  for (const [i, text] of markdown.split("\n").entries()) {
    if (fence === null && /^```/.test(text)) fence = /^```js\b/.test(text) ? "js" : "other";
    else if (fence !== null && /^```\s*$/.test(text)) fence = null;
    else if (fence === null) prose.push({ line: i + 1, text });
    out.push(fence === "js" && !/^```/.test(text) ? text : "");
  }
  for (const { line, text } of prose)
    for (const expr of inlineExpressions(text)) out.push(`// line ${line}`, `display(${expr});`);
  return `${out.join("\n")}\n`;
}

/**
 * The `${…}` expressions in a line of prose, each up to its matching brace: strings and template
 * literals (with their own `${…}`) inside are skipped over, so their braces do not count.
 */
export function inlineExpressions(text: string): string[] {
  const found: string[] = [];
  let i = text.indexOf("${");
  while (i >= 0) {
    const end = closingBrace(text, i + 2);
    if (end < 0) break;
    found.push(text.slice(i + 2, end));
    i = text.indexOf("${", end + 1);
  }
  return found;
}

/** The index of the brace closing the code that starts at `from` (just after a `${` or `{`), or -1. */
function closingBrace(s: string, from: number): number {
  // A stack of what encloses the reader: code (counting braces) or a template literal.
  const stack: ({ kind: "code"; depth: number } | { kind: "template" })[] = [{ kind: "code", depth: 1 }];
  for (let i = from; i < s.length; i++) {
    const top = stack.at(-1);
    const ch = s[i];
    if (!top) return -1;
    if (top.kind === "template") {
      if (ch === "\\") i++;
      else if (ch === "`") stack.pop();
      else if (ch === "$" && s[i + 1] === "{") {
        stack.push({ kind: "code", depth: 1 });
        i++;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      for (i++; i < s.length && s[i] !== ch; i++) if (s[i] === "\\") i++;
    } else if (ch === "`") stack.push({ kind: "template" });
    else if (ch === "{") top.depth++;
    else if (ch === "}" && --top.depth === 0) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
