// A statement's Condition block for one request, as IAM evaluates it: operators AND keys AND, values OR
// (NOR for negated operators); a key absent from the request fails a positive operator and passes a
// negated one, `...IfExists` passes when absent. Keys this tool cannot know make the answer unknown (null).
/** true, false, or null when the answer depends on something that cannot be read. */
export type Tri = boolean | null;

/** The request's context keys a condition is evaluated against. */
export interface RequestContext {
  /** Keys in lower case → value, for the keys present in the request. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (lower case) whose presence is known: present with their value, or known to be absent. */
  readonly known: ReadonlySet<string>;
}

/** Three-valued AND: false wins, then unknown (null), then true. */
export function and(values: readonly Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

type Compare = (actual: string, expected: string) => boolean;

const COMPARE: Record<string, { readonly compare: Compare; readonly negated: boolean }> = {
  stringequals: { compare: (a, e) => a === e, negated: false },
  stringnotequals: { compare: (a, e) => a === e, negated: true },
  stringequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { compare: (a, e) => globMatch(e, a), negated: false },
  stringnotlike: { compare: (a, e) => globMatch(e, a), negated: true },
  arnequals: { compare: (a, e) => a === e, negated: false },
  arnlike: { compare: (a, e) => globMatch(e, a), negated: false },
  arnnotequals: { compare: (a, e) => a === e, negated: true },
  arnnotlike: { compare: (a, e) => globMatch(e, a), negated: true },
};

function asStrings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** One operator on one key: e.g. `StringNotEquals` `aws:SourceVpce` ["vpce-1"]. */
export function evaluateCondition(operator: string, key: string, expected: unknown, request: RequestContext): Tri {
  const lower = operator.toLowerCase();
  const set = lower.startsWith("forallvalues:") ? "all" : lower.startsWith("foranyvalue:") ? "any" : undefined;
  const bare = lower.replace(/^for(all|any)values?:/, "");
  const ifExists = bare.endsWith("ifexists");
  const name = ifExists ? bare.slice(0, -"ifexists".length) : bare;
  const k = key.toLowerCase();
  if (!request.known.has(k)) return null;
  const actual = request.values[k];
  const values = asStrings(expected);
  if (name === "null") {
    // Null: "true" means the key must be absent.
    const wantAbsent = values.some((v) => v.toLowerCase() === "true");
    return wantAbsent === (actual === undefined);
  }
  const op = COMPARE[name];
  if (!op) return null;
  if (actual === undefined) {
    if (ifExists || set === "all") return true;
    if (set === "any") return false;
    return op.negated;
  }
  // Every key this tool knows is single-valued: a set operator sees a set of one.
  const hit = values.some((v) => op.compare(actual, v));
  return op.negated ? !hit : hit;
}

/** A whole Condition block: every operator, every key. */
export function evaluateConditions(block: unknown, request: RequestContext): Tri {
  if (block === undefined) return true;
  if (typeof block !== "object" || block === null) return null;
  const results: Tri[] = [];
  for (const [operator, keys] of Object.entries(block as Record<string, unknown>)) {
    if (typeof keys !== "object" || keys === null) return null;
    for (const [key, expected] of Object.entries(keys as Record<string, unknown>)) {
      results.push(evaluateCondition(operator, key, expected, request));
    }
  }
  return and(results);
}

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
