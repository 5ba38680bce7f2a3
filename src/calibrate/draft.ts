import { type Document, isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLMap } from "yaml";
import type { ColumnCriterion, Definition, EngagementCriterion } from "../scoring/schema.ts";
import type { ScaledModel } from "./points.ts";

/**
 * Writes the calibrated draft in the champion's own format: its YAML document with every point
 * replaced by the fitted one and the old value in a comment beside it (`points: 22 # was 15`), a
 * new version and status draft, the thresholds carried over, and the calibration block that maps
 * points to probability. Everything else (comments, labels, order, completeness, grades' letters)
 * stays as the people who wrote it left it. The text depends only on its inputs (no clock), so the
 * same data and settings give the same bytes.
 */
export interface DraftInputs {
  championText: string;
  champion: Definition;
  version: string;
  model: ScaledModel;
  outcome: { stage: string; horizon_days: number };
  thresholds: { stage: string; min_score: number; min_fit?: number; min_engagement?: number }[];
  grades: number[] | null;
  /** Criteria --discover added, in the order they follow the champion's in their section. */
  discovered?: DiscoveredCriterion[];
  /** Lines for the notes field: what was fitted on what. */
  notes: string[];
  /** Extra fields for the calibration block (training window, holdout, AUC). */
  calibrationInfo: Record<string, unknown>;
}

export interface DiscoveredCriterion {
  section: "fit" | "engagement";
  criterion: ColumnCriterion | EngagementCriterion;
  /** Written above the criterion in the YAML. */
  comment: string;
}

/**
 * Appends a discovered criterion to its list (created when the champion has none), without its
 * points: the fitted points are then set like every other criterion's, marked "new".
 */
function appendCriterion(doc: Document, d: DiscoveredCriterion): void {
  const path = d.section === "fit" ? ["fit"] : ["engagement", "criteria"];
  if (d.section === "engagement" && !doc.has("engagement")) doc.set("engagement", doc.createNode({}));
  if (!doc.hasIn(path)) doc.setIn(path, doc.createNode([]));
  const {
    points: _p,
    missing: _m,
    otherwise: _o,
    bands,
    values,
    name,
    ...rest
  } = d.criterion as ColumnCriterion & EngagementCriterion;
  const plain: Record<string, unknown> = { name, ...rest };
  const rules = bands ?? values;
  if (rules) plain[bands ? "bands" : "values"] = rules.map(({ points: _rp, ...r }) => r);
  const node = doc.createNode(plain) as YAMLMap;
  node.commentBefore = d.comment;
  const ruleList = node.get(bands ? "bands" : "values", true);
  if (isSeq(ruleList)) for (const r of ruleList.items) if (isMap(r)) r.flow = true;
  const list = doc.getIn(path, true);
  if (!isSeq(list)) throw new Error(`draft: expected a list at ${path.join(".")}`);
  list.items.push(node);
}

function setWithComment(map: YAMLMap, key: string, value: number, old: number | undefined | null): void {
  const had = map.has(key);
  const existing = map.get(key, true);
  if (isScalar(existing)) existing.value = value;
  else map.set(key, new Scalar(value));
  const note =
    old === undefined || old === null
      ? had
        ? undefined
        : " new"
      : old === value
        ? undefined
        : ` was ${old}`;
  if (map.flow) {
    if (note) map.comment = appendNote(map.comment, `${key}${note}`);
    return;
  }
  const node = map.get(key, true);
  if (isScalar(node)) node.comment = note;
}

/** One flow map can change several keys (points and cap): "points was 5, cap was 20". */
function appendNote(existing: string | null | undefined, text: string): string {
  return existing ? `${existing}, ${text}` : ` ${text}`;
}

function mapAt(doc: Document, path: (string | number)[]): YAMLMap {
  const node = doc.getIn(path, true);
  if (!isMap(node)) throw new Error(`draft: expected a map at ${path.join(".")}`);
  return node;
}

export function writeDraft(inp: DraftInputs): string {
  const doc = parseDocument(inp.championText);
  doc.set("version", inp.version);
  doc.set("status", "draft");
  doc.delete("approved");
  doc.set("notes", `${inp.notes.join("\n")}\n`);
  const outcome = mapAt(doc, ["outcome"]);
  outcome.set("stage", inp.outcome.stage);
  outcome.set("horizon_days", inp.outcome.horizon_days);

  for (const d of inp.discovered ?? []) appendCriterion(doc, d);
  const isNew = new Set((inp.discovered ?? []).map((d) => d.criterion.name));
  for (const tp of inp.model.terms) {
    const t = tp.term;
    const fresh = isNew.has(t.name);
    if (t.kind === "column") {
      const rulesKey = t.criterion.bands ? "bands" : "values";
      const rules = t.criterion.bands ?? t.criterion.values ?? [];
      const base = [t.section, t.index];
      const crit = mapAt(doc, base);
      rules.forEach((r, j) => {
        const m = mapAt(doc, [...base, rulesKey, j]);
        setWithComment(m, "points", tp.points[j + 1] as number, fresh ? null : r.points);
      });
      setWithComment(crit, "missing", tp.points[0] as number, fresh ? null : t.criterion.missing);
      setWithComment(
        crit,
        "otherwise",
        tp.points[rules.length + 1] as number,
        fresh ? null : t.criterion.otherwise,
      );
    } else if (t.kind === "engagement") {
      const m = mapAt(doc, ["engagement", "criteria", t.index]);
      setWithComment(m, "points", tp.points[0] as number, fresh ? null : t.criterion.points);
      if (tp.cap != null) setWithComment(m, "cap", tp.cap, t.criterion.cap ?? null);
      else if (m.has("cap")) m.delete("cap");
    } else {
      const m = mapAt(doc, ["negative", t.index]);
      setWithComment(m, "points", tp.points[0] as number, t.criterion.points);
    }
  }
  if (inp.champion.engagement.cap !== undefined) {
    const eng = mapAt(doc, ["engagement"]);
    eng.delete("cap");
    eng.commentBefore =
      `${eng.commentBefore ?? ""}\n cap: ${inp.champion.engagement.cap} removed by calibration (each criterion keeps its own cap, in events)`.trim();
  }
  inp.thresholds.forEach((t, i) => {
    const m = mapAt(doc, ["thresholds", i]);
    const old = inp.champion.thresholds[i];
    setWithComment(m, "min_score", t.min_score, old?.min_score);
    if (t.min_fit !== undefined) setWithComment(m, "min_fit", t.min_fit, old?.min_fit);
    if (t.min_engagement !== undefined)
      setWithComment(m, "min_engagement", t.min_engagement, old?.min_engagement);
  });
  if (inp.grades && inp.champion.grades) {
    inp.grades.forEach((g, i) => {
      const old = inp.champion.grades?.bands[i]?.min;
      if (old === undefined) return;
      setWithComment(mapAt(doc, ["grades", "bands", i]), "min", g, old);
    });
  }
  doc.set("calibration", doc.createNode({ ...inp.model.scaling, ...inp.calibrationInfo }));
  const cal = mapAt(doc, ["calibration"]);
  cal.commentBefore =
    " Written by `leadcal calibrate`: a score of base_score means odds of base_odds to 1 (a probability of\n" +
    " base_odds / (1 + base_odds)), and every points_to_double_odds more points double the odds.";
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
