// `deploy`: answers → plan → (AWS from here on) preflight → confirm → stage 1, then each client region's two → verify.
import { answerText } from "../config/answers.js";
import { saveAnswersFile } from "../config/answers-file.js";
import { FailureError, InterruptedError } from "../errors.js";
import type { DeployResult, RegionOutcome } from "../steps/deploy/deploy.js";
import type { Plan } from "../steps/plan.js";
import type { StackStates } from "../steps/stacks.js";
import { stageRef } from "../steps/stages.js";
import { planLines } from "../ui/plan-text.js";
import { terminalColumns, wrapCommand, wrapLines } from "../ui/format.js";
import { type CommandContext, loadAnswers, type StackOutputs, stopOnCredentials, writeOutputsFile } from "./context.js";
import { deploymentNext, equivalentCommand, nextCommands } from "./next-steps.js";
import type { Session } from "./session.js";

/** `deploy`: questions and plan, then the AWS half. */
export async function runDeploy(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx);
  const { answers } = loaded;
  // The plan (and net/ with its range parser) loads after the questions, off the first question's path.
  const { buildPlan } = await import("../steps/plan.js");
  const plan = buildPlan(answers);
  const human = ctx.flags.progress === "json" ? ctx.stderr : ctx.stdout;
  const columns = terminalColumns(human);
  // Broken before its flags with " \\" to fit a terminal, so that it still pastes as one command.
  if (loaded.asked.length > 0) {
    const command = wrapCommand(`${equivalentCommand(ctx.invocation, answers, "deploy")} --yes`, 2, columns);
    human.write(`\nThe same run without questions:\n${command.join("\n")}\n\n`);
  }
  // Saved first: credentials found unusable while the questions were asked end the run before the plan,
  // and the answers are kept for the run after the fix.
  const unsaved = saveAnswersFile(loaded.path, { answers: answerText(answers), lastVerify: loaded.file?.lastVerify });
  await stopOnCredentials(loaded);
  human.write(`${wrapLines(planLines(plan, { parameters: false, maxParallel: ctx.flags.maxParallel }), columns).join("\n")}\n\n`);
  if (unsaved) human.write(`warning: ${unsaved}; the deploy goes on\n\n`);
  else if (loaded.file === undefined && ctx.flags.config !== undefined) human.write(`Created ${ctx.flags.config} with these answers (--config); later runs read them from it.\n\n`);
  return deployPlan(ctx, plan, loaded.path);
}

/**
 * The AWS half of `deploy`: preflight, confirm, the stages, then verification. Writes --outputs-file
 * whatever happens, and exits 1 unless every path really works. Its modules (the SDK among them) load
 * here, after the questions, so the first question appears without waiting for them.
 */
export async function deployPlan(ctx: CommandContext, planned: Plan, configFile: string): Promise<number> {
  const { answers } = planned;
  const [{ withSession }, { preflight }, { deployAll }, { buildPlan }] = await Promise.all([
    import("./session.js"),
    import("../steps/deploy/preflight.js"),
    import("../steps/deploy/deploy.js"),
    import("../steps/plan.js"),
  ]);
  return withSession(ctx, answers, "deploy", async (session) => {
    const checked = await preflight({ ...session, checkPermissions: ctx.flags.permissionCheck }, answers);
    if (checked.permissions.outcome === "denied") throw permissionsDenied(session, checked.permissions.denied.length);
    // The zones are known now, with their ids, and what the deployment keeps as it stands: the stacks get these.
    const plan = buildPlan(answers, checked.zones, checked.deployed);
    // Every question comes before the live view starts: a prompt cannot share the screen with Ink.
    const replace = await approvedReplacements(ctx, checked.existingStacks);
    const what = answers.clients.length > 1 ? `the stages of "${answers.name}" (stage 1 and ${answers.clients.length} client regions)` : `the three stages of "${answers.name}"`;
    if (ctx.interactive && !ctx.flags.yes && !(await confirm(`Deploy ${what} now?`, true))) {
      // A "no" is an answer, not an interruption: like a declined `sam deploy` change set, it ends with 0.
      session.emit({ kind: "result", operation: "deploy", ok: true, summary: "Nothing deployed.", next: [], at: Date.now() });
      return 0;
    }
    await session.goLive();
    const result = await deployAll({ ...session, confirmReplace: async (stack) => ctx.flags.yes || replace.has(stack) }, plan, { maxParallel: ctx.flags.maxParallel });
    if (ctx.flags.outputsFile) writeOutputsFile(ctx.flags.outputsFile, ctx.cwd, answers.name, stageOutputs(plan, result));
    return await finish(ctx, session, plan, result, configFile);
  });
}

// Each planned stack with the outputs this run learnt of it.
function stageOutputs(plan: Plan, result: DeployResult): StackOutputs[] {
  return plan.stages.map((stage) => {
    const outputs = stage.clientRegion === undefined ? result.outputs.api : result.outputs.clients[stage.clientRegion]?.[stage.number];
    return { ref: stageRef(stage), outputs };
  });
}

