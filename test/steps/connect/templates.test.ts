// The probe's code has one source: connect-client.yaml as rendered carries 2-client.yaml's ClientFunction
// code, character for character, and stays within what CreateChangeSet takes as a TemplateBody.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONNECT_TEMPLATES, loadConnectTemplate, TEMPLATE_BODY_LIMIT, withProbeCode } from "../../../src/steps/connect/templates.js";
import { parseTemplate } from "../../helpers/cfn-yaml.js";
import { asObject, loadStages, onlyResourceOfType, props, TEMPLATES_DIR } from "../../helpers/template-fixtures.js";

const source = readFileSync(join(TEMPLATES_DIR, CONNECT_TEMPLATES.client), "utf8");
const stage2 = readFileSync(join(TEMPLATES_DIR, "2-client.yaml"), "utf8");
const zipOf = (text: string, type = "AWS::Lambda::Function") => asObject(props(onlyResourceOfType(parseTemplate(text), type)[1]).Code).ZipFile;

describe("the probe's code", () => {
  it("is stage 2's client function code once rendered, character for character", () => {
    const stage2Code = zipOf(stage2);
    expect(typeof stage2Code).toBe("string");
    expect((stage2Code as string).length).toBeGreaterThan(2000);
    expect(zipOf(withProbeCode(source, stage2))).toBe(stage2Code);
    expect(zipOf(withProbeCode(source, stage2))).toBe(asObject(props(onlyResourceOfType(loadStages()[1]!.template, "AWS::Lambda::Function")[1]).Code).ZipFile);
  });

  it("follows stage 2's code when that changes (no copy to fall behind)", () => {
    const edited = stage2.replace("const BODY_LIMIT = 16384;", "const BODY_LIMIT = 8192;");
    expect(edited).not.toBe(stage2);
    expect(zipOf(withProbeCode(source, edited))).toContain("const BODY_LIMIT = 8192;");
  });

  it("is a one-line marker in the shipped file, and only the marker changes", () => {
    expect(zipOf(source)).toBe("// xregion-private-api: rendered by the tool from templates/2-client.yaml's ClientFunction code");
    const rendered = withProbeCode(source, stage2);
    const { ProbeFunction: _ignored, ...others } = parseTemplate(rendered).Resources;
    const { ProbeFunction: _shipped, ...shippedOthers } = parseTemplate(source).Resources;
    expect(others).toEqual(shippedOthers);
  });

  it("keeps the rendered template under CreateChangeSet's 51,200-byte TemplateBody limit", () => {
    expect(Buffer.byteLength(withProbeCode(source, stage2), "utf8")).toBeLessThan(TEMPLATE_BODY_LIMIT);
  });

  it("refuses to render without the marker or without stage 2's code", () => {
    expect(() => withProbeCode(source.replace("rendered by the tool", "edited by hand"), stage2)).toThrow(/marker is missing/);
    expect(() => withProbeCode(source, stage2.replace("ZipFile: |", "ZipFile: >"))).toThrow(/ClientFunction's inline code/);
  });
});

describe("loadConnectTemplate", () => {
  it("gives the client template rendered and the API template as shipped, with the shipped files' descriptions", async () => {
    const client = await loadConnectTemplate("client", TEMPLATES_DIR);
    expect(client.body).toBe(withProbeCode(source, stage2));
    expect(client.facts.descriptions["ProbeFunction"]).toBe("Probe function that calls the private API from your subnets");
    expect(client.facts.namedIam).toBe(false);
    const api = await loadConnectTemplate("api", TEMPLATES_DIR);
    expect(api.body).toBe(readFileSync(join(TEMPLATES_DIR, CONNECT_TEMPLATES.api), "utf8"));
    expect(api.facts.descriptions["EndpointIngress1"]).toMatch(/HTTPS ingress rule/);
  });
});
