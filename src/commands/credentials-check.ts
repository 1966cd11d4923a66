// While a person answers the questions, STS is asked who they are (GetCallerIdentity), so that missing or
// rejected credentials are told before the plan and the confirmation instead of after every answer: as a
// line above the next question once known, and as the run's end right after the last one.
import type { CredentialsError } from "../aws/errors.js";
import type { Asker } from "../config/resolve.js";

/** A credentials check running in the background. */
export interface CredentialsCheck {
  /** Starts the check, once; the SDK loads only then, so the first question never waits for it. */
  start(): void;
  /** The problem found so far, without waiting: undefined while running, or when the credentials work. */
  found(): CredentialsError | undefined;
  /** The problem that applies to a run whose region A is `apiRegion`, once the check has ended. */
  verdict(apiRegion: string): Promise<CredentialsError | undefined>;
}

/** The check for `profile`, asked of STS in the partition of `apiRegion` when it is already known. */
export function credentialsCheck(profile: string | undefined, apiRegion: string | undefined): CredentialsCheck {
  let running: Promise<{ problem: CredentialsError | undefined; home: string }> | undefined;
  let found: CredentialsError | undefined;
  return {
    start() {
      running ??= ask(profile, apiRegion).then((outcome) => {
        found = outcome.problem;
        return outcome;
      });
    },
    found: () => found,
    async verdict(region) {
      if (!running) return undefined;
      const { problem, home } = await running;
      const { homeRegionOf } = await import("../aws/identity.js");
      // Keys missing from this machine are missing everywhere; a rejection holds only for the partition asked.
      return problem && (problem.problem === "missing" || homeRegionOf(region) === home) ? problem : undefined;
    },
  };
}

async function ask(profile: string | undefined, apiRegion: string | undefined): Promise<{ problem: CredentialsError | undefined; home: string }> {
  const [{ createClients }, { callerIdentity, homeRegionOf }, { CredentialsError }] = await Promise.all([
    import("../aws/clients.js"),
    import("../aws/identity.js"),
    import("../aws/errors.js"),
  ]);
  const region = apiRegion ?? "us-east-1";
  const clients = createClients({ profile });
  try {
    await callerIdentity(clients, region);
    return { problem: undefined, home: homeRegionOf(region) };
  } catch (error) {
    // Anything but credentials (the network, a proxy) is preflight's to report, with its context.
    return { problem: error instanceof CredentialsError ? error : undefined, home: homeRegionOf(region) };
  } finally {
    clients.destroy();
  }
}

/**
 * The asker with the check's findings: each question is preceded by one line telling a problem the check
 * has found meanwhile (inquirer owns the line being answered). The asker starts the check once its first
 * question is on screen (lazyAsker's `shown`).
 */
export function withCredentialsNotice(asker: Asker, check: CredentialsCheck, write: (line: string) => void): Asker {
  let told = false;
  const before = <T>(question: () => Promise<T>): Promise<T> => {
    const problem = check.found();
    if (problem && !told) {
      told = true;
      write(`✖ ${problem.message} — fix: ${problem.fix}`);
    }
    return question();
  };
  return {
    name: (initial) => before(() => asker.name(initial)),
    region: (...args) => before(() => asker.region(...args)),
    moreClients: (count) => before(() => asker.moreClients(count)),
    cidr: (...args) => before(() => asker.cidr(...args)),
  };
}
