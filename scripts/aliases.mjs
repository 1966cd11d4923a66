import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const sdkCore = dirname(require.resolve("@aws-sdk/core/package.json"));

// The SDK keeps its region list (partitions.js) behind its package exports; we read that very
// copy instead of keeping our own list, so validation moves with the SDK we ship.
export const aliases = {
  "aws-sdk-partitions": join(sdkCore, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"),
};
