// `npm run bench`: every performance figure of the project, each printed next to its anchor measured in
// the same run. Sections: start-up (help, plan, first question), first npx run, engine, moto deploy,
// teardown (Lambda's network interfaces released by us, next to the plain stack deletes), doctor on moto,
// throttle (a deploy with 40 % of AWS calls throttled, next to a calm one), regions (three client regions'
// deploy next to one region's, with AWS-like durations, and the live view at 80 columns).
// Pass section names to run only some: `npm run bench -- startup engine`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pair, report, timeOnce, timeToScreen } from "./bench/measure.mjs";

const root = resolve(import.meta.dirname, "..");
const cli = join(root, "dist/cli.js");
const wanted = new Set(process.argv.slice(2));
const runs = Number(process.env.BENCH_RUNS ?? 9);
const want = (section) => wanted.size === 0 || wanted.has(section);

timeOnce("npm", ["run", "build"], { cwd: root });
// No credentials and AWS on loopback: the first question starts the credentials check, which must neither
// find a person's keys nor ask the instance metadata service (169.254.169.254) for some.
const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NO_COLOR: "1",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};
const nodeZero = () => timeOnce(process.execPath, ["-e", "0"]);

if (want("startup")) {
  const work = mkdtempSync(join(tmpdir(), "xregion-bench-"));
  const planArgs = [cli, "plan", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--out", join(work, "plan")];
  const ttyEnv = { ...baseEnv, TERM: "xterm-256color" };
  delete ttyEnv.CI;
  const rows = [
    { ...(await pair("--help", runs, () => timeOnce(process.execPath, [cli, "--help"]), nodeZero)), anchor: "node -e 0", budget: 1.5 },
    { ...(await pair("plan (writes the templates)", runs, () => timeOnce(process.execPath, planArgs, { env: { ...baseEnv, CI: "true" } }), nodeZero)), anchor: "node -e 0", budget: 4 },
    {
      ...(await pair(
        "first question on screen (pty)",
        runs,
        () => timeToScreen(`${process.execPath} ${cli} deploy`, "Deployment name", { env: ttyEnv, cwd: work }),
        () => timeToScreen(`${process.execPath} -e "console.log('ready')"`, "ready", { env: ttyEnv, cwd: work }),
      )),
      anchor: "node -e (print, same pty)",
      budget: 2,
    },
  ];
  console.log("\nStart-up (median of", runs, "interleaved runs)");
  report(rows);
  rmSync(work, { recursive: true, force: true });
}

if (want("npx")) {
  const { npxRows } = await import("./bench/npx.mjs");
  console.log("\nFirst npx run from an empty npm cache (registry reachable)");
  report(await npxRows(root));
}

if (want("engine")) {
  const { engineRows } = await import("./bench/engine.mjs");
  console.log("\nDeploy engine on a scripted CloudFormation timeline");
  await engineRows(root);
}

if (want("moto")) {
  const { motoRows } = await import("./bench/moto.mjs");
  console.log("\nWhole deploy against moto, next to the AWS CLI doing the same");
  await motoRows(root);
}

if (want("teardown")) {
  const { teardownRows } = await import("./bench/teardown.mjs");
  console.log("\nTeardown on the model of Lambda's network interfaces, AWS-like durations at 1:60");
  await teardownRows(root);
}

if (want("doctor")) {
  const { doctorRows } = await import("./bench/doctor.mjs");
  console.log("\ndoctor against moto (median of", runs, "runs)");
  await doctorRows(root, runs);
}

if (want("throttle")) {
  const { throttleRows } = await import("./bench/throttle.mjs");
  console.log("\nDeploy with 40 % of AWS calls throttled (seeded proxy in front of moto), next to a calm deploy");
  await throttleRows(root);
}

if (want("regions")) {
  const { regionsRows } = await import("./bench/regions.mjs");
  console.log("\nThree client regions against one, AWS-like durations at 1:60");
  await regionsRows(root);
}
