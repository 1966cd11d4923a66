// The integration tests' moto helper (test/integration/moto-server.ts) for the scripts (demo, moto,
// bench), compiled here with esbuild instead of loaded through Node's type stripping, so the scripts run
// on every Node the package supports, without an "experimental" warning.
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";

const SOURCE = fileURLToPath(new URL("../test/integration/moto-server.ts", import.meta.url));

/** test/integration/moto-server.ts as a module: { startMotoServer, withoutAws, MOTO_ACCOUNT_ID }. */
export async function loadMotoServer() {
  const { outputFiles } = await build({
    entryPoints: [SOURCE],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "warning",
    // It finds its launcher beside itself; the compiled copy lives in a data: URL.
    define: { "import.meta.url": JSON.stringify(pathToFileURL(SOURCE).href) },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`);
}
