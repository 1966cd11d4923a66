#!/usr/bin/env python3
"""Start moto's server on 127.0.0.1 after patching the moto 5.2.1 gaps that our templates hit.

    python3 launcher.py --port 5055

Every patch below names the gap it covers (see MOTO.md). The patches make moto model what AWS does;
they never change what a template means. Test-only code: nothing here ships. In order:

  Fn::GetAZs ""                         -> the stack's region's zones (moto: us-east-1's everywhere)
  ApiGateway::Method, MOCK integration  -> no IntegrationHttpMethod/Uri needed (moto: KeyError, 500)
  ApiGateway::RestApi                   -> keeps EndpointConfiguration + Policy; delete implemented
  ApiGateway::Deployment / ::Stage      -> Ref gives the id; a Stage model (moto has none)
  EC2::VPCEndpoint                      -> AWS-like DnsEntries, Fn::GetAtt (moto: 500); delete
  EC2::VPCPeeringConnection             -> PeerRegion honoured, accepted like AWS (same account),
                                           overlapping CIDRs fail; delete
  EC2::RouteTable, EC2::Route           -> delete implemented
  EC2::SubnetRouteTableAssociation      -> visible in DescribeRouteTables; delete
  Route53::HostedZone                   -> VPCs make it private and associated; delete
  SSM::Parameter                        -> Fn::GetAtt Value/Type; Tags as a JSON object
  Lambda::Function via CloudFormation   -> lands in the Docker-less backend Invoke reads
  Lambda function states                -> a new VPC function is Pending, then Active; Invoke refused
                                           while Pending (--lambda-pending-ms, default 1500)
  ExecuteChangeSet                      -> Outputs shown; a failure rolls back with FAILED events
  CreateChangeSet, unchanged stack      -> change set FAILED "didn't contain changes"
  CreateChangeSet/CreateStack           -> parameters and IAM capabilities checked like AWS
  DescribeStacks Parameters             -> SSM-typed: name + ResolvedValue
  Stack events                          -> carry the operation's ClientRequestToken
  Resource events                       -> each resource's *_IN_PROGRESS / *_COMPLETE (moto: none)
  Availability Zones (one section)      -> an account's name->id mapping, a Local Zone, OptInStatus;
                                           execute-api offered in some zones only, CreateVpcEndpoint
                                           refuses the others; Lambda refuses subnets in use1-az3 (and,
                                           emulated only, usw2-az4); zone parameters and subnets checked
  doctor's reads                        -> VPC DNS attributes as declared; endpoint
                                           interfaces addressed inside their subnets

As strict as AWS (moto accepts, AWS refuses or does otherwise; the section of that name, and in place):
  EC2::SecurityGroup egress             -> declared SecurityGroupEgress replaces the allow-all default;
                                           rule descriptions kept
  IAM::Role ManagedPolicyArns           -> attached, kept in step, detached on delete; an unknown
                                           policy fails the role (NoSuchEntity)
  ApiGateway CreateDeployment           -> a PRIVATE API without a resource policy refused (BadRequest)
  ApiGateway::RestApi without Name      -> refused unless Body/BodyS3Location; updated in place
  ApiGateway::Stage DeploymentId        -> empty or unknown refused (NotFoundException); updated in place
  ExecuteChangeSet modifying a resource -> UPDATE_FAILED and rolled back, not a pretended
  moto cannot update                       UPDATE_COMPLETE
  VPCEndpoint DnsEntries hosted zone    -> the endpoint region's *.vpce zone id (moto: us-east-1's)
  Route53::HostedZone private NameServers -> none (no delegation set), as AWS

  Lambda VPC network interfaces        -> Hyperplane ENIs: made per subnet and group, released after a
                                           delay, available after a detach; they hold subnets and groups,
                                           and CloudFormation waits for them (moto: none at all)

  --lambda-eni-release-ms N, --lambda-eni-detach-ms N: that model's delays (see its section; 0 by default).
  Stack lifecycle (one section)         -> one stack per name: a CREATE change set for an existing stack
                                           refused, an UPDATE one for a REVIEW_IN_PROGRESS stack refused;
                                           executing a change set deletes the others (ChangeSetNotFound);
                                           ListChangeSets by stack; --stack-busy-ms N keeps an executed
                                           stack *_IN_PROGRESS for N ms (0 by default)

  --pace-ms N (the demo only, never the tests): reveal a stack's events N ms apart, at the pace of a
  (much faster) real deployment, instead of all at once. Nothing else changes.
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
import functools
from types import SimpleNamespace
import hashlib
import json
import os
import re
import threading
import time
from datetime import datetime, timezone
from ipaddress import ip_network
from typing import Any

from moto.apigateway.exceptions import BadRequestException, NotFoundException as ApiGatewayNotFound
from moto.apigateway.models import APIGatewayBackend
from moto.apigateway.models import Deployment, Method, RestAPI, apigateway_backends
from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.awslambda.exceptions import InvalidParameterValueException as LambdaInvalidParameterValue
from moto.awslambda.utils import get_backend as lambda_backend_for_config
from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap
from moto.cloudformation.exceptions import CloudFormationError, UnformattedGetAttTemplateException, ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult
from moto.ec2.exceptions import (
    DefaultVpcAlreadyExists,
    EC2ClientError,
    InvalidAvailabilityZoneError,
    InvalidRouteError,
    InvalidRouteTableIdError,
    InvalidVPCPeeringConnectionIdError,
)
from moto.ec2.models import ec2_backends
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend, Zone
from moto.ec2.models.route_tables import Route, RouteTable
from moto.ec2.models.security_groups import SecurityGroup
from moto.ec2.models.subnets import SubnetBackend, SubnetRouteTableAssociation
from moto.ec2.models.vpc_peering_connections import VPCPeeringConnection
from moto.ec2.models.vpcs import VPCBackend, VPCEndPoint
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.exceptions import NotFoundException as IamNoSuchEntity
from moto.iam.models import AWSManagedPolicy, Role, iam_backends
from moto.moto_api._internal import mock_random
from moto.route53.exceptions import NoSuchHostedZone
from moto.route53.models import FakeZone, route53_backends
from moto.ssm.models import Parameter
from moto.utilities.utils import get_partition


def creates(cls: Any):
    """Decorator: the decorated function becomes cls.create_from_cloudformation_json (a classmethod)."""

    def bind(fn: Any) -> Any:
        cls.create_from_cloudformation_json = classmethod(fn)
        return fn

    return bind


_operation = threading.local()  # the ClientRequestToken of the CloudFormation call being served


def props(cfn_json: dict[str, Any]) -> dict[str, Any]:
    return cfn_json.get("Properties") or {}


# --- Fn::GetAZs "" --------------------------------------------------------------------------------
# Gap: moto answers us-east-1 zones in every region (and does not resolve a Ref argument).
# AWS answers the zones of the argument's region, or of the stack's region when it is "".
_original_clean_json = parsing.clean_json


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    if isinstance(resource_json, dict) and "Fn::GetAZs" in resource_json:
        region = _original_clean_json(resource_json["Fn::GetAZs"], resources_map)
        region = region or resources_map["AWS::Region"]
        backend = ec2_backends[resources_map["AWS::AccountId"]][region]
        return [zone.name for zone in backend.describe_availability_zones()]
    return _original_clean_json(resource_json, resources_map)


parsing.clean_json = clean_json  # the original recurses through this module-level name


# --- AWS::ApiGateway::Method with a MOCK integration ------------------------------------------------
# Gap: moto reads Integration.IntegrationHttpMethod and Integration.Uri unconditionally (KeyError,
# HTTP 500, stack stuck). AWS needs neither for MOCK. Also keep RequestTemplates/PassthroughBehavior
# and the method/integration responses the template declares.
@creates(Method)
def method_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = apigateway_backends[account_id][region_name]
    api_id, resource_id, http_method = p["RestApiId"], p["ResourceId"], p["HttpMethod"]
    method = backend.put_method(
        function_id=api_id,
        resource_id=resource_id,
        method_type=http_method,
        authorization_type=p.get("AuthorizationType", "NONE"),
        api_key_required=p.get("ApiKeyRequired"),
    )
    for response in p.get("MethodResponses") or []:
        backend.put_method_response(
            api_id, resource_id, http_method, str(response["StatusCode"]),
            response.get("ResponseModels"), response.get("ResponseParameters"),
        )
    integration = p.get("Integration")
    if integration:
        backend.put_integration(
            function_id=api_id,
            resource_id=resource_id,
            method_type=http_method,
            integration_type=integration["Type"],
            uri=integration.get("Uri"),
            integration_method=integration.get("IntegrationHttpMethod"),
            request_templates=integration.get("RequestTemplates"),
            passthrough_behavior=integration.get("PassthroughBehavior"),
        )
        for response in integration.get("IntegrationResponses") or []:
            backend.put_integration_response(
                api_id, resource_id, http_method, str(response["StatusCode"]),
                response.get("SelectionPattern"), response.get("ResponseTemplates"),
                response.get("ResponseParameters"), response.get("ContentHandling"),
            )
    return method


# --- AWS::ApiGateway::RestApi EndpointConfiguration / Policy ------------------------------------------
# Gap: moto drops Policy and keeps EndpointConfiguration in CloudFormation's casing (Types), so
# GetRestApi shows an EDGE API without a policy. AWS keeps both. Delete: not implemented in moto.
# Gap: moto names an API without Name after its logical id. AWS (AWS::ApiGateway::RestApi reference:
# "Name ... required if you don't specify a OpenAPI definition", i.e. Body or BodyS3Location) passes the
# null name on to CreateRestApi, which refuses it with API Gateway's validation error (worded as AWS words
# it for an Authorizer without Name: awsdocs/aws-cloudformation-user-guide#879).
@creates(RestAPI)
def rest_api_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    if not p.get("Name") and not (p.get("Body") or p.get("BodyS3Location")):
        raise BadRequestException("1 validation error detected: Value null at 'createRestApiInput.name' "
                                  "failed to satisfy constraint: Member must not be null")
    config = p.get("EndpointConfiguration")
    if config:
        config = {"types": config.get("Types", []), **(
            {"vpcEndpointIds": config["VpcEndpointIds"]} if config.get("VpcEndpointIds") else {})}
    policy = p.get("Policy")
    return apigateway_backends[account_id][region_name].create_rest_api(
        name=p.get("Name", resource_name),
        description=p.get("Description", ""),
        endpoint_configuration=config,
        policy=json.dumps(policy) if isinstance(policy, dict) else policy,
    )


def rest_api_delete(self, account_id, region_name):
    apigateway_backends[account_id][region_name].apis.pop(self.id, None)


RestAPI.delete = rest_api_delete


# --- AWS::ApiGateway::Deployment Ref and AWS::ApiGateway::Stage -------------------------------------------
# Gap: a Deployment has no physical id (Ref gives the Python object), and moto has no model for
# AWS::ApiGateway::Stage at all (skipped with a warning: Ref empty, "${Stage}" left literal).
# AWS: Ref Deployment = deployment id; Ref Stage = stage name; deleting the stage removes it.
Deployment.physical_resource_id = property(lambda self: self.id)


class StageModel(CloudFormationModel):
    __module__ = "moto.apigateway.launcher"  # moto files models by the service in their module path

    def __init__(self, api_id: str, name: str):
        self.api_id, self.name = api_id, name

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = props(cloudformation_json)
        # AWS's handler refuses a missing one, though the reference says optional (HandlerErrorCode
        # InvalidRequest: aws-cloudformation/cloudformation-coverage-roadmap#2419).
        if not p.get("DeploymentId"):
            raise InvalidRequest("DeploymentId cannot be empty")
        apigateway_backends[account_id][region_name].create_stage(
            p["RestApiId"], p["StageName"], p["DeploymentId"],
            variables=p.get("Variables"), description=p.get("Description", ""),
            tags={t["Key"]: t["Value"] for t in p.get("Tags") or []},
        )
        return cls(p["RestApiId"], p["StageName"])

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # AWS updates DeploymentId and Description in place (UpdateStage); a new RestApiId or StageName
        # replaces the stage. Only the in-place case is modelled: the stage then serves the new deployment.
        p = props(cloudformation_json)
        if (p["RestApiId"], p["StageName"]) != (original_resource.api_id, original_resource.name):
            raise NotUpdatable("AWS::ApiGateway::Stage", "a new RestApiId or StageName (a replacement)")
        backend = apigateway_backends[account_id][region_name]
        _require_deployment(backend.get_rest_api(p["RestApiId"]), p.get("DeploymentId"))
        stage = backend.get_stage(p["RestApiId"], p["StageName"])
        stage.deployment_id, stage.description = p["DeploymentId"], p.get("Description", "")
        stage.variables = p.get("Variables") or {}
        return original_resource

    def delete(self, account_id, region_name):
        api = apigateway_backends[account_id][region_name].apis.get(self.api_id)
        if api is not None:
            api.stages.pop(self.name, None)


for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
    cached.cache_clear()  # make moto's CloudFormation see StageModel


# --- AWS::EC2::VPCEndpoint: Fn::GetAtt (DnsEntries, ...) and delete --------------------------------------
# Gap: any Fn::GetAtt on an endpoint is an HTTP 500 (the model has no get_cfn_attribute), and moto's
# one DNS entry looks nothing like AWS's. AWS lists the regional name first, then one per zone,
# each as "hostedZoneId:dnsName". Delete: not implemented in moto (the ENIs and endpoint stayed).
# The Route 53 zone of <region>.vpce.amazonaws.com, one per region, as DescribeVpcEndpoints answers it.
# AWS publishes no table of these; this one is kubernetes-sigs/external-dns's (provider/aws/aws.go,
# canonicalHostedZones), collected from AWS's answers. A region missing here gets an id of its own
# derived from its name (never another region's): an alias must name the target region's zone.
VPCE_ZONE_IDS = {
    "us-east-1": "Z7HUB22UULQXV", "us-east-2": "ZC8PG0KIFKBRI", "us-west-1": "Z12I86A8N7VCZO",
    "us-west-2": "Z1YSA3EXCYUU9Z", "ca-central-1": "ZRCXCF510Y6P9", "sa-east-1": "Z2LXUWEVLCVZIB",
    "eu-west-1": "Z38GZ743OKFT7T", "eu-west-2": "Z7K1066E3PUKB", "eu-west-3": "Z1DWHTMFP0WECP",
    "eu-central-1": "Z273ZU8SZ5RJPC", "eu-central-2": "Z045369019J4FUQ4S272E",
    "eu-north-1": "Z3OWWK6JFDEDGC", "eu-south-1": "Z2A5FDNRLY7KZG", "eu-south-2": "Z014396544HENR57XQCJ",
    "af-south-1": "Z09302161J80N9A7UTP7U", "me-south-1": "Z3B95P3VBGEQGY",
    "me-central-1": "Z07122992YCEUCB9A9570", "ap-east-1": "Z2LIHJ7PKBEMWN",
    "ap-south-1": "Z2KVTB3ZLFM7JR", "ap-south-2": "Z0952991RWSF5AHIQDIY",
    "ap-northeast-1": "Z2E726K9Y6RL4W", "ap-northeast-2": "Z27UANNT0PRK1T",
    "ap-northeast-3": "Z376B5OMM2JZL2", "ap-southeast-1": "Z18LLCSTV4NVNL",
    "ap-southeast-2": "ZDK2GCRPAFKGO", "ap-southeast-3": "Z03881013RZ9BYYZO8N5W",
    "ap-southeast-4": "Z07508191CO1RNBX3X3AU", "us-gov-east-1": "Z2MU5TEIGO9WXB",
    "us-gov-west-1": "Z12529ZODG2B6H",
}


def vpce_zone_id(region: str) -> str:
    return VPCE_ZONE_IDS.get(region) or "Z" + hashlib.sha256(region.encode()).hexdigest().upper()[:13]


def _realistic_dns_entries(backend: Any, endpoint: VPCEndPoint) -> list[dict[str, str]]:
    region = backend.region_name
    prefix = f"com.amazonaws.{region}."
    service = endpoint.service_name[len(prefix):] if endpoint.service_name.startswith(prefix) else endpoint.service_name
    zone = vpce_zone_id(region)
    base = f"{endpoint.id}-{mock_random.get_random_string(8, lower_case=True)}"
    names = [f"{base}.{service}.{region}.vpce.amazonaws.com"]
    for subnet_id in endpoint.subnet_ids or []:
        az = backend.get_subnet(subnet_id).availability_zone
        names.append(f"{base}-{az}.{service}.{region}.vpce.amazonaws.com")
    return [{"dns_name": name, "hosted_zone_id": zone} for name in names]


_original_create_vpc_endpoint = VPCBackend.create_vpc_endpoint


def create_vpc_endpoint(self, *args, **kwargs):
    endpoint = _original_create_vpc_endpoint(self, *args, **kwargs)
    if (endpoint.vpc_endpoint_type or "").lower() == "interface":
        endpoint.dns_entries = _realistic_dns_entries(self, endpoint)
    return endpoint


VPCBackend.create_vpc_endpoint = create_vpc_endpoint


def vpce_get_cfn_attribute(self, name: str) -> Any:
    if name == "DnsEntries":
        return [f"{e['hosted_zone_id']}:{e['dns_name']}" for e in self.dns_entries or []]
    if name == "NetworkInterfaceIds":
        return list(self.network_interface_ids)
    if name == "Id":
        return self.id
    if name == "CreationTimestamp":
        return self.creation_timestamp.isoformat()
    raise UnformattedGetAttTemplateException()


def vpce_delete(self, account_id, region_name):
    backend = ec2_backends[account_id][region_name]
    backend.delete_vpc_endpoints([self.id])
    backend.vpc_end_points.pop(self.id, None)


VPCEndPoint.get_cfn_attribute = vpce_get_cfn_attribute
VPCEndPoint.has_cfn_attr = classmethod(
    lambda cls, attr: attr in ("DnsEntries", "NetworkInterfaceIds", "Id", "CreationTimestamp"))
VPCEndPoint.delete = vpce_delete


# --- AWS::EC2::VPCPeeringConnection with PeerRegion; delete ------------------------------------------
# Gap: moto ignores PeerRegion and looks the peer VPC up in its own region (InvalidVpcID.NotFound).
# AWS finds it in PeerRegion and, for a same-account peering without PeerRoleArn, accepts it itself:
# the connection is active in both regions. Delete: not implemented in moto; AWS marks it deleted.
@creates(VPCPeeringConnection)
def pcx_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = ec2_backends[account_id][region_name]
    peer_account = p.get("PeerOwnerId") or account_id
    peer_backend = ec2_backends[peer_account][p.get("PeerRegion") or region_name]
    tags = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
    vpc, peer_vpc = backend.get_vpc(p["VpcId"]), peer_backend.get_vpc(p["PeerVpcId"])
    if ip_network(vpc.cidr_block).overlaps(ip_network(peer_vpc.cidr_block)):  # AWS: the peering fails
        raise EC2ClientError("InvalidParameterValue", f"The CIDR blocks of {vpc.id} ({vpc.cidr_block}) and "
                             f"{peer_vpc.id} ({peer_vpc.cidr_block}) overlap: peering is not possible.")
    pcx = backend.create_vpc_peering_connection(vpc, peer_vpc, tags=tags)
    if peer_account == account_id and not p.get("PeerRoleArn"):
        peer_backend.accept_vpc_peering_connection(pcx.id)  # moto's own accept flow
    return pcx


def pcx_delete(self, account_id, region_name):
    try:
        ec2_backends[account_id][region_name].delete_vpc_peering_connection(self.id)
    except InvalidVPCPeeringConnectionIdError:
        pass


VPCPeeringConnection.delete = pcx_delete


# --- AWS::EC2::RouteTable and AWS::EC2::Route deletes ---------------------------------------------------
# Gap: not implemented; a VPC that keeps its own route table cannot be deleted. moto deletes a
# stack's resources in any order and retries, so a delete whose target is already gone succeeds,
# and one that still has dependants raises (DependencyViolation) to be retried.
def route_table_delete(self, account_id, region_name):
    try:
        ec2_backends[account_id][region_name].delete_route_table(self.id)
    except InvalidRouteTableIdError:
        pass


def route_delete(self, account_id, region_name):
    try:
        ec2_backends[account_id][region_name].delete_route(
            self.route_table.id, self.destination_cidr_block, self.destination_ipv6_cidr_block)
    except (InvalidRouteTableIdError, InvalidRouteError):
        pass


RouteTable.delete = route_table_delete
Route.delete = route_delete


# --- AWS::EC2::SubnetRouteTableAssociation --------------------------------------------------------------
# Gap: moto stores the association apart from the route table, so DescribeRouteTables does not show
# it (and nothing deletes it). AWS associates the subnet with the table; the Ref is the association id.
@creates(SubnetRouteTableAssociation)
def association_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = ec2_backends[account_id][region_name]
    association = cls(p["RouteTableId"], p["SubnetId"])
    association.association_id = backend.associate_route_table(p["RouteTableId"], subnet_id=p["SubnetId"])
    return association


def association_delete(self, account_id, region_name):
    table = ec2_backends[account_id][region_name].route_tables.get(self.route_table_id)
    if table is not None:
        table._associations.pop(self.association_id, None)


SubnetRouteTableAssociation.physical_resource_id = property(
    lambda self: getattr(self, "association_id", self.route_table_id))
SubnetRouteTableAssociation.delete = association_delete


# --- AWS::Route53::HostedZone VPCs; delete --------------------------------------------------------------
# Gap: moto drops VPCs and HostedZoneConfig, so the zone is public. AWS makes a zone with VPCs a
# private zone associated with each of them. Delete: not implemented in moto.
@creates(FakeZone)
def zone_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = route53_backends[account_id][get_partition(region_name)]
    vpcs = p.get("VPCs") or []
    zone = backend.create_hosted_zone(
        p.get("Name", resource_name),
        private_zone=bool(vpcs),
        comment=(p.get("HostedZoneConfig") or {}).get("Comment"),
        vpcid=vpcs[0]["VPCId"] if vpcs else None,
        vpcregion=vpcs[0]["VPCRegion"] if vpcs else None,
    )
    for vpc in vpcs[1:]:
        backend.associate_vpc_with_hosted_zone(zone.id, vpc["VPCId"], vpc["VPCRegion"])
    return zone


def zone_get_cfn_attribute(self, name: str) -> Any:
    if name == "Id":
        return self.resource_id
    if name == "NameServers":  # none for a private zone: AWS's GetHostedZone has no DelegationSet for it
        return list(self.delegation_set.name_servers) if self.delegation_set and not self.private_zone else []
    raise UnformattedGetAttTemplateException()


def zone_delete(self, account_id, region_name):
    try:  # raises HostedZoneNotEmpty while the stack's record sets remain: retried by moto
        route53_backends[account_id][get_partition(region_name)].delete_hosted_zone(self.resource_id)
    except NoSuchHostedZone:
        pass


FakeZone.get_cfn_attribute = zone_get_cfn_attribute
FakeZone.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Id", "NameServers"))
FakeZone.delete = zone_delete


# --- AWS::SSM::Parameter Fn::GetAtt ---------------------------------------------------------------------
# Gap: the model has no get_cfn_attribute; an output reading Value/Type makes DescribeStacks drop
# every output. AWS answers Type and Value.
def ssm_get_cfn_attribute(self, name: str) -> Any:
    if name == "Value":
        return self.value
    if name == "Type":
        return self.type
    raise UnformattedGetAttTemplateException()


Parameter.get_cfn_attribute = ssm_get_cfn_attribute
Parameter.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Value", "Type"))
# Gap: CloudFormation's Tags for a parameter are a JSON object ({"Key": "Value"}); moto reads them as
# a list of {Key, Value} (TypeError, HTTP 500). AWS accepts the object.
_original_parameter_create = Parameter.create_from_cloudformation_json.__func__


@creates(Parameter)
def parameter_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    if isinstance(p.get("Tags"), dict):
        p["Tags"] = [{"Key": k, "Value": v} for k, v in p["Tags"].items()]
    return _original_parameter_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


# AWS::SSM::Parameter::Value<List<String>> parameters: moto 5.2.1 already resolves them (it splits a
# value whose type contains "List" on commas), so nothing to patch there.


# --- AWS::Lambda::Function created through CloudFormation ------------------------------------------------
# Gap (moto 5.2.1, fixed in 5.2.2): CloudFormation creates functions in the Docker backend while, with
# {"lambda": {"use_docker": false}}, Invoke/GetFunction read the Docker-less one (404). Route every
# backend lookup in moto's Lambda models through the same choice the API responses make.
class _LambdaBackendsByConfig:
    class _Account:
        def __init__(self, account_id: str):
            self.account_id = account_id

        def __getitem__(self, region: str) -> Any:
            return lambda_backend_for_config(self.account_id, region)

    def __getitem__(self, account_id: str) -> Any:
        return self._Account(account_id)


lambda_models.lambda_backends = _LambdaBackendsByConfig()


# --- Lambda function states: a new VPC function is Pending before it is Active ----------------------------
# Gap: moto's functions are State Active, LastUpdateStatus Successful from the moment they exist. AWS
# (Lambda developer guide, "Lambda function states",
# https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): "When you create a function, the
# function is initially in the Pending state ... When you first connect a function to a VPC, Lambda
# provisions network interfaces, which takes about a minute ... While the state is Pending, invocations and
# other API actions that operate on the function return an error." GetFunctionConfiguration then answers
# State Pending, StateReason "The function is being created.", StateReasonCode Creating (no LastUpdateStatus
# yet), and Invoke answers ResourceConflictException (HTTP 409) "The operation cannot be performed at this
# time. The function is currently in the following state: Pending". Here a function created with subnets is
# Pending for --lambda-pending-ms (AWS: about a minute; 0 turns this off). Only Invoke is refused: the
# other calls AWS refuses while Pending are not ones our tool makes then.
_lambda_pending = {"ms": 1500}


class FunctionNotActive(LambdaClientError):
    code = 409

    def __init__(self, state: str):
        super().__init__(
            "ResourceConflictException",
            f"The operation cannot be performed at this time. The function is currently in the following state: {state}",
        )


_original_function_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration


def function_init(self, account_id, spec, region, version=1):
    _original_function_init(self, account_id, spec, region, version)
    subnets = (spec.get("VpcConfig") or {}).get("SubnetIds") or []
    self.active_at = time.time() + _lambda_pending["ms"] / 1000 if subnets else 0.0


def _pending(function: LambdaFunction) -> bool:
    return time.time() < getattr(function, "active_at", 0.0)


def get_configuration(self, on_create: bool = False) -> dict[str, Any]:
    config = _original_get_configuration(self, on_create)
    if _pending(self):
        config.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        config.pop("LastUpdateStatus", None)
    return config


def refusing_while_pending(original: Any) -> Any:
    def invoke(self, function_name, qualifier, body, headers, response_headers):
        if _pending(self.get_function(function_name, qualifier)):
            raise FunctionNotActive("Pending")
        return original(self, function_name, qualifier, body, headers, response_headers)

    return invoke


LambdaFunction.__init__ = function_init
LambdaFunction.get_configuration = get_configuration
LambdaBackend.invoke = refusing_while_pending(LambdaBackend.invoke)
LambdaSimpleBackend.invoke = refusing_while_pending(LambdaSimpleBackend.invoke)


# --- Change sets ------------------------------------------------------------------------------------------
# Gap: after ExecuteChangeSet the stack keeps the empty template its CREATE change set started with,
# so DescribeStacks shows no Outputs, and its parameters stay the first ones. AWS shows the outputs of
# the executed template and the parameters it ran with.
# Gap: a resource that fails makes ExecuteChangeSet itself answer the error, with no FAILED event and
# no rollback (the stack stays *_IN_PROGRESS). AWS accepts the request, then records the resource's
# CREATE_FAILED/UPDATE_FAILED event with the reason and rolls back: a failed create deletes what it
# made and ends ROLLBACK_COMPLETE; a failed update ends UPDATE_ROLLBACK_COMPLETE (here without
# restoring the old properties: moto cannot).
_original_execute_change_set = CloudFormationBackend.execute_change_set
_original_parse_and_create_resource = parsing.parse_and_create_resource


def parse_and_create_resource(logical_id, resource_json, *args, **kwargs):
    try:
        return _original_parse_and_create_resource(logical_id, resource_json, *args, **kwargs)
    except Exception as error:  # remember the innermost resource (Refs create dependencies first)
        if not hasattr(error, "cfn_logical_id"):
            error.cfn_logical_id, error.cfn_resource_type = logical_id, resource_json.get("Type")
        raise


parsing.parse_and_create_resource = parse_and_create_resource


def _roll_back(stack, change_set, error: Exception) -> None:
    kind = change_set.change_set_type  # CREATE or UPDATE
    logical_id = getattr(error, "cfn_logical_id", stack.name)
    code = getattr(error, "error_type", None) or getattr(error, "code", type(error).__name__)
    reason = f"{getattr(error, 'message', None) or error} (Error Code: {code})"
    _resource_event(stack, logical_id, "", getattr(error, "cfn_resource_type", None) or "AWS::CloudFormation::Stack",
                    f"{kind}_FAILED", reason)
    verb = "create" if kind == "CREATE" else "update"
    prefix = "" if kind == "CREATE" else "UPDATE_"
    stack._add_stack_event(f"{prefix}ROLLBACK_IN_PROGRESS",
                           resource_status_reason=f"The following resource(s) failed to {verb}: [{logical_id}]. ")
    if kind == "CREATE":
        stack.rolled_back_resources = _made_resources(stack)
        try:
            stack.resource_map.delete()
        except Exception:
            pass
    stack._add_stack_event(f"{prefix}ROLLBACK_COMPLETE")
    stack.status = f"{prefix}ROLLBACK_COMPLETE"
    change_set.execution_status = "EXECUTE_FAILED"


# Gap: DescribeStackResources on a stack whose create was rolled back makes moto build the stack's resources
# again from its template on first access (a failing one raises its own service's error, as JSON inside an
# XML API). AWS keeps listing what the create made, deleted by the rollback (ROLLBACK_COMPLETE stacks keep
# their resource records), so a caller can still find, e.g., a deleted function's name.
def _made_resources(stack: Stack) -> list[Any]:
    return [SimpleNamespace(logical_resource_id=logical_id, physical_resource_id=_physical_id(resource),
                            cf_resource_type=getattr(resource, "cf_resource_type", None) or type(resource).cloudformation_type())
            for logical_id, resource in stack.resource_map._parsed_resources.items()
            if isinstance(resource, CloudFormationModel) and _physical_id(resource)]


_describe_stack_resources_live = CloudFormationBackend.describe_stack_resources


def describe_stack_resources(self, stack_name, logical_resource_id):
    stack = self.get_stack(stack_name)
    made = getattr(stack, "rolled_back_resources", None)
    if made is None or stack.status != "ROLLBACK_COMPLETE":
        return _describe_stack_resources_live(self, stack_name, logical_resource_id)
    return stack, [r for r in made if logical_resource_id in (None, r.logical_resource_id)]


CloudFormationBackend.describe_stack_resources = describe_stack_resources


def execute_change_set(self, change_set_name, stack_name=None):
    change_set = self.describe_change_set(change_set_name)
    stack = self.stacks[change_set.stack_id]
    try:
        _original_execute_change_set(self, change_set_name, stack_name)
    except Exception as error:
        _roll_back(stack, change_set, error)
        return
    stack._parse_template()
    stack.description = stack.template_dict.get("Description")
    stack.parameters = change_set.parameters
    stack.output_map = stack._create_output_map()


CloudFormationBackend.execute_change_set = execute_change_set

# Gap: CreateChangeSet for an unchanged stack answers "No updates are to be performed" (UpdateStack's
# check). AWS creates the change set, which ends FAILED: "The submitted information didn't contain
# changes. Submit different information to create a change set." moto's backend already does that
# once the response layer stops short-circuiting.
# Gap: moto checks neither parameter values nor capabilities. AWS refuses CreateChangeSet/CreateStack
# at once when a parameter is unknown, missing, or breaks its AllowedPattern/AllowedValues/Min/
# MaxLength, and when IAM resources come without CAPABILITY_IAM (CAPABILITY_NAMED_IAM for named ones).
class InsufficientCapabilitiesException(CloudFormationError):
    code = "InsufficientCapabilitiesException"


IAM_NAME_PROPERTIES = {"AWS::IAM::Role": "RoleName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
                       "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName",
                       "AWS::IAM::InstanceProfile": "InstanceProfileName"}


def _validate_request(self) -> None:
    body = self._get_param("TemplateBody")
    if not body:
        return  # TemplateURL / UsePreviousTemplate: not checked here
    template = Stack.parse_template(body)
    declared = template.get("Parameters") or {}
    given = {p["ParameterKey"]: p for p in self._get_param("Parameters", [])}
    unknown = [key for key in given if key not in declared]
    if unknown:
        raise ValidationError(message=f"Parameters: [{', '.join(unknown)}] do not exist in the template")
    missing = [key for key, slot in declared.items() if key not in given and "Default" not in slot]
    if missing:
        raise ValidationError(message=f"Parameters: [{', '.join(missing)}] must have values")
    for key, given_parameter in given.items():
        slot, value = declared[key], given_parameter.get("ParameterValue")
        if given_parameter.get("UsePreviousValue") or value is None:
            continue
        kind = str(slot.get("Type", "String"))
        if kind.startswith("AWS::SSM::Parameter"):
            continue
        for item in value.split(",") if "List" in kind else [value]:
            pattern, allowed = slot.get("AllowedPattern"), slot.get("AllowedValues")
            if pattern and not re.fullmatch(pattern, item):
                raise ValidationError(message=f"Parameter '{key}' must match pattern {pattern}")
            if allowed and item not in [str(a) for a in allowed]:
                raise ValidationError(message=f"Parameter '{key}' must be one of AllowedValues")
            if "MinLength" in slot and len(item) < int(slot["MinLength"]):
                raise ValidationError(message=f"Parameter '{key}' must contain at least {slot['MinLength']} characters")
            if "MaxLength" in slot and len(item) > int(slot["MaxLength"]):
                raise ValidationError(message=f"Parameter '{key}' must contain at most {slot['MaxLength']} characters")
    needed = None
    for resource in (template.get("Resources") or {}).values():
        kind, properties = resource.get("Type", ""), resource.get("Properties") or {}
        if IAM_NAME_PROPERTIES.get(kind) in properties:
            needed = "CAPABILITY_NAMED_IAM"
        elif kind.startswith("AWS::IAM::") and needed is None:
            needed = "CAPABILITY_IAM"
    capabilities = set(self._get_param("Capabilities", []))
    if needed and not (needed in capabilities or (needed == "CAPABILITY_IAM" and "CAPABILITY_NAMED_IAM" in capabilities)):
        raise InsufficientCapabilitiesException(f"Requires capabilities : [{needed}]")


_original_create_change_set = CloudFormationResponse.create_change_set
_original_create_stack = CloudFormationResponse.create_stack


def create_change_set(self):
    _validate_request(self)
    self._validate_different_update = lambda *args, **kwargs: None
    return _original_create_change_set(self)


def create_stack(self):
    _validate_request(self)
    return _original_create_stack(self)


CloudFormationResponse.create_change_set = create_change_set
CloudFormationResponse.create_stack = create_stack


# Gap: an AWS::SSM::Parameter::Value<...> parameter shows its resolved Python value in DescribeStacks
# ("['rtb-1']"). AWS shows the parameter name as ParameterValue and the value as ResolvedValue.
def parameter_list(self):
    declared = self.template_dict.get("Parameters") or {}
    result = []
    for key, value in self.resource_map.resolved_parameters.items():
        if key in self.resource_map.no_echo_parameter_keys:
            result.append({"ParameterKey": key, "ParameterValue": "****"})
        elif str((declared.get(key) or {}).get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            name = self.resource_map.input_parameters.get(key, declared[key].get("Default"))
            resolved = ",".join(value) if isinstance(value, list) else value
            result.append({"ParameterKey": key, "ParameterValue": name, "ResolvedValue": resolved})
        else:
            result.append({"ParameterKey": key, "ParameterValue": ",".join(value) if isinstance(value, list) else value})
    return result


Stack.parameter_list = property(parameter_list)

# Gap: stack events never carry the ClientRequestToken of the operation that caused them. AWS stamps
# every event of an operation with the token passed to CreateStack/UpdateStack/ExecuteChangeSet/
# DeleteStack, which is how a poller tells its own operation's events from older ones.
_original_add_stack_event = Stack._add_stack_event


def add_stack_event(self, *args, **kwargs):
    _original_add_stack_event(self, *args, **kwargs)
    self.events[-1].client_request_token = getattr(_operation, "token", None)


Stack._add_stack_event = add_stack_event


def _with_request_token(name: str) -> None:
    original = getattr(CloudFormationResponse, name)

    def handler(self):
        _operation.token = self._get_param("ClientRequestToken")
        try:
            return original(self)
        finally:
            _operation.token = None

    setattr(CloudFormationResponse, name, handler)


for _name in ("create_stack", "update_stack", "execute_change_set", "delete_stack"):
    _with_request_token(_name)


# --- Resource events -----------------------------------------------------------------------------------------
# Gap: moto records only the stack's own events. AWS records every resource's progress: CREATE_IN_PROGRESS,
# again with "Resource creation Initiated" once it has a physical id, then CREATE_COMPLETE (UPDATE_* and
# DELETE_* alike), stamped with the operation's token. Progress views are built from these. moto creates a
# resource's dependencies inside its own creation (a Ref), so the events are recorded once it succeeded:
# dependencies then complete before their dependants start, as on AWS. A failure records its
# IN_PROGRESS here and its FAILED in _roll_back.
def _resource_event(stack: Stack, logical_id: str, physical_id: str, kind: str, status: str,
                    reason: str | None = None) -> None:
    event = Event(stack.stack_id, stack.name, logical_id, physical_id, kind, status, reason, None)
    event.client_request_token = getattr(_operation, "token", None)
    stack.events.append(event)


def _physical_id(resource: Any) -> str:
    return str(getattr(resource, "physical_resource_id", "") or "")


def create_with_events(logical_id, resource_json, resources_map, *args, **kwargs):
    stack, kind = resources_map.stack, resource_json.get("Type", "")
    try:
        resource = parse_and_create_resource(logical_id, resource_json, resources_map, *args, **kwargs)
    except Exception as error:
        if not hasattr(error, "cfn_event_recorded"):  # the innermost resource only, as with cfn_logical_id
            error.cfn_event_recorded = True
            _resource_event(stack, logical_id, "", kind, "CREATE_IN_PROGRESS")
        raise
    if resource is not None:
        physical = _physical_id(resource)
        _resource_event(stack, logical_id, "", kind, "CREATE_IN_PROGRESS")
        _resource_event(stack, logical_id, physical, kind, "CREATE_IN_PROGRESS", "Resource creation Initiated")
        _resource_event(stack, logical_id, physical, kind, "CREATE_COMPLETE")
    return resource


parsing.parse_and_create_resource = create_with_events
_original_parse_and_update_resource = parsing.parse_and_update_resource


def update_with_events(logical_id, resource_json, resources_map, *args, **kwargs):
    resource = _original_parse_and_update_resource(logical_id, resource_json, resources_map, *args, **kwargs)
    if resource is not None:
        stack, kind, physical = resources_map.stack, resource_json.get("Type", ""), _physical_id(resource)
        _resource_event(stack, logical_id, physical, kind, "UPDATE_IN_PROGRESS")
        _resource_event(stack, logical_id, physical, kind, "UPDATE_COMPLETE")
    return resource


parsing.parse_and_update_resource = update_with_events
_original_create_resource_map = Stack._create_resource_map


def create_resource_map(self):
    # Only stacks make resource maps; the way back to the stack's events, also while it is being deleted
    # (it has left backend.stacks by then).
    resource_map = _original_create_resource_map(self)
    resource_map.stack = self
    return resource_map


Stack._create_resource_map = create_resource_map
_original_delete_resource = ResourceMap._delete_resource


def delete_with_events(self, parsed_resource, resource_json):
    _original_delete_resource(self, parsed_resource, resource_json)  # raises to be retried: no event yet
    stack, kind = self.stack, resource_json.get("Type", "")
    logical_id, physical = getattr(parsed_resource, "logical_resource_id", ""), _physical_id(parsed_resource)
    _resource_event(stack, logical_id, physical, kind, "DELETE_IN_PROGRESS")
    _resource_event(stack, logical_id, physical, kind, "DELETE_COMPLETE")


ResourceMap._delete_resource = delete_with_events


# ==========================================================================================================
# --- Availability Zones: what a real account's zones accept and refuse ------------------------------------
# The tool chooses two zones per VPC from AWS's answers (DESIGN §10.1); moto's zones accept anything. These
# patches make the emulated account's zones behave as a real account's do, and place the restrictions on
# the zones a naive choice (the first two by name) would take, so the integration suite deploys through them.

# Zone names map to zone ids per account (AWS RAM User Guide, "Availability Zone IDs for your AWS
# resources"); in this account us-east-1a is use1-az3, as in many real ones (moto's default maps it to
# use1-az6). AWS also lists the Local Zones an account opted into (EC2 User Guide, "Local Zones"): their
# ZoneType is local-zone and their name sorts before the region's AZs. Every zone carries OptInStatus,
# GroupName and NetworkBorderGroup, as DescribeAvailabilityZones answers (moto: no OptInStatus).
ACCOUNT_ZONE_IDS = {"us-east-1": ["use1-az3", "use1-az6", "use1-az1", "use1-az2", "use1-az4", "use1-az5"]}
LOCAL_ZONES = {"us-east-1": [("us-east-1-bos-1a", "use1-bos1-az1", "us-east-1-bos-1")]}

for _region, _ids in ACCOUNT_ZONE_IDS.items():
    for _zone, _zone_id in zip(sorted(RegionsAndZonesBackend.zones[_region], key=lambda z: z.name), _ids):
        _zone.zone_id = _zone_id
for _region_zones in RegionsAndZonesBackend.zones.values():
    for _zone in _region_zones:
        _zone.opt_in_status, _zone.group_name, _zone.network_border_group = "opt-in-not-required", _zone.region_name, _zone.region_name
for _region, _locals in LOCAL_ZONES.items():
    for _name, _zone_id, _group in _locals:
        _local = Zone(region_name=_region, name=_name, zone_id=_zone_id, zone_type="local-zone")
        _local.opt_in_status, _local.group_name, _local.network_border_group = "opted-in", _group, _group
        RegionsAndZonesBackend.zones[_region].append(_local)


def create_default_vpc(self):
    # AWS makes a default subnet in each Availability Zone, none in Local Zones (VPC User Guide, "Default VPCs").
    if self.describe_vpcs(filters={"is-default": ["true"]}):
        raise DefaultVpcAlreadyExists
    vpc = self.create_vpc(cidr_block="172.31.0.0/16", is_default=True)
    for zone in self.describe_availability_zones():
        if zone.zone_type == "availability-zone":
            self.create_default_subnet(zone.name)
    return vpc


VPCBackend.create_default_vpc = create_default_vpc

# An interface endpoint service is offered only in the zones DescribeVpcEndpointServices lists for it, and
# CreateVpcEndpoint refuses a subnet in another zone with InvalidParameter "The VPC endpoint service <name>
# does not support the availability zone of the subnet: <subnet>." (AWS Knowledge Center,
# "interface-endpoint-availability-zone"; the same answer in terraform-aws-modules/terraform-aws-vpc#785).
# Modelled, not a fact about execute-api: this account's execute-api is missing from the zone ids below, the
# first zone by name of us-east-1 and of eu-west-1 here. Endpoint services are never offered in Local Zones
# (moto lists every zone whose name starts with the region).
ENDPOINT_SERVICE_MISSING_ZONE_IDS = {"execute-api": {"use1-az3", "euw1-az3"}}
_original_collect_default_endpoint_services = VPCBackend._collect_default_endpoint_services


def _offered_zones(region: str, service_name: str) -> list[str]:
    missing = ENDPOINT_SERVICE_MISSING_ZONE_IDS.get(service_name.rsplit(".", 1)[-1], set())
    return [zone.name for zone in RegionsAndZonesBackend.zones.get(region, [])
            if zone.zone_type == "availability-zone" and zone.zone_id not in missing]


def collect_default_endpoint_services(account_id: str, region: str) -> list[dict[str, Any]]:
    services = _original_collect_default_endpoint_services(account_id, region)
    for service in services:  # moto shares one zone list between a region's services: replace, never mutate
        service["AvailabilityZones"] = _offered_zones(region, service["ServiceName"])
    return services


VPCBackend._collect_default_endpoint_services = staticmethod(collect_default_endpoint_services)
_create_vpc_endpoint_with_dns = VPCBackend.create_vpc_endpoint


def create_vpc_endpoint_in_offered_zones(self, **kwargs):  # moto's callers all pass keywords
    service_name, endpoint_type = kwargs.get("service_name", ""), kwargs.get("endpoint_type")
    offered = {s["ServiceName"]: s["AvailabilityZones"]
               for s in VPCBackend._collect_default_endpoint_services(self.account_id, self.region_name)}
    if (endpoint_type or "").lower() == "interface" and service_name in offered:
        for subnet_id in kwargs.get("subnet_ids") or []:
            if self.get_subnet(subnet_id).availability_zone not in offered[service_name]:
                raise EC2ClientError("InvalidParameter", f"The VPC endpoint service {service_name} does not support "
                                     f"the availability zone of the subnet: {subnet_id}.")
    return _create_vpc_endpoint_with_dns(self, **kwargs)


VPCBackend.create_vpc_endpoint = create_vpc_endpoint_in_offered_zones

# Lambda refuses a VPC function whose subnets are in a zone it does not support, with
# InvalidParameterValueException "The provided subnets contain availability zone Lambda doesn't support."
# (CloudFormation shows it as the function's CREATE_FAILED reason; keboola/developer-portal#81). AWS documents
# use1-az3 (Lambda Developer Guide, VPC configuration), the one id the tool knows (src/aws/ec2-lookups.ts).
# The emulated account's Lambda also refuses usw2-az4, which the tool does not know: it stands for a zone
# Lambda refuses anyway, so the suite sees the failure message that names the zones and --client-azs.
LAMBDA_REFUSED_ZONE_IDS_AWS = {"use1-az3"}
LAMBDA_REFUSED_ZONE_IDS_EMULATED_ONLY = {"usw2-az4"}
_original_lambda_create_function = lambda_models.LambdaBackend.create_function


def lambda_create_function(self, spec):
    refused = LAMBDA_REFUSED_ZONE_IDS_AWS | LAMBDA_REFUSED_ZONE_IDS_EMULATED_ONLY
    ec2 = ec2_backends[self.account_id][self.region_name]
    for subnet_id in (spec.get("VpcConfig") or {}).get("SubnetIds") or []:
        if ec2.get_subnet(subnet_id).availability_zone_id in refused:
            raise LambdaInvalidParameterValue("The provided subnets contain availability zone Lambda doesn't support.")
    return _original_lambda_create_function(self, spec)


lambda_models.LambdaBackend.create_function = lambda_create_function

# A template parameter of type AWS::EC2::AvailabilityZone::Name must name a zone of the stack's region:
# CreateChangeSet/CreateStack answer ValidationError "Parameter validation failed: parameter value <v> for
# parameter name <p> does not exist." (CloudFormation User Guide, "AWS-specific parameter types"; moto
# checks nothing). CreateSubnet in a zone of another region: InvalidParameterValue listing the region's
# zones (moto finds the zone in any region).
_create_change_set_checked = CloudFormationResponse.create_change_set
_create_stack_checked = CloudFormationResponse.create_stack


def _check_zone_parameters(self) -> None:
    body = self._get_param("TemplateBody")
    if not body:
        return
    declared = Stack.parse_template(body).get("Parameters") or {}
    zones = {zone.name for zone in RegionsAndZonesBackend.zones.get(self.region, [])}
    for given in self._get_param("Parameters", []):
        slot, value = declared.get(given["ParameterKey"]) or {}, given.get("ParameterValue")
        if slot.get("Type") == "AWS::EC2::AvailabilityZone::Name" and value is not None and value not in zones:
            raise ValidationError(message=f"Parameter validation failed: parameter value {value} for parameter "
                                          f"name {given['ParameterKey']} does not exist.")


def create_change_set_zones_checked(self):
    _check_zone_parameters(self)
    return _create_change_set_checked(self)


def create_stack_zones_checked(self):
    _check_zone_parameters(self)
    return _create_stack_checked(self)


CloudFormationResponse.create_change_set = create_change_set_zones_checked
CloudFormationResponse.create_stack = create_stack_zones_checked
_original_create_subnet = SubnetBackend.create_subnet


def create_subnet_in_region(self, vpc_id, cidr_block, *args, **kwargs):
    zone = kwargs.get("availability_zone", args[1] if len(args) > 1 else None)  # CreateSubnet passes it 4th
    here = self.describe_availability_zones()
    if zone and zone not in [z.name for z in here]:
        raise InvalidAvailabilityZoneError(zone, ", ".join(z.name for z in here if z.zone_type == "availability-zone"))
    return _original_create_subnet(self, vpc_id, cidr_block, *args, **kwargs)


SubnetBackend.create_subnet = create_subnet_in_region
# ==========================================================================================================
# === As strict as AWS where our templates live ==============================================================
# The patches above fill gaps where moto fails or loses what a template says. These make moto do, or refuse,
# what AWS does or refuses, so that a template mistake fails here as it would on AWS (issue 9, item 6).
class InvalidRequest(CloudFormationError):
    """A resource handler refusing the request itself (CloudFormation's HandlerErrorCode InvalidRequest)."""

    code = "InvalidRequest"


class NotUpdatable(CloudFormationError):
    """An update moto cannot make: failed, never reported as done."""

    code = "NotUpdatable"

    def __init__(self, kind: str, what: str = "any change"):
        super().__init__(f"This emulator (moto 5.2.1) cannot apply {what} to {kind}, so it fails the update "
                         "rather than report a change it did not make")


# --- AWS::EC2::SecurityGroup SecurityGroupEgress, rule descriptions ---------------------------------------------
# Gap: moto ignores SecurityGroupEgress: every group keeps the default allow-all egress rule. AWS
# (AWS::EC2::SecurityGroup reference): "When you create a security group, if you do not add egress rules,
# we add egress rules that allow all outbound IPv4 and IPv6 traffic. Otherwise, we do not add them."
# Gap: moto drops each ingress rule's Description; AWS keeps it on the rule's range.
_original_security_group_create = SecurityGroup.create_from_cloudformation_json.__func__


def _authorize(backend: Any, group: SecurityGroup, rule: dict[str, Any], egress: bool) -> None:
    peer = "Destination" if egress else "Source"
    described = {"Description": rule["Description"]} if rule.get("Description") else {}
    ranges = [{key: rule[key], **described} for key in ("CidrIp", "CidrIpv6") if rule.get(key)]
    groups = [{"GroupId": rule[f"{peer}SecurityGroupId"], **described}] if rule.get(f"{peer}SecurityGroupId") else []
    prefixes = [{"PrefixListId": rule[f"{peer}PrefixListId"], **described}] if rule.get(f"{peer}PrefixListId") else []
    authorize = backend.authorize_security_group_egress if egress else backend.authorize_security_group_ingress
    authorize(group.id, str(rule["IpProtocol"]), rule.get("FromPort"), rule.get("ToPort"), ranges,
              source_groups=groups, prefix_list_ids=prefixes, vpc_id=group.vpc_id)


@creates(SecurityGroup)
def security_group_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    group = _original_security_group_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    p, backend = props(cloudformation_json), ec2_backends[account_id][region_name]
    group.ingress_rules = []  # made again below, with their descriptions
    for rule in p.get("SecurityGroupIngress") or []:
        _authorize(backend, group, rule, egress=False)
    if p.get("SecurityGroupEgress"):
        group.egress_rules = []
    for rule in p.get("SecurityGroupEgress") or []:
        _authorize(backend, group, rule, egress=True)
    return group


# --- AWS::IAM::Role ManagedPolicyArns --------------------------------------------------------------------------
# Gap: moto drops ManagedPolicyArns (and loads no AWS managed policy unless told). AWS attaches each
# policy to the role, keeps the list in step on update, and detaches them before deleting the role; a
# policy that does not exist fails the role: AttachRolePolicy answers NoSuchEntity, "Policy <arn> does not
# exist or is not attachable." (IAM API reference, AttachRolePolicy errors). AWS managed policies exist in
# every account: one named is taken from moto's copy of them when first attached (loading all ~1500 in
# every IAM backend would cost a third of a second at each reset).
_original_role_create = Role.create_from_cloudformation_json.__func__
_original_role_update = Role.update_from_cloudformation_json.__func__
_original_role_delete = Role.delete_from_cloudformation_json.__func__


@functools.cache
def _aws_managed_policies() -> dict[str, Any]:
    return json.loads(aws_managed_policies_data)


def _with_aws_managed_policy(backend: Any, arn: str) -> None:
    name = arn.rsplit("/", 1)[-1]
    data = _aws_managed_policies().get(name) if ":iam::aws:policy/" in arn else None
    if data is not None and arn not in backend.managed_policies:
        policy = AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name, data)
        if policy.arn == arn:  # same path and partition
            backend.managed_policies[arn] = policy


