#!/usr/bin/env node
// Start the patched moto server (test/integration/moto/launcher.py) on 127.0.0.1 for manual runs:
//
//   node scripts/moto.mjs [--port 5055]
//
// It prints the environment to paste into another shell (the tool and the AWS CLI then talk to moto
// and to nothing else), and stops the server on Ctrl-C. Needs Node >= 22.18 (it imports the
// TypeScript helper directly) and moto 5.2.1 in `python3`.
import { startMotoServer } from "../test/integration/moto-server.ts";

const at = process.argv.indexOf("--port");
const port = at > 0 ? Number(process.argv[at + 1]) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error("usage: node scripts/moto.mjs [--port N]");
  process.exit(2);
}

const moto = await startMotoServer(port === undefined ? {} : { port });
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
