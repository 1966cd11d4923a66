// The terminal renderer: events go into a store, Ink draws it. Keys and Ctrl-C stay the CLI's (its SIGINT
// handler cancels, then detaches), so Ink neither reads stdin nor patches the console.
import { render } from "ink";
import type { Writable } from "node:stream";
import { App } from "./ink/App.js";
import { createProgressStore } from "./ink/progress-store.js";
import type { Renderer } from "./renderer.js";

export interface InkRendererOptions {
  readonly stdout: Writable & { readonly columns?: number; readonly isTTY?: boolean; hasColors?(count?: number, env?: object): boolean };
  // Width to lay out for; the terminal's own width (following resizes) when absent.
  readonly columns?: number;
  // The clock behind the running stage's elapsed time; tests pin it.
  readonly now?: () => number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface InkRenderer extends Renderer {
  // Unmounts and resolves once the final frame has been written.
  close(): Promise<void>;
}

export function createInkRenderer(options: InkRendererOptions): InkRenderer {
  const { stdout, columns, now } = options;
  const store = createProgressStore();
  const color = wantsColor(stdout, options.env ?? process.env);
  const instance = render(<App store={store} now={now} columns={columns} color={color} />, {
    stdout: stdout as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let closed: Promise<void> | undefined;
  return {
    onEvent: (event) => store.dispatch(event),
    close() {
      closed ??= (async () => {
        // Events dispatched just before close() are not drawn yet: let React commit them first.
        await instance.waitUntilRenderFlush();
        instance.unmount();
        await instance.waitUntilExit();
      })();
      return closed;
    },
  };
}

// A real terminal answers with Node's own rule (NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR, TERM=dumb);
// anything else gets the same rule from the environment.
export function wantsColor(stream: InkRendererOptions["stdout"], env: NodeJS.ProcessEnv): boolean {
  if (typeof stream.hasColors === "function") return stream.hasColors(16, env);
  if (env["NO_COLOR"] !== undefined || env["NODE_DISABLE_COLORS"] !== undefined) return false;
  if (env["FORCE_COLOR"] !== undefined) return env["FORCE_COLOR"] !== "0" && env["FORCE_COLOR"] !== "false";
  return stream.isTTY === true;
}
