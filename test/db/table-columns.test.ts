import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { tableColumns } from "../../src/db/table-columns.ts";

async function withConnection<T>(fn: (conn: Awaited<ReturnType<DuckDBInstance["connect"]>>) => Promise<T>) {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("tableColumns", () => {
  it("lists a table's columns with their types, in table order", async () => {
    await withConnection(async (conn) => {
      await conn.run("create table leads (lead_id varchar, created_at timestamp, employees integer)");
      expect([...(await tableColumns(conn, "leads"))]).toEqual([
        ["lead_id", "VARCHAR"],
        ["created_at", "TIMESTAMP"],
        ["employees", "INTEGER"],
      ]);
    });
  });

  it("ignores a temp table of the same name, and knows no columns of a table that does not exist", async () => {
    await withConnection(async (conn) => {
      await conn.run("create table deals (deal_id varchar)");
      await conn.run("create temp table deals (staged_text varchar, _row bigint)");
      expect([...(await tableColumns(conn, "deals")).keys()]).toEqual(["deal_id"]);
      expect((await tableColumns(conn, "no_such_table")).size).toBe(0);
    });
  });
});
