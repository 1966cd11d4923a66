// `status`: network interfaces the client function left in the client VPC (a teardown stopped half-way,
// a plain delete-stack that failed on them), each with the command that removes it.
import type { AwsClients } from "../aws/clients.js";
import { functionInterfaces, functionVpcState, type LambdaInterface } from "../aws/function.js";

/** Where to look: the client stack's function and VPC, from its outputs. */
export interface ClientPlace {
  readonly region: string;
  readonly stackName: string;
  readonly functionName: string;
  readonly vpcId: string;
}

/** Interfaces of our function in our VPC that no longer serve it. */
export async function leftoverInterfaces(clients: Pick<AwsClients, "ec2" | "lambda">, place: ClientPlace): Promise<LambdaInterface[]> {
  const found = await functionInterfaces(clients.ec2(place.region), place.functionName, place.vpcId);
  if (found.length === 0) return [];
  const fn = await functionVpcState(clients.lambda(place.region), place.functionName);
  // While the function is in the VPC, its in-use interfaces are the ones it works through.
  const attached = fn !== undefined && fn.vpcId === place.vpcId;
  return attached ? found.filter((eni) => eni.status === "available") : found;
}

/** One line per leftover: an available one can be deleted now, one Lambda still holds goes with the stack. */
export function leftoverText(place: ClientPlace, leftovers: readonly LambdaInterface[]): string {
  const count = `${leftovers.length} network interface${leftovers.length === 1 ? "" : "s"}`;
  const lines = leftovers.map((eni) =>
    eni.status === "available"
      ? `  ${eni.id} available: aws ec2 delete-network-interface --region ${place.region} --network-interface-id ${eni.id}`
      : `  ${eni.id} ${eni.status}: Lambda still holds it; teardown deletes ${place.stackName} once Lambda lets it go`,
  );
  return [`${place.functionName} left ${count} in ${place.vpcId} (${place.stackName}, ${place.region}):`, ...lines].join("\n");
}
