// What the engine needs from a template, read once from its YAML: each resource's plain-English
// Metadata.Description (a progress row gets a readable name only when the template gives one, as in
// Copilot), whether CreateChangeSet must acknowledge named IAM resources, and where the text spells the
// API Deployment's logical id (steps/deploy/deployment-id.ts renames it there). The build runs this over the
// shipped templates (dist/template-facts.json), so a deploy does not load a YAML parser.
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";

/** The resource type whose logical id carries a hash (steps/deploy/deployment-id.ts). */
export const DEPLOYMENT_TYPE = "AWS::ApiGateway::Deployment";

/** What the engine needs from a template: resource descriptions, named IAM, its API Deployment. */
export interface TemplateFacts {
  // Logical id → description, `${…}` references still in place.
  readonly descriptions: Readonly<Record<string, string>>;
  readonly namedIam: boolean;
  readonly deployment?: DeploymentSpelling;
}

/**
 * Where a template spells its API Deployment's logical id: the resource's key and every reference to it
 * (string offsets of the id's first character, in order). `refused` says why one reference cannot be
 * renamed in the text; such a template is not deployed.
 */
export interface DeploymentSpelling {
  readonly logicalId: string;
  readonly at: readonly number[];
  readonly refused?: string;
}

// Properties that give an IAM resource a fixed name, which needs CAPABILITY_NAMED_IAM.
const IAM_NAME_PROPERTIES = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Reads a template's facts with the YAML parser (the build does this once per shipped template). */
export function templateFacts(body: string): TemplateFacts {
  // Short-form intrinsics (!Ref, !Sub, !GetAtt, any other !Tag) are unknown to the YAML library: it only
  // warns and keeps the tagged value (and the tag on its node), which is all this needs.
  const lines = new LineCounter();
  const document = parseDocument(body, { lineCounter: lines });
  const template = asObject(document.toJS()) ?? {};
  const resources = asObject(template["Resources"]) ?? {};
  const descriptions: Record<string, string> = {};
  let namedIam = false;
  let deploymentId: string | undefined;
  for (const [logicalId, value] of Object.entries(resources)) {
    const resource = asObject(value) ?? {};
    const description = asObject(resource["Metadata"])?.["Description"];
    if (typeof description === "string") descriptions[logicalId] = description;
    const properties = asObject(resource["Properties"]) ?? {};
    if (String(resource["Type"]).startsWith("AWS::IAM::") && IAM_NAME_PROPERTIES.some((p) => p in properties)) {
      namedIam = true;
    }
    if (resource["Type"] === DEPLOYMENT_TYPE) deploymentId ??= logicalId;
  }
  const deployment = deploymentId === undefined ? undefined : new Spelling(body, document, lines, deploymentId).read();
  return { descriptions, namedIam, ...(deployment ? { deployment } : {}) };
}

// The intrinsic functions that name a resource, by long-form key and short-form tag (with DependsOn, all
// the ways CloudFormation lets one resource name another).
type Naming = "Ref" | "Fn::GetAtt" | "Fn::Sub";
const NAMING: ReadonlySet<string> = new Set<Naming>(["Ref", "Fn::GetAtt", "Fn::Sub"]);
const TAGS: ReadonlyMap<string, Naming> = new Map([
  ["!Ref", "Ref"],
  ["!GetAtt", "Fn::GetAtt"],
  ["!Sub", "Fn::Sub"],
]);

/**
 * Walks the parsed template for every place that names the Deployment: the resource's own key, Ref
 * (`!Ref X`, `Ref: X`, `{"Ref": "X"}`), GetAtt (`!GetAtt X.A`, quoted, `Fn::GetAtt: X.A`, `[X, A]` flow or
 * block), `${X}` and `${X.A}` in a Sub string (not when the Sub's own variables define X), DependsOn
 * (one, or a list). Each is found in the text by its node's source range, so the rename changes those
 * characters and no other: prose, comments, DeploymentName and the YAML layout stay as written.
 */
class Spelling {
  private readonly at: number[] = [];
  private readonly renamed = new Set<Node>();
  private readonly aliased: { node: Node; naming: Naming }[] = [];
  private refused: string | undefined;

  constructor(
    private readonly body: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly id: string,
  ) {}

  read(): DeploymentSpelling {
    const root = this.document.contents;
    if (isMap(root)) {
      for (const section of root.items) {
        if (scalarText(section.key) === "Resources" && isMap(section.value)) {
          for (const resource of section.value.items) {
            if (scalarText(resource.key) === this.id && isScalar(resource.key)) this.literal(resource.key, "its resource key");
            if (!isMap(resource.value)) continue;
            for (const field of resource.value.items) {
              if (scalarText(field.key) === "DependsOn") this.dependsOn(field.value as Node | null);
              else this.walk(field.value as Node | null);
            }
          }
        } else {
          this.walk(section.value as Node | null);
        }
      }
    }
    // An alias repeats its anchor's node: renamed with it when the anchor is a reference, else unrenamable.
    for (const { node, naming } of this.aliased) {
      const target = isAlias(node) ? node.resolve(this.document) : undefined;
      if (target && !this.renamed.has(target) && this.names(target, naming)) this.refuse(node, "through an alias of a value written elsewhere");
    }
    this.at.sort((a, b) => a - b);
    return { logicalId: this.id, at: this.at, ...(this.refused ? { refused: this.refused } : {}) };
  }

