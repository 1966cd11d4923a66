// The commands a person types next, with the flags that find this deployment again.
import type { Answers } from "../config/answers.js";

export function locateFlags(answers: Pick<Answers, "name" | "apiRegion" | "clientRegion" | "profile">): string {
  return [
    `--name ${answers.name}`,
    `--api-region ${answers.apiRegion}`,
    `--client-region ${answers.clientRegion}`,
    ...(answers.profile ? [`--profile ${answers.profile}`] : []),
  ].join(" ");
}

export function nextCommands(invocation: string, answers: Answers, commands: readonly string[]): string[] {
  const flags = locateFlags(answers);
  return commands.map((command) => `${invocation} ${command} ${flags}`);
}
