import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStatic, serveStatic } from "../../src/report/serve.ts";

describe("static server for the built site", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "leadcal-serve-"));
    mkdirSync(join(dir, "_file"));
    writeFileSync(join(dir, "index.html"), "home");
    writeFileSync(join(dir, "funnel.html"), "funnel");
    writeFileSync(join(dir, "_file", "x.json"), "{}");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("maps Framework's clean URLs to files, and never outside the folder", () => {
    expect(resolveStatic(dir, "/")).toBe(join(dir, "index.html"));
    expect(resolveStatic(dir, "/funnel")).toBe(join(dir, "funnel.html"));
    expect(resolveStatic(dir, "/funnel?x=1")).toBe(join(dir, "funnel.html"));
    expect(resolveStatic(dir, "/_file/x.json")).toBe(join(dir, "_file", "x.json"));
    expect(resolveStatic(dir, "/missing")).toBeNull();
    expect(resolveStatic(dir, "/../../etc/passwd")).toBeNull();
    expect(resolveStatic(dir, "/%2e%2e/%2e%2e/etc/passwd")).toBeNull();
  });

  it("serves on 127.0.0.1 with content types and 404s", async () => {
    const server = await serveStatic(dir, 0);
    try {
      const { address, port } = server.address() as { address: string; port: number };
      expect(address).toBe("127.0.0.1");
      const page = await fetch(`http://127.0.0.1:${port}/funnel`);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect(await page.text()).toBe("funnel");
      expect((await fetch(`http://127.0.0.1:${port}/_file/x.json`)).headers.get("content-type")).toMatch(
        /json/,
      );
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