  private walk(node: Node | null): void {
    if (!node) return;
    const tagged = node.tag === undefined ? undefined : TAGS.get(node.tag);
    if (tagged) return this.naming(tagged, node);
    this.within(node);
  }

  // What a node holds, whatever its tag.
  private within(node: Node): void {
    if (isSeq(node)) {
      for (const item of node.items) this.walk(item as Node | null);
    } else if (isMap(node)) {
      // A function is a map of one key; a property that happens to be called Ref is not.
      const only = node.items.length === 1 ? scalarText(node.items[0]!.key) : undefined;
      if (only !== undefined && NAMING.has(only)) return this.naming(only as Naming, node.items[0]!.value as Node | null);
      for (const pair of node.items) this.walk(pair.value as Node | null);
    }
  }

  private naming(naming: Naming, node: Node | null): void {
    if (!node) return;
    if (isAlias(node)) {
      this.aliased.push({ node, naming });
      return;
    }
    if (naming === "Ref" && isScalar(node) && node.value === this.id) return this.literal(node, "!Ref");
    if (naming === "Fn::GetAtt") {
      if (isScalar(node) && this.names(node, naming)) return this.literal(node, "!GetAtt");
      if (isSeq(node)) {
        const [resource, ...attribute] = node.items as (Node | null)[];
        if (resource && isAlias(resource)) this.aliased.push({ node: resource, naming: "Ref" });
        else if (isScalar(resource) && resource.value === this.id) this.literal(resource, "!GetAtt");
        for (const item of attribute) this.walk(item);
        return;
      }
    }
    if (naming === "Fn::Sub") {
      const [text, variables] = isSeq(node) ? (node.items as (Node | null)[]) : [node, null];
      // `${X}` names the Sub's own variable X when its map defines one: not the resource.
      const ownVariable = isMap(variables) && variables.items.some((pair) => scalarText(pair.key) === this.id);
      if (text && isAlias(text)) this.aliased.push({ node: text, naming });
      else if (isScalar(text) && !ownVariable) this.substitutions(text);
      this.walk(variables ?? null);
      return;
    }
    this.within(node);
  }

  private dependsOn(node: Node | null): void {
    for (const item of isSeq(node) ? (node.items as (Node | null)[]) : [node]) {
      if (item && isAlias(item)) this.aliased.push({ node: item, naming: "Ref" });
      else if (isScalar(item) && item.value === this.id) this.literal(item, "DependsOn");
    }
  }

  // Whether a value names the Deployment the way `naming` reads it.
  private names(node: unknown, naming: Naming): boolean {
    if (!isScalar(node) || typeof node.value !== "string") return false;
    if (naming === "Ref") return node.value === this.id;
    if (naming === "Fn::GetAtt") return node.value === this.id || node.value.startsWith(`${this.id}.`);
    return this.substitution().test(node.value);
  }

  private substitution(): RegExp {
    return new RegExp(`\\$\\{${this.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[.}])`, "g");
  }

  // A scalar whose value begins with the id: the id must begin its text too (after a quote), or the
  // text spells it with escapes that a rename in place cannot follow.
  private literal(node: Scalar, what: string): void {
    const [start, end] = node.range!;
    const offset = start + (/^["']/.test(this.body.slice(start, end)) ? 1 : 0);
    if (this.body.startsWith(this.id, offset)) {
      this.at.push(offset);
      this.renamed.add(node);
    } else {
      this.refuse(node, `in ${what} spelled with escape sequences`);
    }
  }

  // `${Id}` and `${Id.Attribute}` in a Sub string, found in its text one for one.
  private substitutions(node: Scalar): void {
    if (typeof node.value !== "string") return;
    const wanted = [...node.value.matchAll(this.substitution())].length;
    if (wanted === 0) return;
    const [start, end] = node.range!;
    const found = [...this.body.slice(start, end).matchAll(this.substitution())].map((match) => start + match.index + 2);
    if (found.length !== wanted) return this.refuse(node, "in a !Sub string spelled with escape sequences");
    this.at.push(...found);
    this.renamed.add(node);
  }

  private refuse(node: Node, how: string): void {
    if (this.refused) return;
    const { line } = this.lines.linePos(node.range![0]);
    const text = this.body.split("\n")[line - 1]!.trim();
    this.refused =
      `line ${line} (${text}) names the API Deployment ${this.id} ${how}, which the tool cannot rename to carry its hash: ` +
      `write it as !Ref ${this.id}, !GetAtt ${this.id}.<attribute>, or \${${this.id}} in a !Sub string`;
  }
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}
