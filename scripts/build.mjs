import { build } from "esbuild";
import { chmod, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { aliases } from "./aliases.mjs";

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
const root = fileURLToPath(new URL("..", import.meta.url));

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });
const bundled = await build({
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  entryNames: "[name]",
  // Each lazily imported command becomes its own chunk, so `--help` parses a few kilobytes, not the SDK.
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  splitting: true,
  minify: true,
  keepNames: false,
  sourcemap: false,
  legalComments: "none",
  alias: aliases,
  mainFields: ["module", "main"],
  define: {
    "process.env.NODE_ENV": '"production"',
    __VERSION__: JSON.stringify(pkg.version),
  },
  banner: {
    // Bundled CommonJS dependencies still call require(), for Node's built-ins only: give them one that
    // loads node:module only if something else is ever asked for.
    js: '#!/usr/bin/env node\nconst require = (id) => process.getBuiltinModule(id) ?? process.getBuiltinModule("node:module").createRequire(import.meta.url)(id);',
  },
  logLevel: "warning",
  // `BUILD_METAFILE=meta.json npm run build`: what each chunk holds and imports, for https://esbuild.github.io/analyze/
  metafile: process.env.BUILD_METAFILE !== undefined,
  plugins: [
    {
      // Ink imports React DevTools only when DEV is set; the package is optional and not shipped.
      name: "no-react-devtools",
      setup(build) {
        build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
        build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {};", loader: "js" }));
      },
    },
    schemaKeysInlined(),
    yogaWasmAsFile(),
    inkHelpersTrimmed(),
    builtinsOnDemand(),
  ],
});
await chmod(new URL("../dist/cli.js", import.meta.url), 0o755);
if (process.env.BUILD_METAFILE) await writeFile(process.env.BUILD_METAFILE, JSON.stringify(bundled.metafile));

// The templates' facts (descriptions, named IAM, where each spells its API Deployment's id for the rename)
// read once here with the YAML parser, so that a deploy reads a small JSON file instead of loading the
// parser (about 8 MB less peak memory; npm run bench). A shipped template with a reference to its
// Deployment that cannot be renamed fails the build.
// The same parser and hash as at run time, compiled on the fly: the build must not depend on Node's type
// stripping.
const factsModule = new URL("../dist/.template-facts.mjs", import.meta.url);
await build({
  stdin: {
    contents: `export { templateFacts } from "./src/aws/template-facts.ts"; export { templateHash } from "./src/aws/templates.ts";`,
    resolveDir: root,
    loader: "ts",
  },
  outfile: factsModule.pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
});
const { templateFacts, templateHash } = await import(factsModule.href);
await rm(factsModule);
const templates = new URL("../templates/", import.meta.url);
const facts = {};
for (const file of (await readdir(templates)).filter((f) => f.endsWith(".yaml")).sort()) {
  const body = await readFile(new URL(file, templates), "utf8");
  const read = templateFacts(body);
  if (read.deployment?.refused) throw new Error(`templates/${file}: ${read.deployment.refused}`);
  facts[templateHash(body)] = { template: file, ...read };
}
await writeFile(new URL("../dist/template-facts.json", import.meta.url), `${JSON.stringify(facts)}\n`);

// The AWS SDK's schema modules build their shapes with computed keys (`{ [_xN]: _m }`) whose names are
// string constants at the top of the same file. esbuild must assume a computed key can run code, so it
// keeps every shape: all 550 kB of EC2's schemas for our two EC2 calls. Writing each key as the string
// its constant holds changes nothing at run time and lets the unused shapes go (EC2: 550 kB → 30 kB,
// and the memory it took; npm run bench).
function schemaKeysInlined() {
  return {
    name: "aws-sdk-schema-keys",
    setup(build) {
      build.onLoad({ filter: /@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async ({ path }) => {
        const text = await readFile(path, "utf8");
        const constants = new Map([...text.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm)].map((m) => [m[1], m[2]]));
        let rewritten = 0;
        const contents = text.replace(/\[(_\w+)\]:/g, (key, name) => (constants.has(name) ? (rewritten++, `${constants.get(name)}:`) : key));
        // The SDK changed its schema format: say so rather than quietly ship 550 kB (and the memory) again.
        if (rewritten === 0 && /\[_\w+\]:/.test(text)) throw new Error(`${path}: no computed schema key could be rewritten; revisit schemaKeysInlined`);
        return { contents, loader: "js" };
      });
    },
  };
}

