// Ink draws asynchronously (throttled, effects after commit): wait for the content, never for a fixed time.
import { stripVTControlCharacters } from "node:util";

export const text = (frame: string | undefined) => stripVTControlCharacters(frame ?? "");

export async function waitForText(read: () => string | undefined, wanted: string | RegExp, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = text(read());
    if (typeof wanted === "string" ? current.includes(wanted) : wanted.test(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(wanted)}; last frame:\n${current}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const widest = (output: string) => Math.max(0, ...output.split("\n").map((line) => line.length));
