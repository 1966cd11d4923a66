// One moto server, SDK clients on it and a copy of the built CLI for a suite that runs the CLI against the
// emulator: started before the suite's tests, stopped and removed after them.
import { afterAll, beforeAll } from "vitest";
import { copyOfBuiltCli, motoAws, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer, type MotoServerOptions } from "./moto-server.js";

/** What a CLI-on-moto suite works with; set once the suite's first `beforeAll` has run. */
export interface MotoSuite {
  moto: MotoServer;
  aws: MotoAws;
  cli: ReturnType<typeof copyOfBuiltCli>;
}

/** Registers the suite's set-up (server warmed up in `regions`) and clean-up; read the fields in tests and later hooks. */
export function motoSuite(regions: readonly string[], options: MotoServerOptions = {}): MotoSuite {
  const suite = {} as Partial<MotoSuite>;
  beforeAll(async () => {
    suite.cli = copyOfBuiltCli();
    suite.moto = await startMotoServer(options);
    suite.aws = motoAws(suite.moto);
    await suite.moto.warmUp(regions);
  });
  afterAll(async () => {
    suite.aws?.destroy();
    await suite.moto?.stop();
    suite.cli?.remove();
  });
  return suite as MotoSuite;
}
