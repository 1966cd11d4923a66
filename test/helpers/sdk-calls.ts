// Which AWS SDK commands each CLI command can send, read from the source: every top-level declaration of
// src/ with the declarations it names (static imports, same-file names, and the exports of a module it
// imports dynamically that it names), walked from the command's run function; each `new XCommand(…)` and
// `paginateX(…)` met on the way is a call. Syntax only (TypeScript's parser, no type checking): a name that
// merely looks like an imported one counts, so the walk errs towards more calls, never fewer.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** One SDK operation: the client package's service and the operation's name. */
export interface SdkCall {
  readonly service: string;
  readonly operation: string;
}

/** A call an entry reaches, with the declarations it goes through (for a failure to name). */
export interface ReachedCall extends SdkCall {
  readonly via: readonly string[];
}

interface Declaration {
  readonly file: string;
  readonly name: string;
  readonly calls: SdkCall[];
  readonly edges: { file: string; name: string }[];
}

const SDK = /^@aws-sdk\/client-(.+)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveModule(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, "");
  return [`${base}.ts`, `${base}.tsx`].find((f) => known.has(f));
}

/** The SDK calls of every declaration reachable from each entry (file relative to root, function name). */
export function sdkCallGraph(root: string): (entry: { file: string; name: string }) => ReachedCall[] {
  const files = sourceFiles(join(root, "src"));
  const known = new Set(files);
  const declarations = new Map<string, Declaration>();
  const exportsOf = new Map<string, Set<string>>();
  const key = (file: string, name: string) => `${file}#${name}`;

  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const imported = new Map<string, { file: string; name: string }>();
    const sdk = new Map<string, SdkCall>();
    const topLevel = new Map<string, ts.Node>();
    const names = new Set<string>();
    const reexports: { name: string; from: { file: string; name: string } }[] = [];

    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const clause = statement.importClause;
        if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) continue;
        const specifier = statement.moduleSpecifier.text;
        const service = SDK.exec(specifier)?.[1];
        const target = resolveModule(file, specifier, known);
        for (const element of clause.namedBindings.elements) {
          if (element.isTypeOnly) continue;
          const original = (element.propertyName ?? element.name).text;
          if (service) sdk.set(element.name.text, { service, operation: original });
          else if (target) imported.set(element.name.text, { file: target, name: original });
        }
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = resolveModule(file, statement.moduleSpecifier.text, known);
        if (!target || !statement.exportClause || !ts.isNamedExports(statement.exportClause) || statement.isTypeOnly) continue;
        for (const element of statement.exportClause.elements) {
          reexports.push({ name: element.name.text, from: { file: target, name: (element.propertyName ?? element.name).text } });
        }
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        topLevel.set(statement.name.text, statement);
      } else if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) topLevel.set(d.name.text, d);
      }
    }
    for (const name of [...topLevel.keys(), ...reexports.map((r) => r.name)]) names.add(name);
    exportsOf.set(file, names);
    for (const r of reexports) declarations.set(key(file, r.name), { file, name: r.name, calls: [], edges: [r.from] });

    for (const [name, node] of topLevel) {
      const declaration: Declaration = { file, name, calls: [], edges: [] };
      // Every name, for the exports of a module imported dynamically (destructured or read as a property);
      // the names used as references, for static imports and the file's own declarations.
      const words = new Set<string>();
      const references = new Set<string>();
      const local = new Set<string>();
      const dynamic: string[] = [];
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) {
          words.add(n.text);
          const role = bindingRole(n);
          if (role === "declares") local.add(n.text);
          else if (role === "references") references.add(n.text);
        }
        if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
          const call = sdk.get(n.expression.text);
          if (call?.operation.endsWith("Command")) declaration.calls.push({ service: call.service, operation: call.operation.slice(0, -"Command".length) });
        }
        if (ts.isCallExpression(n)) {
          if (ts.isIdentifier(n.expression)) {
            const call = sdk.get(n.expression.text);
            if (call?.operation.startsWith("paginate")) declaration.calls.push({ service: call.service, operation: call.operation.slice("paginate".length) });
          }
          const [argument] = n.arguments;
          if (n.expression.kind === ts.SyntaxKind.ImportKeyword && argument && ts.isStringLiteral(argument)) {
            const target = resolveModule(file, argument.text, known);
            if (target) dynamic.push(target);
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(node);
      for (const word of references) {
        if (local.has(word)) continue;
        if (word !== name && topLevel.has(word)) declaration.edges.push({ file, name: word });
        const from = imported.get(word);
        if (from) declaration.edges.push(from);
      }
      declaration.edges.push(...dynamic.flatMap((target) => [...words].map((word) => ({ file: target, name: word }))));
      declarations.set(key(file, name), declaration);
    }
  }

  return (entry) => {
    const start = key(join(root, entry.file), entry.name);
    if (!declarations.has(start)) throw new Error(`no declaration ${entry.name} in ${entry.file}`);
    const parent = new Map<string, string | undefined>([[start, undefined]]);
    const queue = [start];
    const calls = new Map<string, ReachedCall>();
    const path = (at: string): string[] => {
      const up = parent.get(at);
      const name = declarations.get(at)?.name ?? at;
      return up === undefined ? [name] : [...path(up), name];
    };
    while (queue.length > 0) {
      const at = queue.shift() as string;
      const declaration = declarations.get(at);
      for (const call of declaration?.calls ?? []) {
        const id = `${call.service}:${call.operation}`;
        if (!calls.has(id)) calls.set(id, { ...call, via: path(at) });
      }
      for (const edge of declaration?.edges ?? []) {
        const next = key(edge.file, edge.name);
        if (!parent.has(next) && declarations.has(next) && exportsOf.get(edge.file)?.has(edge.name)) {
          parent.set(next, at);
          queue.push(next);
        }
      }
    }
    return [...calls.values()];
  };
}

// Whether an identifier declares a local name (a parameter, variable or inner function), names a property
// (not a reference to anything in scope), or references a name.
function bindingRole(n: ts.Identifier): "declares" | "property" | "references" {
  const parent = n.parent;
  if ((ts.isParameter(parent) || ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) && parent.name === n) {
    return "declares";
  }
  if (ts.isBindingElement(parent) && parent.propertyName === n) return "property";
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === n) {
    return "property";
  }
  return "references";
}

/** Every SDK call written anywhere in src/ (file relative to root). */
export function allSdkCalls(root: string): { file: string; call: SdkCall }[] {
  return sourceFiles(join(root, "src")).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const found: { file: string; call: SdkCall }[] = [];
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([^"]+)"/g)) {
      for (const part of (match[1] ?? "").split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0] ?? "";
        if (name.startsWith("type ")) continue;
        const operation = name.endsWith("Command") ? name.slice(0, -"Command".length) : name.startsWith("paginate") ? name.slice("paginate".length) : undefined;
        if (operation && new RegExp(`\\b(new ${name}\\(|${name}\\()`).test(text)) found.push({ file: relative(root, file), call: { service: match[2] ?? "", operation } });
      }
    }
    return found;
  });
}