// `import fs from "node:fs"` makes Node build the module's ESM namespace, reading every export, and some
// exports are getters that load more of Node: node:fs's `promises` loads readline, node:process's
// `report` and `finalization` load theirs, node:util's load parse_args, diff and workers, and node:http's
// load undici, Node's whole fetch (15 MB; the SDK imports node:http for an http:// endpoint such as
// moto's). Those cost about 10 ms before `--help` prints anything. The bundle instead takes each built-in
// from process.getBuiltinModule (the object `require` returns) and reads an export only where the code
// uses it: every export is a pure call that esbuild drops when nothing uses it.
function builtinsOnDemand() {
  const require = createRequire(import.meta.url);
  const builtins = new Set(builtinModules.flatMap((name) => (name.startsWith("node:") ? [name] : [name, `node:${name}`])));
  return {
    name: "builtins-on-demand",
    setup(build) {
      // Commander imports child_process to run subcommands kept in executables of their own (ours are
      // not), terminal-size to ask tput when the terminal does not say its size (Ink's does): both get
      // functions that load child_process (and dgram…) only if ever called.
      build.onResolve({ filter: /^node:child_process$/ }, ({ importer }) =>
        /[\\/](commander|terminal-size)[\\/]/.test(importer) ? { path: "child_process", namespace: "lazy-child-process" } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
        contents: [
          'const load = () => process.getBuiltinModule("node:child_process");',
          "export const spawn = (...args) => load().spawn(...args);",
          "export const execFileSync = (...args) => load().execFileSync(...args);",
          "export default { spawn, execFileSync };",
        ].join("\n"),
        loader: "js",
      }));
      // One copy per importing file, so a file evaluates only the exports it names, when its chunk loads.
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, ({ path, kind, importer }) =>
        kind === "import-statement" && builtins.has(path) ? { path: path.replace(/^node:/, ""), namespace: "builtin", suffix: `?${importer}` } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "builtin" }, ({ path }) => {
        const names = Object.keys(require(`node:${path}`)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
        const lines = [
          `const builtin = /* @__PURE__ */ process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`,
          "const read = (name) => builtin[name];",
          "export default builtin;",
          ...names.map((name, i) => `const e${i} = /* @__PURE__ */ read(${JSON.stringify(name)});\nexport { e${i} as ${name} };`),
        ];
        return { contents: lines.join("\n"), loader: "js" };
      });
      // A dependency's `await import("node:http")`: an object that reads the built-in's exports as they are
      // asked for (through its prototype), with the built-in as `default`, as a namespace would have it.
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, async ({ path }) => {
        const text = await readFile(path, "utf8");
        const dynamic = /\bimport\((["'])(node:[a-z_/]+)\1\)/g;
        if (!dynamic.test(text)) return undefined;
        const contents = text.replace(dynamic, (_, _quote, name) =>
          `Promise.resolve().then(() => { const m = globalThis.process.getBuiltinModule(${JSON.stringify(name)}); return Object.assign(Object.create(m), { default: m }); })`,
        );
        return { contents, loader: "js" };
      });
    },
  };
}

