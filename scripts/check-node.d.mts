// Types of check-node.mjs, for the tests that import it.
export declare const NODE_RANGE: string;
export declare function satisfies(version: string, range: string): boolean;
export declare function nodeProblem(version?: string): string | undefined;
export declare const USE_TOOLS_NODE: string;
export declare function pathNodeVersion(env: NodeJS.ProcessEnv): string | undefined;
