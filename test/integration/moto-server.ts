// A moto server for the integration tests: our launcher (moto 5.2.1 with the gaps our templates hit
// patched, see moto/launcher.py) on a free port on 127.0.0.1, Docker-less Lambda, and the environment
// a child process needs to talk to it and to nothing else.
//
//   const moto = await startMotoServer();
//   const cfn = new CloudFormationClient(moto.clientConfig("us-east-1"));
//   spawn("node", ["dist/cli.js", ...], { env: moto.env("us-east-1") });
//   await moto.queueLambdaResults("eu-west-1", [JSON.stringify(answer)]);
//   await moto.reset();
//   await moto.stop();

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const MOTO_ACCOUNT_ID = "123456789012";
const HOST = "127.0.0.1"; // loopback only, ever
const LAUNCHER = fileURLToPath(new URL("./moto/launcher.py", import.meta.url));
const OUTPUT_KEPT = 64 * 1024;

export interface MotoServerOptions {
  /** Port to bind; a free one is picked when omitted. */
  readonly port?: number;
  /** How long to wait for the server to answer (it needs about 3-5 s to import moto). */
  readonly startTimeoutMs?: number;
  /** Python interpreter with moto 5.2.1 (default: the XREGION_PYTHON variable, else `python3`). */
  readonly python?: string;
  /**
   * The demo only: reveal each stack's events this many ms apart (slow resource types several steps),
   * so a progress view sees a stack being built instead of built already. Tests leave it unset.
   */
  readonly paceMs?: number;
  /**
   * How long a stack whose change set was executed stays CREATE_/UPDATE_IN_PROGRESS (launcher.py, "Stack
   * lifecycle"): moto finishes it inside the request, so without this no other run ever sees it in progress.
   */
  readonly stackBusyMs?: number;
  /**
   * The bench: how many seconds on AWS an executed change set keeps a stack of each stage in progress at
   * least (by its xregion-private-api:stage tag: 1, 2, 3), scaled by timeScale.
   */
  readonly stageSeconds?: Readonly<Record<string, number>>;
  /** How long a new VPC function stays Pending before it is Active (the launcher's default when omitted). */
  readonly lambdaPendingMs?: number;
  /**
   * How many seconds on AWS one second of the launcher stands for, in the delays it models on AWS's
   * durations (patches/common.py aws_delay; e.g. Lambda lets go of a detached function's interfaces after
   * 4 minutes and deletes them after 30). The launcher's 60 when omitted; 1: AWS's own durations.
   */
  readonly timeScale?: number;
  /** Variables set for the launcher over its own (the loopback guard's test takes its keys away). */
  readonly launcherEnv?: NodeJS.ProcessEnv;
}

/** What an SDK v3 client needs to talk to moto (spread into the client's constructor). */
export interface MotoClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface MotoServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly pid: number;
  /**
   * The environment for a child process (the CLI, the AWS CLI): this process's environment without
   * any AWS_* variable, plus the endpoint, test credentials, empty config/credentials files (so no
   * profile or real file is read), no instance metadata; AWS_REGION/AWS_DEFAULT_REGION when given.
   */
  env(region?: string): NodeJS.ProcessEnv;
  clientConfig(region: string): MotoClientConfig;
  /** Forget every resource in every region (POST /moto-api/reset); Lambda stays Docker-less. */
  reset(): Promise<void>;
  /** Answers the next Invoke calls in `region` return, in order (then the request payload is echoed). */
  queueLambdaResults(region: string, payloads: readonly string[]): Promise<void>;
  /**
   * Make a function Inactive now, as Lambda makes one idle for weeks (patches/lambda_functions.py). Its restore
   * takes AWS's 75 s on the server's clock, or `restoreSeconds` of wall time where that clock is too fast to see it.
   */
  makeFunctionInactive(region: string, functionName: string, restoreSeconds?: number): Promise<void>;
  /**
   * Make moto load its CloudFormation and EC2 backends in these regions now (its first call there
   * takes ~0.5 s more), so a timed run measures the tool, not moto's start-up.
   */
  warmUp(regions: readonly string[]): Promise<void>;
  /** The server's recent stdout/stderr, for failure messages. */
  output(): string;
  /** Stop the server (its own PID only) and remove the temporary files. */
  stop(): Promise<void>;
}

