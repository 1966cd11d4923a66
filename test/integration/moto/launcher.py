#!/usr/bin/env python3
"""Start moto's server on 127.0.0.1 after patching the moto 5.2.1 gaps that our templates hit.

    python3 launcher.py --port 5055

Every patch names the gap it covers (see MOTO.md); they live in patches/, one module per service or
concern, applied in the order main() imports them (later ones wrap what earlier ones patched). The patches make moto model what AWS does;
they never change what a template means. Test-only code: nothing here ships. In order:

  Fn::GetAZs ""                         -> the stack's region's zones (moto: us-east-1's everywhere)
  a list item resolving to AWS::NoValue -> dropped (moto: kept as null)
  ApiGateway::Method, MOCK integration  -> no IntegrationHttpMethod/Uri needed (moto: KeyError, 500)
  ApiGateway::RestApi                   -> keeps EndpointConfiguration + Policy; delete implemented
  ApiGateway::Deployment / ::Stage      -> Ref gives the id; a Stage model (moto has none)
  EC2::VPCEndpoint                      -> AWS-like DnsEntries, Fn::GetAtt (moto: 500); delete
  EC2::VPCPeeringConnection             -> PeerRegion honoured, accepted like AWS (same account), then
                                           provisioning before active; overlapping CIDRs: the connection
                                           goes failed and CloudFormation fails it; delete
  EC2::RouteTable, EC2::Route           -> delete implemented
  EC2::SubnetRouteTableAssociation      -> visible in DescribeRouteTables; delete
  Route53::HostedZone                   -> VPCs make it private and associated; delete
  SSM::Parameter                        -> Fn::GetAtt Value/Type; Tags as a JSON object
  Lambda::Function via CloudFormation   -> lands in the Docker-less backend Invoke reads
  Lambda function states                -> every new function is Pending, then Active (CloudFormation waits
                                           for Active); an idle one Inactive on request, its first Invoke
                                           refused (502) and it restored; Invoke refused while Pending
  ExecuteChangeSet                      -> Outputs shown; a failure rolls back with FAILED events, reasons
                                           in the form CloudFormation gives for the resource's type
  CreateChangeSet, unchanged stack      -> change set FAILED "didn't contain changes"
  Conditions in updates / change sets   -> a resource whose condition turns false is deleted, one whose
                                           condition stays false is no change; DescribeStackResources
                                           lists no resource whose condition is false
  CreateChangeSet/CreateStack           -> parameters (AllowedPattern's ConstraintDescription, SSM-typed
                                           parameters that exist) and IAM capabilities checked like AWS
  DescribeStacks Parameters             -> SSM-typed: name + ResolvedValue
  Stack events                          -> carry the operation's ClientRequestToken
  Resource events                       -> each resource's *_IN_PROGRESS / *_COMPLETE (moto: none)
  Availability Zones (one section)      -> an account's name->id mapping, a Local Zone, OptInStatus;
                                           execute-api offered in some zones only, CreateVpcEndpoint
                                           refuses the others; Lambda refuses subnets in use1-az3 (and,
                                           emulated only, usw2-az4); subnets checked; a zone parameter
                                           that is no zone fails the stack as it runs (ROLLBACK_COMPLETE)
  doctor's reads                        -> VPC DNS attributes as declared; endpoint
                                           interfaces addressed inside their subnets

As strict as AWS (moto accepts, AWS refuses or does otherwise; the section of that name, and in place):
  EC2::SecurityGroup egress             -> declared SecurityGroupEgress replaces the allow-all default;
                                           rule descriptions kept
  IAM::Role ManagedPolicyArns           -> attached, kept in step, detached on delete; an unknown
                                           policy fails the role (NoSuchEntity)
  ApiGateway CreateDeployment           -> a PRIVATE API without a resource policy refused (BadRequest)
  ApiGateway::RestApi without Name      -> refused (ValidationException) unless Body/BodyS3Location;
                                           updated in place
  ApiGateway::Stage DeploymentId        -> empty (InvalidRequest) or unknown (BadRequestException)
                                           refused; updated in place
  ExecuteChangeSet modifying a resource -> UPDATE_FAILED and rolled back, not a pretended
  moto cannot update                       UPDATE_COMPLETE
  VPCEndpoint DnsEntries hosted zone    -> the endpoint region's *.vpce zone id (moto: us-east-1's)
  Route53::HostedZone private NameServers -> none (no delegation set), as AWS
  Field constraints                     -> a value outside what AWS states for its field refused with AWS's
                                           error (security-group and rule descriptions, EC2 tags; IAM role
                                           name/path/description/tags; Lambda name/description/handler/
                                           environment; log group names and tags; SSM names, descriptions,
                                           values, tags), by API and through CloudFormation

  DeleteStack                          -> accepted; resources deleted dependants first; one that cannot be
                                           deleted leaves the stack DELETE_FAILED, kept and listed with its
                                           resources and outputs (moto: the call fails, the stack vanishes)
  Lambda VPC network interfaces        -> Hyperplane ENIs as real accounts show them (not requester-managed,
                                           the role's session as requester, "AWS Lambda VPC ENI-<name>"):
                                           available 4 minutes (AWS) after a detach or delete, then
                                           InterfaceType interface; Lambda deletes them after 30; they hold
                                           subnets and groups; CloudFormation waits only for a function it
                                           deletes in its VPC (moto: none at all)
  Stack lifecycle (one section)         -> one stack per name: a CREATE change set for an existing stack
                                           refused, an UPDATE one for a REVIEW_IN_PROGRESS stack refused;
                                           executing a change set deletes the others (ChangeSetNotFound);
                                           ListChangeSets by stack; DeleteChangeSet of a gone one succeeds;
                                           a change set CREATE_PENDING, CREATE_IN_PROGRESS, then ready; an
                                           operation's events appear as they happen, the stack in progress
                                           until its slowest resource is done; --stack-busy-ms N keeps an
                                           executed stack *_IN_PROGRESS for at least N ms (0 by default);
                                           --stage-seconds 1=S,… keeps a stack of that stage (its
                                           xregion-private-api:stage tag, 1 to 3) in progress S seconds on AWS's
                                           clock, scaled by --time-scale (the bench's AWS-like durations)

  connect's resources and rules (one section):
  EC2::SecurityGroupIngress             -> physical id and Ref/GetAtt Id = the rule's id; delete revokes
                                           exactly that rule (moto: no id, no delete)
  EC2::SecurityGroupEgress              -> a model with the same (moto: silently skipped)
  CreateVpcPeeringConnection            -> a second live peering between two VPCs refused
                                           (VpcPeeringConnectionAlreadyExists)
  Route 53 private zones                -> a second zone of a name on one VPC refused
                                           (ConflictingDomainExists); an unknown VPC refused (InvalidVPCId)

  --pace-ms N (the demo, and the one Ctrl-C test that needs a stack still being created): reveal a stack's
  events N ms apart, in rough proportions of our own (no source: a stand-in for pacing, not AWS's time),
  instead of all at once. Nothing else changes.
"""

