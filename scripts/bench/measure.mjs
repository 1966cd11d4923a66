// Whole-process timing helpers for `npm run bench`: runs interleave the figure and its anchor (A B A B…)
// so a machine that speeds up or slows down mid-run moves both, and the medians are quoted.
import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function timeOnce(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  const ms = performance.now() - started;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`);
  }
  return ms;
}

// Starts a command in a pseudo-terminal (util-linux `script`) and resolves when `text` appears on screen.
export function timeToScreen(commandLine, text, { env, cwd, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("script", ["-qfec", commandLine, "/dev/null"], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let seen = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`"${text}" did not appear within ${timeoutMs} ms; screen: ${seen.slice(-300)}`));
    }, timeoutMs);
    child.stdout.on("data", (chunk) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        const ms = performance.now() - started;
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve(ms);
      }
    });
  });
}

export async function pair(label, runs, a, b) {
  await a();
  await b();
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return { label, a: median(as), b: median(bs), ratio: median(as.map((v, i) => v / bs[i])) };
}

export function report(rows) {
  for (const row of rows) {
    const verdict = row.budget === undefined ? "" : row.ratio <= row.budget ? "  within budget" : "  OVER BUDGET";
    const budget = row.budget === undefined ? "" : ` (budget ≤ ${row.budget}×)`;
    console.log(
      `${row.label.padEnd(44)} ${row.a.toFixed(0).padStart(6)} ms  vs ${row.anchor.padEnd(26)} ${row.b.toFixed(0).padStart(6)} ms  ratio ${row.ratio.toFixed(2)}×${budget}${verdict}`,
    );
  }
}

/**
 * The built CLI (or any Node script) run without blocking this process: moto's log goes to a pipe this
 * process reads, and the throttling proxy answers from it, so its event loop must keep running (a
 * synchronous child would stop both). Interrupted with SIGINT after `timeoutMs`, when given.
 */
export function runNode(args, { cwd, env, timeoutMs } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
