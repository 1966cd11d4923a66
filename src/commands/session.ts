// What a command that talks to AWS sets up once: the renderer chosen from --progress, the AWS clients,
// and Ctrl-C semantics (first press cancels the running operation, second detaches at once).
import type { Writable } from "node:stream";
import { createClients, type AwsClients } from "../aws/clients.js";
import type { Answers } from "../config/answers.js";
import { systemClock, type Clock } from "../steps/clock.js";
import type { Emit, Operation, ProgressEvent } from "../steps/events.js";
import { createJsonRenderer } from "../ui/json.js";
import { createPlainRenderer } from "../ui/plain.js";
import { fanOut, type Renderer } from "../ui/renderer.js";
import type { CommandContext } from "./context.js";
import { locateFlags } from "./next-steps.js";

export interface Session {
  readonly emit: Emit;
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  // Where sentences for people go: stderr when stdout carries NDJSON.
  readonly human: Writable;
  readonly events: readonly ProgressEvent[];
  close(): void;
}

export function openSession(ctx: CommandContext, answers: Answers, operation: Operation): Session {
  const human = ctx.flags.progress === "json" ? ctx.stderr : ctx.stdout;
  const renderer = chooseRenderer(ctx, human);
  const events: ProgressEvent[] = [];
  const emit: Emit = (event) => {
    events.push(event);
    renderer.onEvent(event);
  };
  const clients = createClients({ profile: answers.profile });
  const controller = new AbortController();

  const onInterrupt = () => {
    if (!controller.signal.aborted) {
      human.write("\nCancelling the running operation… press Ctrl-C again to detach and leave it running.\n");
      controller.abort();
      return;
    }
    renderer.close();
    const flags = locateFlags(answers);
    human.write(
      `\nDetached. CloudFormation carries on with whatever was running. See where it stands or remove it with:\n` +
        `  npx xregion-private-api status ${flags}\n  npx xregion-private-api teardown ${flags}\n`,
    );
    ctx.exit(130);
  };
  process.on("SIGINT", onInterrupt);
  emit({ kind: "run-started", operation, name: answers.name, at: Date.now() });

  return {
    emit,
    clients,
    clock: systemClock,
    signal: controller.signal,
    human,
    events,
    close() {
      process.off("SIGINT", onInterrupt);
      renderer.close();
      clients.destroy();
    },
  };
}

function chooseRenderer(ctx: CommandContext, human: Writable): Renderer {
  const plain = createPlainRenderer({ stream: human });
  if (ctx.flags.progress === "json") return fanOut(createJsonRenderer(ctx.stdout), plain);
  return plain;
}
