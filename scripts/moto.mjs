#!/usr/bin/env node
// Start the patched moto server (test/integration/moto/launcher.py) on 127.0.0.1 for manual runs:
//
//   node scripts/moto.mjs [--port 5055] [--api-region us-east-1] [--client-region eu-west-1]
//                         [--api-cidr 10.10.0.0/16] [--client-cidr 10.20.0.0/16]
//
// It prints the environment to paste into another shell (the tool and the AWS CLI then talk to moto
// and to nothing else), and stops the server on Ctrl-C. moto never runs the client function, so it
// queues what the function answers on a working path (the demo's answers) for a deployment with these
// regions and ranges. Needs the Node of package.json's engines and moto 5.2.1 in `python3` (or
// XREGION_PYTHON).
import { parseArgs } from "node:util";
import { nodeProblem } from "./check-node.mjs";
import { clientAnswers, QUEUED_ANSWERS as QUEUED } from "./client-answers.mjs";
import { MotoProblem, parsePort, startMoto } from "./moto-helper.mjs";

const USAGE =
  "usage: node scripts/moto.mjs [--port N] [--api-region R] [--client-region R] [--api-cidr CIDR] [--client-cidr CIDR]";

const problem = nodeProblem();
if (problem) {
  console.error(problem);
  process.exit(2);
}
let options;
let port;
try {
  ({ values: options } = parseArgs({
    options: {
      port: { type: "string" },
      "api-region": { type: "string", default: "us-east-1" },
      "client-region": { type: "string", default: "eu-west-1" },
      "api-cidr": { type: "string", default: "10.10.0.0/16" },
      "client-cidr": { type: "string", default: "10.20.0.0/16" },
    },
  }));
  port = parsePort(options.port, "--port");
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}

let moto;
try {
  moto = await startMoto(port === undefined ? {} : { port }, { portFix: (free) => `node scripts/moto.mjs --port ${free}`, rerun: "node scripts/moto.mjs" });
} catch (error) {
  if (!(error instanceof MotoProblem)) throw error;
  console.error(error.message);
  process.exit(1);
}
const answers = {
  apiRegion: options["api-region"],
  clientRegion: options["client-region"],
  apiCidr: options["api-cidr"],
  clientCidr: options["client-cidr"],
};
await moto.queueLambdaResults(answers.clientRegion, clientAnswers(answers, QUEUED));

const env = moto.env();
console.log(`# moto (patched) on ${moto.endpoint}, pid ${moto.pid}; Ctrl-C stops it. In another shell:`);
for (const key of [
  "AWS_ENDPOINT_URL",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
]) {
  console.log(`export ${key}=${env[key]}`);
}
console.log("unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN");
console.log(
  `# The client function never runs in moto: ${QUEUED} answers of a working path (HTTP 200 from an API in ${answers.apiRegion},\n` +
    `# ${answers.apiCidr}, called from ${answers.clientCidr}) are queued in ${answers.clientRegion} for verification to read.\n` +
    `# Deploy with --api-region ${answers.apiRegion} --client-region ${answers.clientRegion}, or start this with other --api-region/--client-region.`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await moto.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30); // stay in the foreground
