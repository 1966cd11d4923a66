// A deployment's answers as the flags and the file write them: several client regions comma-separated under
// a one-region file's keys, and what is left of them after some regions are torn down.
import { describe, expect, it } from "vitest";
import { answerText, withoutClientRegions } from "../../src/config/answers.js";

describe("answers of several client regions", () => {
  const three = {
    name: "demo",
    apiRegion: "us-east-1",
    apiCidr: "10.10.0.0/16",
    clients: [
      { region: "eu-west-1", cidr: "10.20.0.0/16", azs: "eu-west-1a,eu-west-1b" },
      { region: "ap-southeast-2", cidr: "10.21.0.0/16" },
      { region: "us-west-2", cidr: "10.22.0.0/16", azs: "us-west-2b,us-west-2c" },
    ],
  };

  it("are written comma-separated under the keys a one-region file has", () => {
    expect(answerText(three)).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "eu-west-1,ap-southeast-2,us-west-2",
      clientCidr: "10.20.0.0/16,10.21.0.0/16,10.22.0.0/16",
      clientAzs: "eu-west-1a,eu-west-1b,us-west-2b,us-west-2c",
    });
    expect(answerText({ ...three, clients: three.clients.slice(0, 1) })).toMatchObject({ clientRegion: "eu-west-1", clientCidr: "10.20.0.0/16" });
  });

  it("keep, after some regions are torn down, each remaining region with its own range and zones", () => {
    const text = answerText(three);
    expect(withoutClientRegions(text, ["eu-west-1"])).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "ap-southeast-2,us-west-2",
      clientCidr: "10.21.0.0/16,10.22.0.0/16",
      clientAzs: "us-west-2b,us-west-2c",
    });
    expect(withoutClientRegions(text, ["us-west-2", "ap-southeast-2"])).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "eu-west-1",
      clientCidr: "10.20.0.0/16",
      clientAzs: "eu-west-1a,eu-west-1b",
    });
    // All of them gone: no client keys left, the rest kept for the next deploy.
    expect(withoutClientRegions(text, ["eu-west-1", "us-west-2", "ap-southeast-2"])).toEqual({ name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16" });
  });
});