def _attach_exactly(backend: Any, role: Role, arns: list[str]) -> None:
    for arn in [arn for arn in role.managed_policies if arn not in arns]:
        backend.detach_role_policy(arn, role.name)
    for arn in [arn for arn in arns if arn not in role.managed_policies]:
        _with_aws_managed_policy(backend, arn)
        backend.attach_role_policy(arn, role.name)


@creates(Role)
def role_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    role = _original_role_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = iam_backends[account_id][get_partition(region_name)]
    try:
        _attach_exactly(backend, role, props(cloudformation_json).get("ManagedPolicyArns") or [])
    except IamNoSuchEntity:  # the role's creation failed: CloudFormation leaves no half-made role
        _attach_exactly(backend, role, [])
        _original_role_delete(cls, role.name, cloudformation_json, account_id, region_name)
        raise
    return role


def role_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    role = _original_role_update(cls, original_resource, new_resource_name, cloudformation_json,
                                 account_id, region_name)
    _attach_exactly(iam_backends[account_id][get_partition(region_name)], role,
                    props(cloudformation_json).get("ManagedPolicyArns") or [])
    return role


def role_delete(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = iam_backends[account_id][get_partition(region_name)]
    role = next((role for role in backend.roles.values() if role.name == resource_name), None)
    if role is not None:
        _attach_exactly(backend, role, [])
    _original_role_delete(cls, resource_name, cloudformation_json, account_id, region_name)


Role.update_from_cloudformation_json = classmethod(role_update)
Role.delete_from_cloudformation_json = classmethod(role_delete)


# --- API Gateway: a private API's deployment, a stage's deployment, updates of a RestApi -------------------
# Gap: moto deploys a PRIVATE REST API that has no resource policy. AWS refuses CreateDeployment:
# BadRequestException "Private REST API doesn't have a resource policy attached to it" (API Gateway
# developer guide, "Create and attach an API Gateway resource policy to an API": "For a private API, you
# can't deploy your API without a resource policy").
# Gap: moto creates a stage on any DeploymentId. AWS's CreateStage answers NotFoundException "Invalid
# deployment identifier specified" when the API has no such deployment.
# Gap: moto cannot update a RestApi. AWS updates Name, Description, Policy and EndpointConfiguration in
# place (AWS::ApiGateway::RestApi reference: "Update requires: No interruption").
_original_create_deployment = APIGatewayBackend.create_deployment
_original_create_stage = APIGatewayBackend.create_stage


def create_deployment(self, function_id, name, description="", stage_variables=None):
    api = self.get_rest_api(function_id)
    if "PRIVATE" in (api.endpoint_configuration or {}).get("types", []) and not api.policy:
        raise BadRequestException("Private REST API doesn't have a resource policy attached to it")
    return _original_create_deployment(self, function_id, name, description, stage_variables)


def _require_deployment(api: RestAPI, deployment_id: str | None) -> None:
    if deployment_id not in api.deployments:
        raise ApiGatewayNotFound("Invalid deployment identifier specified")


def create_stage(self, function_id, stage_name, deploymentId, *args, **kwargs):
    _require_deployment(self.get_rest_api(function_id), deploymentId)
    return _original_create_stage(self, function_id, stage_name, deploymentId, *args, **kwargs)


def rest_api_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    p = props(cloudformation_json)
    if not p.get("Name") and not (p.get("Body") or p.get("BodyS3Location")):
        raise NotUpdatable("AWS::ApiGateway::RestApi", "a removed Name")
    api, config, policy = original_resource, p.get("EndpointConfiguration") or {}, p.get("Policy")
    api.name, api.description = p.get("Name", api.name), p.get("Description", "")
    api.policy = json.dumps(policy) if isinstance(policy, dict) else policy
    api.endpoint_configuration = {"types": config.get("Types") or ["EDGE"], **(
        {"vpcEndpointIds": config["VpcEndpointIds"]} if config.get("VpcEndpointIds") else {})}
    return api


APIGatewayBackend.create_deployment = create_deployment
APIGatewayBackend.create_stage = create_stage
RestAPI.update_from_cloudformation_json = classmethod(rest_api_update)


# --- Updates moto cannot make ------------------------------------------------------------------------------------
# Gap: when an update modifies a resource whose moto model has no update, moto silently drops the resource
# from the stack and reports UPDATE_COMPLETE: a change that never happened looks done. AWS updates the
# resource (in place or by replacement) or fails it: UPDATE_FAILED, then UPDATE_ROLLBACK_IN_PROGRESS and
# UPDATE_ROLLBACK_COMPLETE with the stack as it was. This emulator cannot make the change, so it fails
# before touching anything, the way AWS fails an update at that resource and rolls everything back.
def _first_not_updatable(stack: Stack, change_set: Any) -> tuple[str, str] | None:
    resources = change_set.template_dict.get("Resources") or {}
    modified = stack.resource_map.build_resource_diff(change_set.template_dict, change_set.parameters)["Modify"]
    for logical_id in [name for name in resources if name in modified]:
        kind = resources[logical_id].get("Type", "")
        model = parsing.resource_class_from_type(kind)
        if model is not None and hasattr(model.update_from_cloudformation_json, "__isabstractmethod__"):
            return logical_id, kind
    return None


_execute_change_set_leniently = CloudFormationBackend.execute_change_set


def execute_change_set_strictly(self, change_set_name, stack_name=None):
    change_set = self.describe_change_set(change_set_name)
    stack = self.stacks[change_set.stack_id]
    refused = _first_not_updatable(stack, change_set) if change_set.change_set_type == "UPDATE" else None
    if refused is None:
        return _execute_change_set_leniently(self, change_set_name, stack_name)
    logical_id, kind = refused
    stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
    _resource_event(stack, logical_id, _physical_id(stack.resource_map._parsed_resources.get(logical_id)), kind,
                    "UPDATE_IN_PROGRESS")
    error = NotUpdatable(kind)
    error.cfn_logical_id, error.cfn_resource_type = logical_id, kind
    _roll_back(stack, change_set, error)


CloudFormationBackend.execute_change_set = execute_change_set_strictly


# --- doctor: what its Describe/Get calls read ------------------------------------------------------------
# `doctor` judges the path from these answers, so they must say what AWS would say of the same resources.
# (Security-group egress and Lambda's VpcConfig.VpcId, which it reads too, are modelled in the strictness
# and Lambda network-interface sections.)
from moto.ec2.models.vpcs import VPC  # noqa: E402
from moto.ec2.utils import generate_dns_from_ip, random_private_ip  # noqa: E402

# Gap: AWS::EC2::VPC's EnableDnsSupport / EnableDnsHostnames are ignored (a new VPC reads hostnames off).
# AWS sets both attributes as declared (AWS::EC2::VPC reference page).
_original_vpc_create = VPC.create_from_cloudformation_json.__func__


@creates(VPC)
def vpc_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    vpc = _original_vpc_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    p = props(cloudformation_json)
    for key, attribute in (("EnableDnsSupport", "enable_dns_support"), ("EnableDnsHostnames", "enable_dns_hostnames")):
        if key in p:
            setattr(vpc, attribute, str(p[key]).lower() == "true")
    return vpc


# Gap: an interface endpoint's network interfaces get random addresses outside their subnets. AWS gives
# each one an address from its subnet's range (PrivateLink guide, "Endpoint network interfaces").
_create_vpc_endpoint_in_offered_zones = VPCBackend.create_vpc_endpoint


def create_vpc_endpoint_in_subnets(self, *args, **kwargs):
    endpoint = _create_vpc_endpoint_in_offered_zones(self, *args, **kwargs)
    for eni_id in endpoint.network_interface_ids or []:
        eni = self.get_network_interface(eni_id)
        address = random_private_ip(eni.subnet.cidr_block)
        eni.private_ip_address = address
        eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": address}]
        eni.private_dns_name = generate_dns_from_ip(address)
    return endpoint


VPCBackend.create_vpc_endpoint = create_vpc_endpoint_in_subnets


# Gap: an endpoint's PolicyDocument given as a JSON object in a template is stored as that object, and
# DescribeVpcEndpoints then answers Python's repr of it. AWS stores and answers the policy as a JSON string
# (EC2 API reference, VpcEndpoint.PolicyDocument; AWS::EC2::VPCEndpoint takes a JSON object or a string).
_create_vpc_endpoint_addressed = VPCBackend.create_vpc_endpoint


def create_vpc_endpoint_with_json_policy(self, *args, **kwargs):
    if isinstance(kwargs.get("policy_document"), dict):
        kwargs["policy_document"] = json.dumps(kwargs["policy_document"])
    return _create_vpc_endpoint_addressed(self, *args, **kwargs)


VPCBackend.create_vpc_endpoint = create_vpc_endpoint_with_json_policy


# --- Pacing, for the demo only ------------------------------------------------------------------------------
# moto does a whole stack in one request, so a progress view sees it start and finish in one poll. With
# --pace-ms, each event becomes visible (and is timestamped) one step after the previous one of its stack;
# slow resource types take several steps, roughly in AWS's proportions. DescribeStacks is not paced.
SLOW_TYPES = {"AWS::EC2::VPCEndpoint": 8, "AWS::Lambda::Function": 5, "AWS::EC2::VPCPeeringConnection": 4,
              "AWS::Route53::HostedZone": 5, "AWS::ApiGateway::Deployment": 2}
_pace = {"ms": 0}
_revealed_until: dict[str, float] = {}


def _paced(stack: Stack) -> list[Event]:
    now = time.time()
    last = _revealed_until.get(stack.stack_id, 0.0)
    for event in stack.events:
        if hasattr(event, "visible_at"):
            continue
        # Chained from when the event was really recorded, so an earlier operation's events (the change
        # set's REVIEW_IN_PROGRESS) keep their place before the operation that follows.
        created = event.timestamp.replace(tzinfo=timezone.utc).timestamp()
        finishing = event.resource_status.endswith("_COMPLETE") or event.resource_status.endswith("_FAILED")
        steps = SLOW_TYPES.get(event.resource_type, 1) if finishing else 1
        last = max(last, created) + steps * _pace["ms"] / 1000
        event.visible_at = last
        event.timestamp = datetime.fromtimestamp(last, timezone.utc).replace(tzinfo=None)
    _revealed_until[stack.stack_id] = last
    return [event for event in stack.events if event.visible_at <= now]


_original_describe_stack_events = CloudFormationBackend.describe_stack_events


def describe_stack_events(self, stack_name):
    if _pace["ms"] == 0:
        return _original_describe_stack_events(self, stack_name)
    return _paced(self.get_stack(stack_name))


CloudFormationBackend.describe_stack_events = describe_stack_events


# === Lambda VPC network interfaces (Hyperplane ENIs) ===========================================================
# moto gives a VPC function no network interfaces, so nothing ever waits on them and a teardown is instant.
# AWS does, and it is what makes deleting the client stack take 20-40 minutes (DESIGN §11). Modelled here,
# each behaviour with its source:
#   - one interface per subnet and security-group combination of the function's VpcConfig, shared by the
#     functions that use the same combination (CloudFormation docs, AWS::Lambda::Function VpcConfig; Lambda
#     docs, "Connecting outbound networking to resources in a VPC": Hyperplane ENIs);
#   - each is requester-managed (RequesterId Lambda's, InterfaceType lambda), described "AWS Lambda VPC
#     ENI-<function name>-<uuid>", and in-use while a function uses it (the same Lambda docs; EC2
#     DescribeNetworkInterfaces as AWS answers it for them);
#   - a deleted function's interfaces stay in-use for a release delay, then Lambda deletes them
#     (serverless#5008, cloudformation-coverage-roadmap#392/#414: 20-40 minutes; --lambda-eni-release-ms);
#   - after a detach (UpdateFunctionConfiguration with empty lists) they turn available after a short delay
#     (--lambda-eni-detach-ms) and DeleteNetworkInterface removes them; Lambda deletes them itself after the
#     release delay (Lambda docs: up to 20 minutes after the VPC configuration is removed; DESIGN §11);
#   - EC2 refuses to delete a subnet or security group that still has an interface (DependencyViolation:
#     "The subnet '…' has dependencies and cannot be deleted.", "resource sg-… has a dependent object"), and
#     an interface still in use ("Network interface '…' is currently in use.") (EC2 API reference);
#   - CloudFormation waits for Lambda to delete them before it deletes the VPC's resources (CloudFormation
#     docs, VpcConfig: "waits for Lambda to delete them before proceeding"): the stack stays
#     DELETE_IN_PROGRESS until the release, and ends DELETE_FAILED when an interface has no release coming.
# Also a gap this needs: moto answers VpcConfig.VpcId "vpc-123abc" for every function; AWS answers the VPC of
# its subnets (Lambda API reference, VpcConfigResponse).
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.ec2.exceptions import DependencyViolationError, InvalidNetworkInterfaceIdError
from moto.ec2.models.elastic_network_interfaces import NetworkInterface, NetworkInterfaceBackend
from moto.ec2.models.security_groups import SecurityGroupBackend
from moto.ec2.models.subnets import SubnetBackend

_hyperplane = {"release_s": 0.0, "detach_s": 0.0}
_hyperplane_lock = threading.RLock()
# eni id -> {"account", "region", "users": functions using it, "available_at", "release_at"} (time.time())
_lambda_enis: dict[str, dict[str, Any]] = {}
LAMBDA_REQUESTER_ID = "AROAZLAMBDAHYPERPLANE:lambda"  # an AWS-owned principal, never the caller's


def _combinations(vpc_config: dict[str, Any] | None) -> list[tuple[str, str]]:
    config = vpc_config or {}
    return [(subnet, group) for subnet in config.get("SubnetIds") or [] for group in config.get("SecurityGroupIds") or []]


def _reap(backend: Any) -> None:
    """Lambda's side of time: interfaces turn available, or are deleted once their release is due."""
    now = time.time()
    for eni_id, state in list(_lambda_enis.items()):
        eni = backend.enis.get(eni_id) if state["region"] == backend.region_name else None
        if state["region"] == backend.region_name and eni is None:
            _lambda_enis.pop(eni_id, None)
        elif eni is not None and state["release_at"] is not None and now >= state["release_at"]:
            backend.enis.pop(eni_id, None)
            _lambda_enis.pop(eni_id, None)
        elif eni is not None and state["available_at"] is not None and now >= state["available_at"]:
            eni.status = "available"


def _use(account_id: str, region: str, function_name: str, vpc_config: dict[str, Any] | None) -> None:
    backend = ec2_backends[account_id][region]
    _reap(backend)
    for subnet_id, group_id in _combinations(vpc_config):
        for eni_id, state in _lambda_enis.items():
            eni = backend.enis.get(eni_id)
            if eni is not None and eni.subnet.id == subnet_id and [g.id for g in eni._group_set] == [group_id] and state["users"]:
                state["users"].add(function_name)  # Hyperplane: one interface per combination, shared
                break
        else:
            eni = backend.create_network_interface(
                backend.get_subnet(subnet_id), None, group_ids=[group_id],
                description=f"AWS Lambda VPC ENI-{function_name}-{mock_random.uuid4()}")
            eni.requester_managed, eni.requester_id, eni.interface_type, eni.status = True, LAMBDA_REQUESTER_ID, "lambda", "in-use"
            _lambda_enis[eni.id] = {"account": account_id, "region": region, "users": {function_name},
                                    "available_at": None, "release_at": None}


def _let_go(region: str, function_name: str, keep: list[tuple[str, str]], detached: bool) -> None:
    now = time.time()
    for eni_id, state in _lambda_enis.items():
        eni = ec2_backends[state["account"]][region].enis.get(eni_id) if state["region"] == region else None
        if eni is None or function_name not in state["users"] or (eni.subnet.id, eni._group_set[0].id) in keep:
            continue
        state["users"].discard(function_name)
        if not state["users"]:
            state["release_at"] = now + _hyperplane["release_s"]
            if detached:
                state["available_at"] = now + _hyperplane["detach_s"]


_original_create_function = LambdaBackend.create_function
_original_delete_function = LambdaBackend.delete_function
_original_update_configuration = LambdaFunction.update_configuration


def create_function(self, spec):
    with _hyperplane_lock:
        fn = _original_create_function(self, spec)
        _use(self.account_id, self.region_name, fn.function_name, spec.get("VpcConfig"))
        return fn


def delete_function(self, function_name, qualifier=None):
    with _hyperplane_lock:
        fn = self.get_function(function_name, qualifier)
        _original_delete_function(self, function_name, qualifier)
        if qualifier is None:
            _let_go(self.region_name, fn.function_name, keep=[], detached=False)


def update_configuration(self, config_updates):
    with _hyperplane_lock:
        answer = _original_update_configuration(self, config_updates)
        if "VpcConfig" in config_updates:
            wanted = _combinations(config_updates["VpcConfig"])
            _let_go(self.region, self.function_name, keep=wanted, detached=True)
            _use(self.account_id, self.region, self.function_name, config_updates["VpcConfig"])
        return answer


def function_vpc_config(self):
    if not self._vpc_config:
        return None
    config = dict(self._vpc_config)
    subnets = config.get("SubnetIds") or []
    config["VpcId"] = ec2_backends[self.account_id][self.region].get_subnet(subnets[0]).vpc_id if subnets else ""
    return config


LambdaBackend.create_function = create_function
LambdaBackend.delete_function = delete_function
LambdaFunction.update_configuration = update_configuration
LambdaFunction.vpc_config = property(function_vpc_config)

_original_eni_filter = NetworkInterface.get_filter_value


def eni_filter_value(self, filter_name, method_name=None):
    extra = {"requester-managed": lambda: self.requester_managed, "status": lambda: self.status,
             "interface-type": lambda: self.interface_type, "requester-id": lambda: self.requester_id}
    return extra[filter_name]() if filter_name in extra else _original_eni_filter(self, filter_name, method_name)


NetworkInterface.get_filter_value = eni_filter_value
_original_get_all_enis = NetworkInterfaceBackend.get_all_network_interfaces
_original_delete_eni = NetworkInterfaceBackend.delete_network_interface
_original_delete_subnet = SubnetBackend.delete_subnet
_original_delete_group = SecurityGroupBackend.delete_security_group


def get_all_network_interfaces(self, eni_ids=None, filters=None):
    with _hyperplane_lock:
        _reap(self)
        return _original_get_all_enis(self, eni_ids, filters)


def delete_network_interface(self, eni_id):
    with _hyperplane_lock:
        _reap(self)
        eni = self.enis.get(eni_id)
        if eni is None:
            raise InvalidNetworkInterfaceIdError(eni_id)
        if eni.status == "in-use":
            raise EC2ClientError("InvalidParameterValue", f"Network interface '{eni_id}' is currently in use.")
        _original_delete_eni(self, eni_id)
        _lambda_enis.pop(eni_id, None)


def delete_subnet(self, subnet_id):
    with _hyperplane_lock:
        _reap(self)
        if any(eni.subnet.id == subnet_id for eni in self.enis.values()):
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return _original_delete_subnet(self, subnet_id)


def delete_security_group(self, name=None, group_id=None):
    with _hyperplane_lock:
        _reap(self)
        if group_id and any(group_id in [g.id for g in eni._group_set] for eni in self.enis.values()):
            raise DependencyViolationError(f"resource {group_id} has a dependent object")
        return _original_delete_group(self, name, group_id)


NetworkInterfaceBackend.get_all_network_interfaces = get_all_network_interfaces
NetworkInterfaceBackend.delete_network_interface = delete_network_interface
SubnetBackend.delete_subnet = delete_subnet
SecurityGroupBackend.delete_security_group = delete_security_group


def _blockers(stack: Stack) -> tuple[dict[str, Any], list[Any]]:
    """The stack's subnets and security groups (by logical id) and the interfaces in them."""
    holders = {logical_id: resource for logical_id, resource in stack.resource_map._parsed_resources.items()
               if type(resource).__name__ in ("Subnet", "SecurityGroup")}
    ids = {getattr(resource, "id", None) for resource in holders.values()}
    backend = ec2_backends[stack.account_id][stack.region_name]
    _reap(backend)
    enis = [eni for eni in backend.enis.values() if eni.subnet.id in ids or ids & {g.id for g in eni._group_set}]
    return holders, enis


def _waits_on_lambda(stack: Stack) -> bool:
    functions = {getattr(r, "function_name", None) for r in stack.resource_map._parsed_resources.values()
                 if isinstance(r, LambdaFunction)}
    return any(eni.id in _lambda_enis for eni in _blockers(stack)[1]) or any(
        functions & state["users"] for state in _lambda_enis.values())


def _finish_delete(backend: CloudFormationBackend, stack: Stack, token: str | None) -> None:
    _operation.token = token
    try:
        with _hyperplane_lock:
            try:
                stack.resource_map.delete()
            except Exception as error:
                holders, enis = _blockers(stack)
                due = [_lambda_enis.get(eni.id, {}).get("release_at") for eni in enis]
                if enis and all(due):  # CloudFormation waits for Lambda to delete them
                    timer = threading.Timer(max(0.05, min(due) - time.time() + 0.05), _finish_delete, (backend, stack, token))
                    timer.daemon = True
                    timer.start()
                    return
                _delete_failed(stack, holders, enis, error)
                return
            stack._add_stack_event("DELETE_COMPLETE")
            stack.status = "DELETE_COMPLETE"
            backend.stacks.pop(stack.stack_id, None)
            backend.deleted_stacks[stack.stack_id] = stack
            for export in stack.exports:
                backend.exports.pop(export.name, None)
    finally:
        _operation.token = None


def _delete_failed(stack: Stack, holders: dict[str, Any], enis: list[Any], error: Exception) -> None:
    failed = []
    for logical_id, resource in holders.items():
        if not any(eni.subnet.id == resource.id or resource.id in [g.id for g in eni._group_set] for eni in enis):
            continue
        failed.append(logical_id)
        reason = (f"The subnet '{resource.id}' has dependencies and cannot be deleted." if type(resource).__name__ == "Subnet"
                  else f"resource {resource.id} has a dependent object")
        _resource_event(stack, logical_id, resource.id, "AWS::EC2::Subnet" if type(resource).__name__ == "Subnet"
                        else "AWS::EC2::SecurityGroup", "DELETE_FAILED",
                        f"{reason} (Service: Ec2, Status Code: 400, Error Code: DependencyViolation)")
    names = ", ".join(sorted(failed)) or str(error)
    stack._add_stack_event("DELETE_FAILED", resource_status_reason=f"The following resource(s) failed to delete: [{names}]. ")
    stack.status = "DELETE_FAILED"


_original_delete_stack = CloudFormationBackend.delete_stack


def delete_stack(self, name_or_stack_id):
    stack = self.stacks.get(name_or_stack_id) or next(
        (s for s in self.stacks.values() if s.name == name_or_stack_id), None)
    with _hyperplane_lock:
        waits = stack is not None and _waits_on_lambda(stack)
    if not waits:
        return _original_delete_stack(self, name_or_stack_id)
    if stack.status == "DELETE_IN_PROGRESS":
        return  # AWS: asking again changes nothing
    stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
    stack.status = "DELETE_IN_PROGRESS"
    _finish_delete(self, stack, getattr(_operation, "token", None))


CloudFormationBackend.delete_stack = delete_stack


# === Stack lifecycle: one operation at a time ===================================================================
# What two runs deploying one stack at once meet on AWS, which moto 5.2.1 does not model. Sources: the
# CloudFormation API reference (CreateChangeSet: "You can't use the UPDATE type to create a change set for a
# new stack or the CREATE type to create a change set for an existing stack"; ExecuteChangeSet: "When you
# execute a change set, CloudFormation deletes all other change sets associated with the stack";
# ChangeSetNotFound; ListChangeSets lists the change sets of the StackName given) and the stack status
# lifecycle in the CloudFormation User Guide (a stack is *_IN_PROGRESS while an operation runs and takes no
# other until it settles). The answers are AWS's wording (aws-cdk#6674, #7340; saksdirect/nova#10).
#   Gap: a CREATE change set for a name that has a stack makes a second stack of that name; AWS refuses it
#        ("Stack [x] already exists and cannot be created again with the changeSet [y].") unless the stack is
#        REVIEW_IN_PROGRESS (never executed), where the new change set joins the same stack.
#   Gap: an UPDATE change set for a REVIEW_IN_PROGRESS stack answers HTTP 500; AWS: "Stack [x] does not exist".
#   Gap: executing a change set leaves the stack's other change sets executable; AWS deletes them, so
#        describing or executing one answers ChangeSetNotFound ("ChangeSet [arn] does not exist").
#   Gap: an unknown change set answers ValidationError "Stack with id ... does not exist".
#   Gap: ListChangeSets ignores StackName and lists every change set of the region.
#   Gap (--stack-busy-ms N, off by default): moto finishes a stack operation inside the request, so nothing
#        ever sees a stack in progress. With N > 0, a stack whose change set was executed stays
#        CREATE_IN_PROGRESS / UPDATE_IN_PROGRESS in DescribeStacks for N ms, its own closing event is not
#        listed by DescribeStackEvents until then, and an UPDATE change set for it is refused as AWS refuses
#        one for a stack in progress ("Stack:arn... is in UPDATE_IN_PROGRESS state and can not be updated.").
class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFound"

    def __init__(self, name: str):
        super().__init__(f"ChangeSet [{name}] does not exist")


_busy = {"ms": 0}
# moto serves requests on threads; AWS decides what one stack name takes one request at a time, so two
# runs' change sets for a new name must not both find it free.
_lifecycle_lock = threading.RLock()


def _one_at_a_time(fn):
    @functools.wraps(fn)
    def locked(*args, **kwargs):
        with _lifecycle_lock:
            return fn(*args, **kwargs)

    return locked


def _stack_status(self):
    busy_until = self.__dict__.get("busy_until", 0.0)
    return self.__dict__["busy_status"] if time.time() < busy_until else self.__dict__.get("status")


def _set_stack_status(self, value):
    self.__dict__["status"] = value


Stack.status = property(_stack_status, _set_stack_status)


def _stack_named(backend, name: str):
    return next((stack for stack in backend.stacks.values() if stack.name == name or stack.stack_id == name), None)


def _find_change_set(backend, name: str):
    found = backend.change_sets.get(name) or next(
        (cs for cs in backend.change_sets.values() if cs.change_set_name == name), None)
    if found is None:
        raise ChangeSetNotFound(name)
    return found


_create_change_set_one_stack_per_call = CloudFormationBackend.create_change_set


def create_change_set_for_one_stack(self, stack_name, change_set_name, template, parameters, description,
                                    change_set_type, *args, **kwargs):
    existing = _stack_named(self, stack_name)
    if change_set_type == "UPDATE" and existing is not None and existing.status == "REVIEW_IN_PROGRESS":
        raise ValidationError(message=f"Stack [{stack_name}] does not exist")
    if change_set_type == "UPDATE" and existing is not None and existing.status.endswith("_IN_PROGRESS"):
        raise ValidationError(message=f"Stack:{existing.stack_id} is in {existing.status} state and can not be updated.")
    if change_set_type == "CREATE" and existing is not None and existing.status != "REVIEW_IN_PROGRESS":
        raise ValidationError(message=f"Stack [{stack_name}] already exists and cannot be created again "
                                      f"with the changeSet [{change_set_name}].")
    change_set_id, stack_id = _create_change_set_one_stack_per_call(
        self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs)
    if change_set_type == "CREATE" and existing is not None:
        self.stacks.pop(stack_id)  # the second stack moto made: the change set joins the first
        change_set = self.change_sets[change_set_id]
        change_set.stack, change_set.stack_id = existing, existing.stack_id
        return change_set_id, existing.stack_id
    return change_set_id, stack_id


def describe_change_set_or_not_found(self, change_set_name):
    return _find_change_set(self, change_set_name)


_execute_change_set_leaving_others = CloudFormationBackend.execute_change_set


def execute_change_set_one_at_a_time(self, change_set_name, stack_name=None):
    change_set = _find_change_set(self, change_set_name)
    stack = self.stacks[change_set.stack_id]
    _execute_change_set_leaving_others(self, change_set.change_set_id, stack_name)
    for other in [key for key, cs in self.change_sets.items() if cs.stack_id == stack.stack_id and cs is not change_set]:
        del self.change_sets[other]
    if _busy["ms"] > 0:
        stack.__dict__["busy_status"] = f"{change_set.change_set_type}_IN_PROGRESS"
        stack.__dict__["busy_until"] = time.time() + _busy["ms"] / 1000


def delete_change_set_or_not_found(self, change_set_name):
    change_set = _find_change_set(self, change_set_name)
    del self.change_sets[change_set.change_set_id]


def list_change_sets_of_stack(self):
    name = self._get_param("StackName")
    stack = _stack_named(self.cloudformation_backend, name)
    summaries = [cs for cs in self.cloudformation_backend.change_sets.values()
                 if stack is not None and cs.stack_id == stack.stack_id]
    return ActionResult({"Summaries": summaries})


_describe_stack_events_at_once = CloudFormationBackend.describe_stack_events


def describe_stack_events_while_busy(self, stack_name):
    events = _describe_stack_events_at_once(self, stack_name)
    stack = self.get_stack(stack_name)
    if time.time() >= stack.__dict__.get("busy_until", 0.0):
        return events
    # The operation's own closing event (the stack's *_COMPLETE or *_FAILED) is AWS's "it is over".
    return [event for event in events if not (event.logical_resource_id == stack.name and event is _closing(stack))]


def _closing(stack):
    own = [event for event in stack.events if event.logical_resource_id == stack.name]
    last = own[-1] if own else None
    return last if last is not None and not last.resource_status.endswith("_IN_PROGRESS") else None


CloudFormationBackend.create_change_set = _one_at_a_time(create_change_set_for_one_stack)
CloudFormationBackend.describe_change_set = _one_at_a_time(describe_change_set_or_not_found)
CloudFormationBackend.execute_change_set = _one_at_a_time(execute_change_set_one_at_a_time)
CloudFormationBackend.delete_change_set = _one_at_a_time(delete_change_set_or_not_found)
CloudFormationBackend.describe_stack_events = describe_stack_events_while_busy
CloudFormationResponse.list_change_sets = list_change_sets_of_stack


# The tests' rule: nothing sends traffic beyond loopback. moto's own code may try (botocore's credential
# chain asks the instance metadata service at 169.254.169.254): such a connection is refused here, and
# said on stderr in a line the Node side looks for (test/integration/moto-server.ts fails the suite on it).
REFUSED = "xregion launcher: refused a connection beyond loopback to"


def _loopback_only() -> None:
    import errno
    import ipaddress
    import socket

    def allowed(address: Any) -> bool:
        if not isinstance(address, tuple):
            return True  # a Unix socket
        try:
            return ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            return address[0] == "localhost"

    def guard(original):
        @functools.wraps(original)
        def connect(self, address, *rest):
            if not allowed(address):
                sys.stderr.write(f"{REFUSED} {address[0]}:{address[1]}\n")
                sys.stderr.flush()
                raise OSError(errno.ENETUNREACH, f"refused by the test launcher: {address[0]} is not loopback")
            return original(self, address, *rest)
        return connect

    socket.socket.connect = guard(socket.socket.connect)
    socket.socket.connect_ex = guard(socket.socket.connect_ex)


def main() -> None:
    _loopback_only()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pace-ms", type=int, default=0, help="the demo: reveal stack events this far apart")
    parser.add_argument("--stack-busy-ms", type=int, default=0,
                        help="how long an executed change set keeps its stack *_IN_PROGRESS (0: done at once)")
    parser.add_argument("--lambda-pending-ms", type=int, default=_lambda_pending["ms"],
                        help="how long a new VPC function stays Pending (0: Active at once)")
    parser.add_argument("--lambda-eni-release-ms", type=int,
                        default=int(os.environ.get("XREGION_MOTO_LAMBDA_ENI_RELEASE_MS", "0")),
                        help="how long Lambda keeps a deleted function's interfaces (stands for AWS's 20-40 minutes)")
    parser.add_argument("--lambda-eni-detach-ms", type=int,
                        default=int(os.environ.get("XREGION_MOTO_LAMBDA_ENI_DETACH_MS", "0")),
                        help="how long after a detach a function's interfaces turn available")
    args = parser.parse_args()
    _pace["ms"] = args.pace_ms
    _busy["ms"] = args.stack_busy_ms
    _lambda_pending["ms"] = args.lambda_pending_ms
    _hyperplane["release_s"] = args.lambda_eni_release_ms / 1000
    _hyperplane["detach_s"] = args.lambda_eni_detach_ms / 1000
    _aws_managed_policies()  # parsed (0.1 s) before serving, so that no deploy waits for it
    from moto.server import main as moto_server_main

    moto_server_main(["-H", "127.0.0.1", "-p", str(args.port)])  # loopback only, ever


if __name__ == "__main__":
    sys.exit(main())
