import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { runCli } from "../helpers/cli.ts";

describe("leadcal --help", () => {
  it("lists every verb", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of buildProgram().commands) expect(r.stdout).toContain(c.name());
  });

  const verbs = buildProgram().commands.map((c) => c.name());
  it.each(verbs)("%s --help says what it does and exits 0", async (verb) => {
    const r = await runCli([verb, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: leadcal ${verb}`));
    expect(r.stdout.split("\n").length).toBeGreaterThan(3);
  });

  it("an unknown verb is a usage error, not a crash", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