export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  // A port someone else listens on would answer the readiness check for a launcher that cannot bind it.
  if (options.port !== undefined && !(await isFree(options.port))) {
    throw new Error(`port ${options.port} on ${HOST} is in use: choose another one, or none for a free one`);
  }
  const port = options.port ?? (await freePort());
  const python = options.python ?? (process.env["XREGION_PYTHON"] || "python3");
  const endpoint = `http://${HOST}:${port}`;
  const scratch = mkdtempSync(join(tmpdir(), "xregion-moto-"));
  const configFile = join(scratch, "config");
  const credentialsFile = join(scratch, "credentials");
  writeFileSync(configFile, "");
  writeFileSync(credentialsFile, "");

  const launcherArgs = [
    ...(options.paceMs ? ["--pace-ms", String(options.paceMs)] : []),
    ...(options.stackBusyMs ? ["--stack-busy-ms", String(options.stackBusyMs)] : []),
    ...(options.stageSeconds ? ["--stage-seconds", Object.entries(options.stageSeconds).map(([key, s]) => `${key}=${s}`).join(",")] : []),
    ...(options.lambdaPendingMs === undefined ? [] : ["--lambda-pending-ms", String(options.lambdaPendingMs)]),
    ...(options.timeScale === undefined ? [] : ["--time-scale", String(options.timeScale)]),
  ];
  const child = spawn(python, [LAUNCHER, "--port", String(port), ...launcherArgs], {
    // moto reads a REST service's routes from a boto3 client it creates per request (moto/core/responses.py
    // _get_method_urls), and creating one resolves credentials: with none, botocore asks the instance
    // metadata service at 169.254.169.254. Keys of its own keep it on this machine; it never signs with them.
    // moto's recorder (/moto-api/recorder) writes its file into the working directory unless told where.
    env: { ...withoutAws(process.env), AWS_ACCESS_KEY_ID: "moto", AWS_SECRET_ACCESS_KEY: "moto", AWS_EC2_METADATA_DISABLED: "true", MOTO_RECORDER_FILEPATH: join(scratch, "recording.jsonl"), ...options.launcherEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Every connection the launcher refused (launcher.py, _loopback_only, one stderr line each), kept
  // whatever the output's length; each line read once, as it completes.
  const refused = new Set<string>();
  let partial = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      const host = /xregion launcher: refused a connection beyond loopback to (\S+)/.exec(line)?.[1];
      if (host) refused.add(host);
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      output += `\ncould not start ${python} (XREGION_PYTHON names another interpreter): ${error.message}`;
      resolve(null);
    });
  });
  const killOnExit = (): void => {
    if (child.exitCode === null && child.pid !== undefined) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const cleanup = (): void => {
    process.removeListener("exit", killOnExit);
    rmSync(scratch, { recursive: true, force: true });
  };

  try {
    await waitUntilUp(endpoint, child, exited, options.startTimeoutMs ?? 20_000, () => output);
    await post(endpoint, "/moto-api/config", { lambda: { use_docker: false } });
  } catch (error) {
    await stopChild(child, exited);
    cleanup();
    throw error;
  }

  const server: MotoServer = {
    port,
    endpoint,
    pid: child.pid ?? -1,
    env(region?: string) {
      return {
        ...withoutAws(process.env),
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_CONFIG_FILE: configFile,
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_EC2_METADATA_DISABLED: "true",
        ...(region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {}),
      };
    },
    clientConfig(region: string) {
      return { region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    },
    async reset() {
      await post(endpoint, "/moto-api/reset", undefined);
      await post(endpoint, "/moto-api/config", { lambda: { use_docker: false } });
    },
    async queueLambdaResults(region: string, payloads: readonly string[]) {
      await post(endpoint, "/moto-api/static/lambda-simple/response", {
        results: payloads,
        region,
        account_id: MOTO_ACCOUNT_ID,
      });
    },
    async makeFunctionInactive(region: string, functionName: string, restoreSeconds?: number) {
      await post(endpoint, "/moto-api/xregion/lambda-inactive", { region, account_id: MOTO_ACCOUNT_ID, function_name: functionName, restore_seconds: restoreSeconds });
    },
    async warmUp(regions: readonly string[]) {
      for (const region of regions) {
        await query(endpoint, region, "cloudformation", "Action=ListStacks&Version=2010-05-15");
        await query(endpoint, region, "ec2", "Action=DescribeVpcs&Version=2016-11-15");
      }
    },
    output: () => output,
    async stop() {
      await stopChild(child, exited);
      cleanup();
      // The rule of these tests: nothing beyond loopback, moto included. A suite whose moto tried fails here.
      if (refused.size > 0) throw new Error(`moto tried to connect beyond loopback, to ${[...refused].join(", ")} (refused); find what asked with the launcher's output:\n${output.slice(-2000)}`);
    },
  };
  return server;
}

/** A copy of `env` without any AWS_* variable (profiles, keys, regions, endpoints, files). */
export function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_")));
}

/** A port nothing listens on at 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

async function waitUntilUp(
  endpoint: string,
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (gone !== undefined || child.exitCode !== null || child.pid === undefined) {
      await exited;
      throw new Error(`moto launcher exited (code ${String(gone ?? child.exitCode)}):\n${output()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

async function post(endpoint: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${endpoint}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${path} answered ${response.status}: ${text}`);
}

/** An unsigned query-protocol call; moto reads the service and region from the credential scope. */
async function query(endpoint: string, region: string, service: string, body: string): Promise<void> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${service} ${body} in ${region} answered ${response.status}: ${text}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM"); // this child's own PID
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
