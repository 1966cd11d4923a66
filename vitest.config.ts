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
          fileParallelism: false,
        },
      },
    ],
  },
});
