import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { isMap, isScalar, parseDocument, Scalar } from "yaml";
import { nextVersion, registerVersion } from "../calibrate/registry.ts";
import { parseDefinition } from "../scoring/load-definition.ts";
import type { Recommendation } from "./recommend.ts";

/**
 * `thresholds --write`: the recommended MQL and SQL thresholds written into the definition swept,
 * the old values in comments. A draft is updated in place (it is still under review); an approved
 * version gets a new draft version, so what was approved is never changed.
 */
export async function writeThresholds(
  conn: DuckDBConnection,
  version: string,
  rec: Recommendation,
  runId: number,
): Promise<{ version: string; yaml: string }> {
  const row = (
    await conn.runAndReadAll(
      "select status, definition_yaml, parent_version from model_versions where version = $v",
      { v: version },
    )
  ).getRowObjectsJson()[0];
  const text = row ? String(row.definition_yaml) : null;
  if (!text) throw new Error(`writeThresholds: version ${version} is not in the registry`);
  const doc = parseDocument(text);
  const def = parseDefinition(text, `registry version ${version}`).def;
  const target = row?.status === "draft" ? version : await nextVersion(conn, version);
  doc.set("version", target);
  doc.set("status", "draft");
  doc.delete("approved");
  const set = (stage: string, value: number) => {
    const i = def.thresholds.findIndex((t) => t.stage === stage);
    const node = doc.getIn(["thresholds", i], true);
    if (!isMap(node)) return;
    const old = def.thresholds[i]?.min_score;
    const existing = node.get("min_score", true);
    if (isScalar(existing)) existing.value = value;
    else node.set("min_score", new Scalar(value));
    const note = `min_score ${old === value ? "kept" : `was ${old}`}: recommended by leadcal thresholds (run ${runId})`;
    const scalar = node.get("min_score", true);
    if (node.flow) node.comment = ` ${note}`;
    else if (isScalar(scalar)) scalar.comment = ` ${note}`;
  };
  if (rec.mql) set(rec.mql.stage, rec.mql.threshold);
  set(rec.sql.stage, rec.sql.threshold);
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  parseDefinition(yaml, "the definition with the recommended thresholds");
  if (target === version) {
    await conn.run(
      "update model_versions set definition_yaml = $y, definition_sha256 = $sha where version = $v",
      { y: yaml, sha: createHash("sha256").update(yaml).digest("hex"), v: version },
    );
  } else {
    await registerVersion(conn, {
      version: target,
      status: "draft",
      origin: "calibrated",
      parent: version,
      file: null,
      yaml,
    });
  }
  return { version: target, yaml };
}
