// The package's name and version as the build stamps them: one place for --version, the commands the tool
// prints, and the user agent AWS sees on every call.
declare const __VERSION__: string;

/** The package version, set by the build; 0.0.0-dev when run from the sources. */
export const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

/** The command's name, as installed (and the package's). */
export const BIN = "xregion-private-api";
