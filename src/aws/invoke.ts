import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { AwsClients } from "./clients.js";

export interface Invocation {
  readonly payload: string;
  // Set by Lambda when the handler threw or timed out; the payload then holds errorType/errorMessage.
  readonly functionError: string | undefined;
  readonly logTail: string | undefined;
}

const utf8 = new TextDecoder();

export async function invokeFunction(
  clients: Pick<AwsClients, "lambda">,
  region: string,
  functionName: string,
): Promise<Invocation> {
  const answer = await clients.lambda(region).send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", LogType: "Tail" }),
  );
  return {
    payload: answer.Payload ? utf8.decode(answer.Payload) : "",
    functionError: answer.FunctionError,
    logTail: answer.LogResult ? Buffer.from(answer.LogResult, "base64").toString("utf8") : undefined,
  };
}
