// The README leads to docs/ and docs/ back to the README: every relative link and anchor must still lead
// somewhere when a section moves, and the page the CLI names in its refusals must hold the permissions table.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSIONS_TABLE } from "../../src/aws/access-denied.js";
import { SKIP_FLAG_ADVICE } from "../../src/ui/wording.js";
import { brokenLinks, headingAnchors, markdownLinks, repeatedAnchors, unresolved } from "../helpers/markdown-links.js";

const ROOT = resolve(import.meta.dirname, "../..");
const README = join(ROOT, "README.md");
const DOCS = readdirSync(join(ROOT, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => join(ROOT, "docs", name));

describe("the README and docs/", () => {
  it("link only to files and headings that exist", () => {
    expect([README, ...DOCS].flatMap(brokenLinks)).toEqual([]);
  });

  it("give no two headings of a page one anchor (GitHub numbers the second; a link finds the first)", () => {
    const repeated = [README, ...DOCS].flatMap((file) => repeatedAnchors(readFileSync(file, "utf8")).map((anchor) => `${relative(ROOT, file)}#${anchor}`));
    expect(repeated).toEqual([]);
  });

  it("reach every page of docs/ from the README", () => {
    const linked = new Set(markdownLinks(readFileSync(README, "utf8")).map((link) => resolve(ROOT, link.target.split("#")[0] ?? "")));
    expect(DOCS.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("hold the permissions table where the CLI's refusals point", () => {
    expect(unresolved(README, PERMISSIONS_TABLE)).toBeUndefined();
    expect(readFileSync(resolve(ROOT, PERMISSIONS_TABLE.split("#")[0] ?? ""), "utf8")).toContain("<!-- permissions:begin");
    expect(SKIP_FLAG_ADVICE).toContain(`(${PERMISSIONS_TABLE})`);
  });
});

describe("the link check", () => {
  it("gives headings GitHub's anchors, numbering a repeated one", () => {
    const page = ["# Top", "## `connect` and `disconnect`", "### Flags", "### Flags", "## What's **new**: A/B, 1.5×"].join("\n");
    expect([...headingAnchors(page)]).toEqual(["top", "connect-and-disconnect", "flags", "flags-1", "whats-new-ab-15"]);
    expect(repeatedAnchors(page)).toEqual(["flags"]);
  });

  it("reads no heading or link inside code", () => {
    const page = ["```", "# not a heading [x](nowhere.md)", "```", "`[y](nor-here.md)` but [z](#here)", "# Here"].join("\n");
    expect(markdownLinks(page)).toEqual([{ text: "z", target: "#here" }]);
    expect([...headingAnchors(page)]).toEqual(["here"]);
  });

  it("names a missing file, a missing heading and an anchor into a file that is not Markdown", () => {
    expect(unresolved(README, "docs/nowhere.md")).toBe("no file docs/nowhere.md");
    expect(unresolved(README, "#no-such-section")).toBe("no heading #no-such-section in this page");
    expect(unresolved(README, "package.json#name")).toBe("an anchor into package.json, which is not a Markdown page");
    expect(unresolved(README, "https://example.com/#anything")).toBeUndefined();
  });
});
