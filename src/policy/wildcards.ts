// IAM's wildcard matching: `*` any run of characters, `?` one character, everything else literal.
// ARNs match field by field (the five colons), so a wildcard never spans a field.

/** Whether `text` matches the IAM pattern (case-sensitive unless told otherwise). */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(text);
}

function arnFields(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** Whether an ARN matches a policy's Resource value (an ARN pattern, or `*`). */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  const p = arnFields(pattern);
  const a = arnFields(arn);
  if (!p || !a) return false;
  return p.every((field, i) => globMatch(field, a[i] as string));
}
