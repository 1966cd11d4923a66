// The links of our Markdown pages and the anchors GitHub gives their headings, so a test can tell that every
// relative link still leads somewhere after a section moves between the README and docs/. No Markdown library
// is installed (nor github-slugger), so this reads only what our pages use: ATX headings (`## …`), inline
// links `[text](target)`, fenced code and inline code (both skipped: a `](…)` inside code is not a link).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface MarkdownLink {
  readonly text: string;
  readonly target: string;
}

export interface BrokenLink {
  readonly file: string;
  readonly target: string;
  readonly why: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const LINK = /\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const CODE_SPAN = /(`+)[\s\S]*?\1/g;
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

// The page's text outside fenced code, one string per paragraph (a code span may run over a line break, never
// over a blank line).
function proseBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    if (current.length > 0) blocks.push(current.join("\n"));
    current = [];
  };
  for (const line of markdown.split("\n")) {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      flush();
      fence = marker;
    } else if (line.trim() === "") flush();
    else current.push(line);
  }
  flush();
  return blocks;
}

/** GitHub's anchor for a heading's text: lower case, punctuation and symbols dropped, each space a hyphen. */
export function headingSlug(heading: string): string {
  const text = heading.replace(LINK, "$1");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

function headingSlugs(markdown: string): string[] {
  return proseBlocks(markdown).flatMap((block) =>
    block.split("\n").flatMap((line) => {
      const heading = HEADING.exec(line)?.[2];
      return heading === undefined ? [] : [headingSlug(heading)];
    }),
  );
}

/** Every anchor of a page, a repeated one numbered as GitHub numbers it (`x`, `x-1`, `x-2`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const slug of headingSlugs(markdown)) {
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The anchors two or more headings of a page share. */
export function repeatedAnchors(markdown: string): string[] {
  const slugs = headingSlugs(markdown);
  return [...new Set(slugs.filter((slug, i) => slugs.indexOf(slug) !== i))];
}

export function markdownLinks(markdown: string): MarkdownLink[] {
  return proseBlocks(markdown).flatMap((block) =>
    [...block.replace(CODE_SPAN, "").matchAll(LINK)].map((m) => ({ text: m[1] ?? "", target: m[2] ?? "" })),
  );
}

/** Why a relative target (`docs/x.md#anchor`, `#anchor`) seen from `fromFile` leads nowhere, or undefined. */
export function unresolved(fromFile: string, target: string): string | undefined {
  if (EXTERNAL.test(target)) return undefined;
  const hash = target.indexOf("#");
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === "" ? fromFile : resolve(dirname(fromFile), path);
  if (!existsSync(file)) return `no file ${path}`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith(".md")) return `an anchor into ${path}, which is not a Markdown page`;
  return headingAnchors(readFileSync(file, "utf8")).has(anchor) ? undefined : `no heading #${anchor} in ${path || "this page"}`;
}

export function brokenLinks(file: string): BrokenLink[] {
  return markdownLinks(readFileSync(file, "utf8")).flatMap((link) => {
    const why = unresolved(file, link.target);
    return why === undefined ? [] : [{ file, target: link.target, why }];
  });
}