// yoga-layout (Ink's layout engine) carries its WebAssembly as a data: URI, and its Emscripten loader asks
// the global fetch() for it first, falling back to decoding it itself when that fails. In Node, fetch is
// undici: asking it loads all of it, HTTP/2 included, for a URI it hands back anyway. The loader is told
// there is no fetch. And the 83 kB of WebAssembly ship as dist/chunks/yoga.wasm, which the loader reads
// (Emscripten's wasmBinary), instead of 121 kB of base64 in the live view's source: a source is a string
// on V8's heap for as long as the process runs, and the base64 literal and its decoding were two more
// (npm run bench: the live view's peak).
function yogaWasmAsFile() {
  const dataUri = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
  let wasm;
  return {
    name: "yoga-wasm-as-file",
    setup(build) {
      build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/ }, async ({ path }) => {
        const text = await readFile(path, "utf8");
        const base64 = dataUri.exec(text)?.[1];
        const noFetch = text.replaceAll('"function"!=typeof fetch', "!0");
        const contents = noFetch
          .replace(dataUri, '"data:application/octet-stream;base64,"')
          .replace("h.wasmBinary&&(w=h.wasmBinary)", 'w=h.wasmBinary||globalThis.process.getBuiltinModule("node:fs").readFileSync(new URL("yoga.wasm",import.meta.url))');
        // yoga changed its loader: say so rather than quietly load undici or the base64 (and their memory) again.
        if (base64 === undefined || noFetch === text || !contents.includes('new URL("yoga.wasm"')) throw new Error(`${path}: loader not as expected; revisit yogaWasmAsFile`);
        wasm = Buffer.from(base64, "base64");
        return { contents, loader: "js" };
      });
      // Beside the chunk that holds the loader, where its import.meta.url points.
      build.onEnd(async () => {
        if (wasm) await writeFile(new URL("../dist/chunks/yoga.wasm", import.meta.url), wasm);
      });
    },
  };
}

// Two of Ink's helpers load parts of Node the live view never uses (npm run bench: the live view's peak).
// Ink and restore-cursor each carry a copy of signal-exit 3, which loads node:assert (with its diff
// engine) for one argument check: both get signal-exit 4's onExit, the copy @inquirer/prompts already
// ships, with the same call and options. stack-utils, for Ink's error overview, loads node:module at start
// to build a pattern per built-in module; only its clean() reads them and Ink calls parseLine() alone.
function inkHelpersTrimmed() {
  return {
    name: "ink-helpers-trimmed",
    setup(build) {
      // Ink and restore-cursor ask for it apart: one look-up serves both.
      let current;
      const signalExit4 = async () => {
        const resolved = await build.resolve("signal-exit", { kind: "import-statement", resolveDir: root });
        const manifest = JSON.parse(await readFile(resolved.path.replace(/dist[\\/]mjs[\\/]index\.js$/, "package.json"), "utf8"));
        // Another signal-exit: say so rather than hand Ink a different API.
        if (!manifest.version.startsWith("4.")) throw new Error(`signal-exit ${manifest.version} is not 4.x; revisit inkHelpersTrimmed`);
        return resolved.path;
      };
      build.onResolve({ filter: /^signal-exit$/ }, async ({ importer }) => {
        if (!/[\\/]node_modules[\\/](ink|restore-cursor)[\\/]/.test(importer)) return undefined;
        current ??= signalExit4();
        return { path: await current, namespace: "signal-exit-3" };
      });
      build.onLoad({ filter: /.*/, namespace: "signal-exit-3" }, ({ path }) => ({
        contents: `import { onExit } from ${JSON.stringify(path)};\nexport default onExit;`,
        loader: "js",
        resolveDir: root,
      }));
      build.onLoad({ filter: /[\\/]node_modules[\\/]stack-utils[\\/]index\.js$/ }, async ({ path }) => {
        const text = await readFile(path, "utf8");
        const contents = text.replace("require('module').builtinModules", "[]");
        if (contents === text) throw new Error(`${path}: no builtinModules list to drop; revisit inkHelpersTrimmed`);
        return { contents, loader: "js" };
      });
    },
  };
}
