// Where a JSON text is broken, in the words of an editor's status bar (line and column), from V8's message.
import { cut } from "../echo.js";

/**
 * Where JSON.parse failed in `text`, as a person finds it: "line 2, column 7: expected ':' after property name".
 * V8 gives the position for most mistakes; for an unexpected character it gives a snippet instead (of the
 * file's own text, possibly huge), so the position is found here: the first such character outside a string.
 */
export function jsonErrorAt(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '(.)'/u.exec(message);
  const position = at ? Number(at[1]) : token ? firstOutsideStrings(text, token[1] ?? "") : text.length;
  const what = token ? `unexpected '${token[1]}'` : message.replace(/ in JSON at position.*$/s, "").replace(/ of JSON input$/, "").toLowerCase();
  const before = text.slice(0, position).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}: ${cut(what)}`;
}

function firstOutsideStrings(text: string, char: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === char) return i;
  }
  return text.length;
}
