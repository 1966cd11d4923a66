// The integration tests' moto helper (test/integration/moto-server.ts) for the scripts (demo, moto,
// bench), compiled here with esbuild instead of loaded through Node's type stripping, so the scripts run
// on every Node the package supports, without an "experimental" warning.
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";

const SOURCE = fileURLToPath(new URL("../test/integration/moto-server.ts", import.meta.url));

/** test/integration/moto-server.ts as a module: { startMotoServer, freePort, withoutAws, MOTO_ACCOUNT_ID }. */
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

const MOTO_VERSION = "5.2.1";

/**
 * Starts the patched moto server for a script (the demo, scripts/moto.mjs). A server that cannot start
 * throws a MotoProblem: what is wrong and the command that fixes it, in one or two lines to print as they
 * are — never the compiled helper's data: URL, a stack trace or the launcher's whole output.
 * `how.portFix(port)` is the command that picks another port, `how.rerun` the command that started the
 * script; with XREGION_DEBUG set, the whole error goes to stderr first.
 */
export async function startMoto(options, how) {
  const { startMotoServer, freePort } = await loadMotoServer();
  try {
    return await startMotoServer(options);
  } catch (error) {
    if (process.env.XREGION_DEBUG) console.error(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new MotoProblem(motoProblem(message, { python: process.env.XREGION_PYTHON || "python3", port: options.port, other: await freePort(), ...how }));
  }
}

/** A server that did not start, told in lines to print as they are. */
export class MotoProblem extends Error {
  constructor(lines) {
    super(lines.join("\n"));
    this.name = "MotoProblem";
    this.lines = lines;
  }
}

/**
 * What went wrong, read from startMotoServer's error (test/integration/moto-server.ts) and the launcher's
 * one-line refusals (moto/launcher.py): the problem, then `fix: <command>`.
 */
export function motoProblem(message, { python, port, other, portFix, rerun }) {
  if (/^port \d+ on 127\.0\.0\.1 is in use/.test(message)) {
    return [`Port ${port} on 127.0.0.1 is taken by another program, so the emulator cannot listen there.`, `fix: ${portFix(other)}`];
  }
  if (/could not start .*ENOENT/.test(message)) {
    if (python !== "python3") return [`The emulator (moto, in Python) cannot start: XREGION_PYTHON names ${python}, which does not exist.`, "fix: unset XREGION_PYTHON"];
    return [
      "The emulator (moto, in Python) cannot start: there is no python3 on this machine.",
      `fix: ${process.getuid?.() === 0 ? "" : "sudo "}apt-get install -y python3-pip && python3 -m pip install 'moto[server]==${MOTO_VERSION}'`,
    ];
  }
  // The launcher's own refusal: "moto 5.2.1 is needed, found 4.2.0: <python> -m pip install 'moto[server]==5.2.1'".
  const refusal = /^(moto \S+ (?:is needed|is there without)[^\n]*?): (\S+ -m pip install [^\n]+)$/m.exec(message);
  if (refusal) return [`The emulator cannot start: ${refusal[1]}.`, `fix: ${refusal[2]}`];
  const output = message.split("\n").slice(1).map((line) => line.trim()).filter(Boolean);
  const head = message.split("\n")[0].replace(/:$/, "");
  return [`The emulator did not start: ${head}${output.length > 0 ? `; its last line: ${output.at(-1)}` : ""}.`, `to see all it printed: XREGION_DEBUG=1 ${rerun}`];
}
