import { DuckDBInstance, quotedString as qs } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanedText, normalisedWord } from "../../src/load/columns.ts";

// The cleaning expressions take shortcuts for speed (only padded values are trimmed, only short values are
// compared with the missing words); these cases pin down that the shortcuts give the plain answer.
describe("value cleaning SQL", () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
  });
  afterAll(() => instance.closeSync());

  async function apply(expr: (v: string) => string, values: (string | null)[]): Promise<(string | null)[]> {
    const conn = await instance.connect();
    const list = values.map((v) => (v === null ? "null" : qs(v))).join(", ");
    const rows = (
      await conn.runAndReadAll(
        `select ${expr("v")} as out from (select unnest([${list}]::varchar[]) as v, generate_subscripts([${list}]::varchar[], 1) as i) order by i`,
      )
    ).getRowObjectsJS();
    conn.closeSync();
    return rows.map((r) => (r.out === null ? null : String(r.out)));
  }

  it("reads the missing words as NULL in any case and with any padding, and trims only what needs it", async () => {
    const cases: [string | null, string | null][] = [
      ["", null],
      ["   ", null],
      ["null", null],
      ["  NULL ", null],
      ["N/A", null],
      [" n/a", null],
      ["(No Value)", null],
      ["000000000000000AAA", null],
      [" 000000000000000AAA  ", null],
      ["Select", null],
      [" select ", null],
      ["abc", "abc"],
      [" abc ", "abc"],
      ["a b", "a b"],
      ["Nullable", "Nullable"],
      ["n/a please", "n/a please"],
      ["héllo ", "héllo"],
      ["0000000000000000000AAA", "0000000000000000000AAA"],
      [null, null],
    ];
    const out = await apply(
      (v) => cleanedText(v, ["Select"]),
      cases.map((c) => c[0]),
    );
    expect(out).toEqual(cases.map((c) => c[1]));
  });

  it("snake_cases closed-list values and leaves values already in that form alone", async () => {
    const cases: [string, string][] = [
      ["decision_maker", "decision_maker"],
      ["Decision Maker", "decision_maker"],
      ["form-fill", "form_fill"],
      ["web/organic", "web_organic"],
      ["  Email Open ", "email_open"],
      ["café", "café"],
      ["Café Visit", "café_visit"],
      ["v2.0", "v2.0"],
    ];
    const out = await apply(
      (v) => normalisedWord(v),
      cases.map((c) => c[0]),
    );
    expect(out).toEqual(cases.map((c) => c[1]));
  });
});