async function finish(ctx: CommandContext, session: Session, plan: Plan, result: DeployResult, configFile: string): Promise<number> {
  const { answers } = plan;
  const several = answers.clients.length > 1;
  if (result.kind === "cancelled") {
    // Said once, here (the stage's own line and what is left came before): deploy resumes where it stopped.
    const next = deploymentNext(ctx.invocation, answers, ["deploy", "status", "teardown"]);
    const summary = several && result.regions.length > 0 ? `Deployment cancelled. ${regionsText(result.regions)}` : "Deployment cancelled.";
    session.emit({ kind: "result", operation: "deploy", ok: false, summary, next, at: Date.now() });
    throw new InterruptedError(`Deployment cancelled. ${result.message}`, true);
  }
  if (result.kind === "failed") {
    const next = deploymentNext(ctx.invocation, answers, ["deploy", "teardown"]);
    const regions = several && result.regions.length > 0 ? ` ${regionsText(result.regions)}` : "";
    const where = several && result.clientRegion ? ` (${result.clientRegion})` : "";
    session.emit({ kind: "result", operation: "deploy", ok: false, summary: `${result.message}${regions}`, next, at: Date.now() });
    throw new FailureError(`stage ${result.stage}/3${where} failed: ${result.message}`, [
      `fix the cause and run deploy again to resume (finished stages are kept), or remove everything: ${next[1]}`,
    ]);
  }
  const targets = answers.clients.map(({ region }) => ({ region, functionName: result.outputs.clients[region]?.[2]?.["FunctionName"] }));
  const missing = targets.find((t) => !t.functionName);
  if (missing) throw new FailureError(`stack ${plan.stages.find((s) => s.key === "client" && s.clientRegion === missing.region)?.stackName} in ${missing.region} reported no FunctionName output: cannot verify the path`);
  const { runVerification } = await import("./verify.js");
  const ok = await runVerification(ctx, session, answers, targets as { region: string; functionName: string }[], configFile);
  const clients = answers.clients.map((c) => c.region);
  session.emit({
    kind: "result",
    operation: "deploy",
    ok,
    summary: ok
      ? `The client${several ? "s" : ""} in ${listText(clients)} reach${several ? "" : "es"} the private API in ${answers.apiRegion}.`
      : `Deployed, but the path does not work${several ? " from every client region" : ""}.`,
    next: nextCommands(ctx.invocation, answers, ok ? ["verify", "status", "teardown"] : ["doctor", "verify", "status", "teardown"]),
    at: Date.now(),
  });
  return ok ? 0 : 1;
}

/** Which client regions are up, which failed, which were cancelled or never started: one sentence. */
export function regionsText(regions: readonly RegionOutcome[]): string {
  const of = (kind: RegionOutcome["kind"]) => regions.filter((r) => r.kind === kind).map((r) => r.region);
  const parts = [
    ["Up", of("up")],
    ["failed", regions.flatMap((r) => (r.kind === "failed" ? [`${r.region} (stage ${r.stage}/3)`] : []))],
    ["cancelled", of("cancelled")],
    ["not started", of("not-started")],
  ] as const;
  const text = parts.filter(([, list]) => list.length > 0).map(([label, list]) => `${label}: ${list.join(", ")}`).join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

// "a", "a and b", "a, b and c".
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

// The denied actions were listed by the permission-check event; this only ends the run.
function permissionsDenied(session: Session, count: number): FailureError {
  const actions = `${count} action${count === 1 ? "" : "s"}`;
  session.emit({ kind: "result", operation: "deploy", ok: false, summary: `Nothing was deployed: ${actions} denied (listed above).`, next: [], at: Date.now() });
  return new FailureError(`the permission check denied ${actions}: nothing was deployed`);
}

// A stack left in ROLLBACK_COMPLETE by a failed first create can only be deleted and created again.
// Without a terminal, --yes is the answer; the engine's failure message says so.
async function approvedReplacements(ctx: CommandContext, stacks: StackStates): Promise<Set<string>> {
  const approved = new Set<string>();
  if (ctx.flags.yes || !ctx.interactive) return approved;
  for (const state of [stacks.api, ...stacks.clients.flatMap((c) => [c.client, c.routes])]) {
    if (!state.present || state.status !== "ROLLBACK_COMPLETE") continue;
    const { stackName, region } = state.ref;
    if (await confirm(`Stack ${stackName} in ${region} is in ROLLBACK_COMPLETE from a failed first create: delete it and create it again?`, true)) {
      approved.add(stackName);
    }
  }
  return approved;
}

async function confirm(message: string, initial: boolean): Promise<boolean> {
  return (await import("../ui/prompts.js")).askConfirm(message, initial);
}
