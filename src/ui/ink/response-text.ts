// The API's answer as people read it: JSON pretty-printed, and never more than a screenful.
const MAX_LINES = 12;

export function responseLines(body: string | null): string[] {
  if (body === null || body === "") return ["(no body)"];
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON: shown as it came.
  }
  const lines = text.split("\n");
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… (${lines.length - MAX_LINES} more lines)`];
}
