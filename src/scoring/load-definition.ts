import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { UserError } from "../errors.ts";
import { describeIssue, issueAnchor } from "./describe-issue.ts";
import { checkRules } from "./rules.ts";
import { type Definition, definitionSchema } from "./schema.ts";

/** A validated definition with where it came from, so later errors can point at a line. */
export interface LoadedDefinition {
  def: Definition;
  /** The file, or a label such as "(inline)". */
  origin: string;
  /** SHA-256 of the text, to tell two files with the same version apart. */
  sha256: string;
  text: string;
  /** The line (1-based) of the YAML node at this path, or of its nearest parent that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export interface DefinitionProblem {
  path: (string | number)[];
  line?: number;
  message: string;
}

/** The default definition: data/definition.yaml under the working directory. */
export const DEFAULT_DEFINITION = "data/definition.yaml";

/** Reads and validates a definition file; a problem is a UserError listing every issue with its line. */
export function loadDefinitionFile(file: string): LoadedDefinition {
  if (!existsSync(file)) throw new UserError("scoring definition not found", { file });
  return parseDefinition(readFileSync(file, "utf8"), file);
}

/** Parses definition text; `origin` names it in messages. */
export function parseDefinition(text: string, origin = "(inline)"): LoadedDefinition {
  const result = validateDefinition(text, origin);
  if (!result.ok) {
    throw new UserError(formatProblems(result.problems), { file: origin });
  }
  return result.loaded;
}

/** Like parseDefinition, but returns the problems instead of throwing (for `definition check`). */
export function validateDefinition(
  text: string,
  origin = "(inline)",
): { ok: true; loaded: LoadedDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: [],
        line: e.linePos?.[0]?.line,
        message: `not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const lineOf = (path: readonly (string | number)[]) => nodeLine(doc.contents, path, lineCounter);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        { path: [], line: 1, message: "expected a YAML mapping with version, outcome, thresholds, ..." },
      ],
    };
  }
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      return { path, line: lineOf(issueAnchor(issue, path)), message: describeIssue(issue, raw, path) };
    });
    return { ok: false, problems: dedupe(problems) };
  }
  const def = parsed.data;
  // An unquoted version is read as a number (2026.10 would become 2026.1): keep it as written.
  const versionNode = doc.get("version", true);
  if (isScalar(versionNode) && typeof versionNode.value === "number" && versionNode.range) {
    def.version = text.slice(versionNode.range[0], versionNode.range[1]).trim();
  }
  const ruleIssues = checkRules(def);
  if (ruleIssues.length > 0) {
    return {
      ok: false,
      problems: ruleIssues
        .map((r) => ({ path: r.path, line: lineOf(r.path), message: r.message }))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    };
  }
  return {
    ok: true,
    loaded: {
      def,
      origin,
      text,
      sha256: createHash("sha256").update(text).digest("hex"),
      lineOf,
    },
  };
}

/** "line 12, fit[2] (industry).values[0].points: expected a whole number, got 1.5", one per line. */
export function formatProblems(problems: DefinitionProblem[]): string {
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  const n = problems.length;
  return `the scoring definition has ${n === 1 ? "a problem" : `${n} problems`}:\n${lines.join("\n")}`;
}

export function formatProblem(p: DefinitionProblem): string {
  const where = [p.line !== undefined ? `line ${p.line}` : undefined, formatPath(p.path)].filter(Boolean);
  return `${where.join(", ")}${where.length ? ": " : ""}${p.message}`;
}

/** fit[2].values[0].points */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function nodeLine(root: unknown, path: readonly (string | number)[], lc: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let best: number | undefined = lineAt(node, lc);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
      if (!pair) break;
      best = lineAt(pair.key as Node, lc) ?? best;
      node = pair.value as Node | null;
      if (node && !isScalar(node)) best = best ?? lineAt(node, lc);
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key] as Node | null | undefined;
      best = lineAt(node, lc) ?? best;
    } else {
      break;
    }
  }
  return best;
}

function lineAt(node: Node | null | undefined, lc: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

function dedupe(problems: DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatPath(p.path)}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
