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
  ExecuteChangeSet                      -> Outputs shown; a failure rolls back with FAILED events
  CreateChangeSet, unchanged stack      -> change set FAILED "didn't contain changes"
  CreateChangeSet/CreateStack           -> parameters and IAM capabilities checked like AWS
  DescribeStacks Parameters             -> SSM-typed: name + ResolvedValue
  Stack events                          -> carry the operation's ClientRequestToken
  Resource events                       -> each resource's *_IN_PROGRESS / *_COMPLETE (moto: none)
  doctor's reads                        -> SecurityGroupEgress replaces the default rule; VPC DNS
                                           attributes as declared; Lambda VpcConfig.VpcId; endpoint
                                           interfaces addressed inside their subnets

  --pace-ms N (the demo only, never the tests): reveal a stack's events N ms apart, at the pace of a
  (much faster) real deployment, instead of all at once. Nothing else changes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from datetime import datetime, timezone
from ipaddress import ip_network
from typing import Any

from moto.apigateway.models import Deployment, Method, RestAPI, apigateway_backends
from moto.awslambda import models as lambda_models
from moto.awslambda.utils import get_backend as lambda_backend_for_config
from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap
from moto.cloudformation.exceptions import CloudFormationError, UnformattedGetAttTemplateException, ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import (
    EC2ClientError,
    InvalidRouteError,
    InvalidRouteTableIdError,
    InvalidVPCPeeringConnectionIdError,
)
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import Route, RouteTable
from moto.ec2.models.subnets import SubnetRouteTableAssociation
from moto.ec2.models.vpc_peering_connections import VPCPeeringConnection
from moto.ec2.models.vpcs import VPCBackend, VPCEndPoint
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
@creates(RestAPI)
def rest_api_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
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
        apigateway_backends[account_id][region_name].create_stage(
            p["RestApiId"], p["StageName"], p["DeploymentId"],
            variables=p.get("Variables"), description=p.get("Description", ""),
            tags={t["Key"]: t["Value"] for t in p.get("Tags") or []},
        )
        return cls(p["RestApiId"], p["StageName"])

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
VPCE_ZONE_IDS = {  # the Route 53 zone of *.vpce.amazonaws.com per region, as AWS answers
    "us-east-1": "Z7HUB22UULQXV", "us-east-2": "ZC8PG0KIFKBRI", "us-west-1": "Z12I86A8N7VCZO",
    "us-west-2": "Z1YSA3EXCYUU9Z", "eu-west-1": "Z38GZ743OKFT7T", "eu-central-1": "Z273ZU8SZ5RJPC",
}


def _realistic_dns_entries(backend: Any, endpoint: VPCEndPoint) -> list[dict[str, str]]:
    region = backend.region_name
    prefix = f"com.amazonaws.{region}."
    service = endpoint.service_name[len(prefix):] if endpoint.service_name.startswith(prefix) else endpoint.service_name
    zone = VPCE_ZONE_IDS.get(region, "Z7HUB22UULQXV")
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
    if name == "NameServers":
        return list(self.delegation_set.name_servers) if self.delegation_set else []
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
    code = getattr(error, "code", type(error).__name__)
    reason = f"{getattr(error, 'message', None) or error} (Error Code: {code})"
    _resource_event(stack, logical_id, "", getattr(error, "cfn_resource_type", None) or "AWS::CloudFormation::Stack",
                    f"{kind}_FAILED", reason)
    verb = "create" if kind == "CREATE" else "update"
    prefix = "" if kind == "CREATE" else "UPDATE_"
    stack._add_stack_event(f"{prefix}ROLLBACK_IN_PROGRESS",
                           resource_status_reason=f"The following resource(s) failed to {verb}: [{logical_id}]. ")
    if kind == "CREATE":
        try:
            stack.resource_map.delete()
        except Exception:
            pass
    stack._add_stack_event(f"{prefix}ROLLBACK_COMPLETE")
    stack.status = f"{prefix}ROLLBACK_COMPLETE"
    change_set.execution_status = "EXECUTE_FAILED"


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


# --- doctor: what its Describe/Get calls read ------------------------------------------------------------
# `doctor` judges the path from these answers, so they must say what AWS would say of the same resources.
# Gap: AWS::EC2::SecurityGroup's SecurityGroupEgress is ignored and the default allow-all egress rule kept.
# AWS: declaring SecurityGroupEgress replaces the default rule with the declared ones (the resource's
# reference page, "SecurityGroupEgress"; VPC User Guide, "Default security group rules").
from moto.awslambda.models import LambdaFunction  # noqa: E402
from moto.ec2.models.security_groups import SecurityGroup  # noqa: E402
from moto.ec2.models.vpcs import VPC  # noqa: E402
from moto.ec2.utils import generate_dns_from_ip, random_private_ip  # noqa: E402

_original_sg_create = SecurityGroup.create_from_cloudformation_json.__func__


@creates(SecurityGroup)
def sg_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    group = _original_sg_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    egress = props(cloudformation_json).get("SecurityGroupEgress")
    if egress is not None:
        group.egress_rules = []
        backend = ec2_backends[account_id][region_name]
        for rule in egress:
            backend.authorize_security_group_egress(
                group.id, str(rule["IpProtocol"]), rule.get("FromPort"), rule.get("ToPort"),
                [{"CidrIp": rule["CidrIp"]}] if rule.get("CidrIp") else [],
                source_groups=[{"GroupId": rule["DestinationSecurityGroupId"]}] if rule.get("DestinationSecurityGroupId") else [],
                prefix_list_ids=[{"PrefixListId": rule["DestinationPrefixListId"]}] if rule.get("DestinationPrefixListId") else [],
                vpc_id=group.vpc_id)
    return group


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


# Gap: GetFunctionConfiguration answers VpcConfig.VpcId "vpc-123abc" whatever the subnets. AWS answers the
# VPC of the function's subnets (Lambda API reference, VpcConfigResponse).
def lambda_vpc_config(self):
    if not self._vpc_config:
        return None
    config = self._vpc_config.copy()
    subnets = config.get("SubnetIds") or []
    if subnets:
        try:
            config["VpcId"] = ec2_backends[self.account_id][self.region].get_subnet(subnets[0]).vpc_id
        except EC2ClientError:
            config["VpcId"] = ""
    return config


LambdaFunction.vpc_config = property(lambda_vpc_config)


# Gap: an interface endpoint's network interfaces get random addresses outside their subnets. AWS gives
# each one an address from its subnet's range (PrivateLink guide, "Endpoint network interfaces").
_create_vpc_endpoint_with_dns = VPCBackend.create_vpc_endpoint


def create_vpc_endpoint_in_subnets(self, *args, **kwargs):
    endpoint = _create_vpc_endpoint_with_dns(self, *args, **kwargs)
    for eni_id in endpoint.network_interface_ids or []:
        eni = self.get_network_interface(eni_id)
        address = random_private_ip(eni.subnet.cidr_block)
        eni.private_ip_address = address
        eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": address}]
        eni.private_dns_name = generate_dns_from_ip(address)
    return endpoint


VPCBackend.create_vpc_endpoint = create_vpc_endpoint_in_subnets


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pace-ms", type=int, default=0, help="the demo: reveal stack events this far apart")
    args = parser.parse_args()
    _pace["ms"] = args.pace_ms
    from moto.server import main as moto_server_main

    moto_server_main(["-H", "127.0.0.1", "-p", str(args.port)])  # loopback only, ever


if __name__ == "__main__":
    sys.exit(main())
