import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    env: { TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true" },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
