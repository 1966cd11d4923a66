import { defineConfig } from "vitest/config";
import { aliases } from "./scripts/aliases.mjs";

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    projects: [
      {
        resolve: { alias: aliases },
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: ["test/integration/**"],
          setupFiles: ["test/helpers/loopback-only.ts"],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias: aliases },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          setupFiles: ["test/helpers/loopback-only.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time: each suite has its own moto on a free port and its own copy of the CLI, so they
          // share nothing, and most of their time is waiting (moto keeps AWS's durations, the CLI polls).
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
