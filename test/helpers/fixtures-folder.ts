import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Vitest's global setup: one temp folder per test run for the fixtures test files share
 * (test/helpers/shared-fixture.ts), removed when the run ends.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "leadcal-shared-"));
  project.provide("sharedFixtures", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
