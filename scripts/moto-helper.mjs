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

/** A port from a flag or variable (`source` names it): undefined when not given; throws with the fix when it is no port. */
export function parsePort(text, source) {
  if (text === undefined || text === "") return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new Error(`${source} "${text}" is not a port: give a number from 1 to 65535`);
  return port;
}

/** The line that says what moto needs, for a launcher that did not start. */
export const MOTO_NEEDED = "moto 5.2.1 with its server, in `python3` or the interpreter XREGION_PYTHON names: python3 -m pip install 'moto[server]==5.2.1'";
