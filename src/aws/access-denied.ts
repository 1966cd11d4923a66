// A refused call, read from AWS's own message: which action, for whom, on what and why, so the line a
// person sees names the permission to grant instead of "AccessDenied".
//
// The services word it alike ("User: arn:aws:iam::123456789012:user/ci is not authorized to perform:
// cloudformation:CreateChangeSet on resource: arn:…:stack/demo-api/* because no identity-based policy
// allows the cloudformation:CreateChangeSet action"). EC2's UnauthorizedOperation may say only "You are
// not authorized to perform this operation. Encoded authorization failure message: …", a blob that
// `aws sts decode-authorization-message` turns into the action, principal and resource (STS API
// reference, DecodeAuthorizationMessage).

const CODES = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"]);

const NOT_AUTHORIZED = /(?:User|Principal): (\S+) is not authorized to perform: (\S+?)(?: on resource: (\S+?))?(?:\.?\s+(because .+?|with an explicit deny .+?))?\.?(?:\s+Encoded authorization failure message:|$)/s;
const ENCODED = /Encoded authorization failure message: (\S+)/;

/** What AWS said about a refused call. */
export interface AccessDenial {
  readonly code: string;
  readonly action: string | undefined;
  readonly identity: string | undefined;
  readonly resource: string | undefined;
  // AWS's own reason: "because no identity-based policy allows …", "with an explicit deny in …".
  readonly why: string | undefined;
  readonly encoded: string | undefined;
}

/** The refusal in an AWS error, or undefined when the error is something else. */
export function accessDenial(error: unknown): AccessDenial | undefined {
  const e = typeof error === "object" && error !== null ? (error as { name?: unknown; message?: unknown }) : {};
  const code = typeof e.name === "string" ? e.name : "";
  if (!CODES.has(code)) return undefined;
  const text = typeof e.message === "string" ? e.message : "";
  const said = NOT_AUTHORIZED.exec(text);
  return {
    code,
    identity: said?.[1],
    action: said?.[2],
    resource: said?.[3],
    why: said?.[4],
    encoded: ENCODED.exec(text)?.[1],
  };
}

export const PERMISSIONS_TABLE = "docs/permissions.md";

/** One line: what was refused to whom, and where the fix is. `who` names the caller when AWS did not. */
export function deniedSentence(denial: AccessDenial, who: string): string {
  const action = denial.action ?? "a call";
  const on = denial.resource ? ` on ${denial.resource}` : "";
  const why = denial.why ? `; ${denial.why}` : "";
  const decode = denial.encoded
    ? ` AWS's encoded reason names the action and resource: aws sts decode-authorization-message --encoded-message ${denial.encoded} --query DecodedMessage --output text.`
    : "";
  return (
    `AWS denied ${action}${on} to ${denial.identity ?? who} (${denial.code}${why}).${decode} ` +
    `Grant it (the permissions table, ${PERMISSIONS_TABLE}, lists what each stage needs); ` +
    "deploy's permission check lists every missing action before anything is created."
  );
}

/** The action a CloudFormation resource failure says the caller was refused, if it says so. */
export function refusedAction(reason: string): string | undefined {
  return /is not authorized to perform: ([\w-]+:[\w*]+)/.exec(reason)?.[1];
}

/** What a stack failure caused by a refused action adds to its message. */
export function refusedAdvice(action: string): string {
  return `CloudFormation creates the resources with your credentials, so they need ${action}: grant it (the permissions table, ${PERMISSIONS_TABLE}, lists what each stage needs) and run deploy again.`;
}
