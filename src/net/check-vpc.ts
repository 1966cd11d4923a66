import { echo } from "../echo.js";
import { type Cidr, makeCidr, MAX_VPC_PREFIX, MIN_VPC_PREFIX, overlapOf, readCidr, SMALLEST_SUBNET_PREFIX } from "./cidr.js";
import { AWS_SERVICE_RANGE, isNonPublic, reservedRangeOf } from "./ranges.js";
import { suggestFree } from "./suggest.js";

/** A VPC range checked: usable (with warnings), or the message that says why not. */
export type CidrCheck = { ok: true; cidr: Cidr; warnings: string[] } | { ok: false; message: string };

const SHAPE = "write it as a.b.c.d/n, for example 10.0.0.0/16";

/**
 * Every refusal is one line that names the flag, the problem and a value that would be accepted, so a
 * CI log alone is enough to fix the command.
 */
export function checkVpcCidr(input: string, label: string): CidrCheck {
  const typed = input.trim();
  const quoted = echo(typed);
  const reading = readCidr(input);
  switch (reading.kind) {
    case "empty":
      return fail(`${label} is empty: ${SHAPE}`);
    case "malformed":
      return fail(`${label} ${quoted} is not an IPv4 CIDR: ${SHAPE}`);
    case "ipv6":
      return fail(`${label} ${quoted} is IPv6, but the VPC ranges peered here are IPv4: ${SHAPE}`);
    case "leading-zeros": {
      // When the unpadded value has a problem of its own, that message already carries a clean fix.
      const unpadded = checkVpcCidr(reading.corrected, label);
      if (!unpadded.ok) return unpadded;
      return fail(`${label} ${quoted} has leading zeros, which some tools read as octal: write ${unpadded.cidr.text}`);
    }
    case "no-prefix":
      return fail(
        `${label} ${quoted} has no prefix length: write it as a.b.c.d/n, for example ${example(reading.address, MIN_VPC_PREFIX).text}`,
      );
    case "prefix-out-of-range":
      return fail(
        `${label} ${quoted} has too long a prefix: IPv4 prefixes stop at /32, and a VPC here must be between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}: for example ${example(reading.address, MIN_VPC_PREFIX).text}`,
      );
    case "host-bits":
    case "ok": {
      const cidr = reading.kind === "ok" ? reading.cidr : reading.intended;
      const address = reading.kind === "ok" ? cidr.first : reading.address;
      const refusal =
        sizeProblem(label, typed, address, cidr.prefix) ??
        reservedProblem(label, typed, cidr) ??
        (reading.kind === "host-bits"
          ? `${label} ${typed} has host bits set (the address must be the first of its range): did you mean ${cidr.text}?`
          : undefined);
      if (refusal !== undefined) return fail(refusal);
      return { ok: true, cidr, warnings: warningsFor(label, cidr) };
    }
  }
}

function sizeProblem(label: string, typed: string, address: number, prefix: number): string | undefined {
  if (prefix < MIN_VPC_PREFIX) {
    return `${label} ${typed} is larger than AWS allows for a VPC (/16 to /28): use a /${MIN_VPC_PREFIX} such as ${example(address, MIN_VPC_PREFIX).text}`;
  }
  if (prefix > MAX_VPC_PREFIX) {
    return `${label} ${typed} is too small to hold one /${SMALLEST_SUBNET_PREFIX} subnet (the smallest AWS allows) in each of two AZs: use /${MAX_VPC_PREFIX} or larger, such as ${example(address, MAX_VPC_PREFIX).text}`;
  }
  return undefined;
}

function reservedProblem(label: string, typed: string, cidr: Cidr): string | undefined {
  const reserved = reservedRangeOf(cidr);
  if (reserved === undefined) return undefined;
  return `${label} ${typed} is in ${reserved.name}, which cannot hold a VPC: use a private range such as ${privateExample(cidr.prefix).text}`;
}

function warningsFor(label: string, cidr: Cidr): string[] {
  const warnings: string[] = [];
  if (!isNonPublic(cidr)) {
    warnings.push(
      `${label} ${cidr.text} is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10): AWS allows it, but inside these VPCs its addresses would shadow the same public internet addresses; prefer a private range such as ${privateExample(cidr.prefix).text}`,
    );
  }
  if (overlapOf(cidr, AWS_SERVICE_RANGE) !== undefined) {
    const instead = suggestFree(cidr.prefix, [], cidr);
    warnings.push(
      `${label} ${cidr.text} ${cidr.text === AWS_SERVICE_RANGE.text ? "is" : "is inside"} ${AWS_SERVICE_RANGE.text}, which AWS says some of its services (such as Cloud9 and SageMaker) use: it works, but to avoid address conflicts prefer another range${instead === undefined ? "" : ` such as ${instead.text}`}`,
    );
  }
  return warnings;
}

// Keeps the user's own address in the example when that spot is usable, so the suggested fix changes
// as little as possible; otherwise falls back to the start of 10/8.
function example(address: number, prefix: number): Cidr {
  const own = makeCidr(address, prefix);
  return reservedRangeOf(own) === undefined ? own : privateExample(prefix);
}

function privateExample(prefix: number): Cidr {
  return makeCidr(10 * 2 ** 24, prefix);
}

function fail(message: string): CidrCheck {
  return { ok: false, message };
}