from __future__ import annotations

# First, before any moto import: the patches rebind moto 5.2.1's internals by name, and its server needs
# the [server] extra (Flask). Anything else gets one line naming the fix instead of a traceback.
import sys
from importlib.metadata import PackageNotFoundError, version as _installed_version

MOTO_VERSION = "5.2.1"
_FIX = f"{sys.executable} -m pip install 'moto[server]=={MOTO_VERSION}'"
try:
    _found = _installed_version("moto")
except PackageNotFoundError:
    _found = "none"
if _found != MOTO_VERSION:
    sys.exit(f"moto {MOTO_VERSION} is needed, found {_found}: {_FIX}")
try:
    import flask  # noqa: F401  (what moto[server] adds)
except ImportError:
    sys.exit(f"moto {MOTO_VERSION} is there without its server (moto[server], Flask): {_FIX}")


import argparse


def main() -> None:
    # The patches import moto, so they load only once the version check above has passed. The order
    # matters where two modules wrap the same method (CreateChangeSet: parameters, then zones;
    # ExecuteChangeSet: rollback, then strict updates, then one operation at a time; DescribeStackResources:
    # rolled-back stacks, then deleted ones), and cfn_deletes takes moto's resource delete before
    # cfn_events wraps it with events (a stack delete records its own).
    from patches import (  # noqa: F401  (imported for their patches)
        intrinsics, apigateway, vpc_endpoints, vpc_network, route53, ssm, lambda_functions,
        cfn_change_sets, cfn_conditions, cfn_deletes, cfn_events, zones, iam, cfn_updates, pacing, lambda_interfaces, cfn_lifecycle,
        field_constraints, connect,
    )
    from patches.iam import aws_managed_policies
    from patches.lambda_functions import LAMBDA_PENDING
    from patches.cfn_lifecycle import BUSY, STAGE_SECONDS
    from patches.common import TIME_SCALE
    from patches.loopback import loopback_only
    from patches.pacing import PACE

    loopback_only()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pace-ms", type=int, default=0, help="the demo: reveal stack events this far apart")
    parser.add_argument("--stack-busy-ms", type=int, default=0,
                        help="how long an executed change set keeps its stack *_IN_PROGRESS (0: done at once)")
    parser.add_argument("--lambda-pending-ms", type=int, default=None,
                        help="how long a new VPC function stays Pending (default: AWS's 60-90 s, scaled)")
    parser.add_argument("--stage-seconds", default="",
                        help="per stage (its xregion-private-api:stage tag), how many seconds on AWS an executed change set "
                             "keeps its stack in progress at least, e.g. 1=180,2=150,3=30 (scaled by --time-scale)")
    parser.add_argument("--time-scale", type=float, default=1 / TIME_SCALE["factor"],
                        help="how many seconds on AWS one second here stands for, in the delays modelled on AWS's")
    args = parser.parse_args()
    TIME_SCALE["factor"] = 1 / args.time_scale
    PACE["ms"] = args.pace_ms
    BUSY["ms"] = args.stack_busy_ms
    for item in filter(None, args.stage_seconds.split(",")):
        key, _, seconds = item.partition("=")
        STAGE_SECONDS[key.strip()] = float(seconds)
    LAMBDA_PENDING["ms"] = args.lambda_pending_ms
    aws_managed_policies()  # parsed (0.1 s) before serving, so that no deploy waits for it
    from moto.server import main as moto_server_main

    moto_server_main(["-H", "127.0.0.1", "-p", str(args.port)])  # loopback only, ever


if __name__ == "__main__":
    sys.exit(main())

