"""VPC networking: peering across regions, route tables and routes, subnet associations, security groups, VPC DNS attributes."""

from __future__ import annotations

import time
from ipaddress import ip_network
from typing import Any

from moto.ec2.exceptions import InvalidRouteError, InvalidRouteTableIdError, InvalidVPCPeeringConnectionIdError
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import Route, RouteTable
from moto.ec2.models.security_groups import SecurityGroup
from moto.ec2.models.subnets import SubnetRouteTableAssociation
from moto.ec2.models.vpc_peering_connections import VPCPeeringConnection, VPCPeeringConnectionBackend
from moto.ec2.models.vpcs import VPC
from .common import NotStabilized, aws_delay, creates, props


# --- AWS::EC2::VPCPeeringConnection with PeerRegion; its lifecycle; delete ----------------------------------
# Gap: moto ignores PeerRegion and looks the peer VPC up in its own region (InvalidVpcID.NotFound).
# AWS finds it in PeerRegion ("The Region code for the accepter VPC, if the accepter VPC is located in a Region
# other than the Region in which you make the request": AWS::EC2::VPCPeeringConnection's PeerRegion, in the
# CloudFormation resource specification @aws-cdk/aws-service-spec ships) and, for a same-account peering
# without PeerRoleArn (needed only "in another AWS account", the same page), accepts it itself: the
# resource's create handler calls ec2:AcceptVpcPeeringConnection (its registry schema's create permissions,
# test/steps/permissions/handler-permissions.json), and the connection is active in both regions.
# Delete: not implemented in moto; AWS marks it deleted (its delete handler: ec2:DeleteVpcPeeringConnection,
# the same file; a deleted connection stays listed a while as "deleted", VPC Peering Guide, lifecycle).
# Gap: an accepted connection is active at once. AWS: pending-acceptance, then provisioning once accepted, then
# active (VpcPeeringConnectionStateReason's codes), and CloudFormation reports the resource complete only once
# it is active (the handler's "failed to stabilize" below). How long: 30 s on AWS from the request (enough in
# cloudposse/terraform-aws-vpc-peering-multi-account#11), spent here as provisioning after the acceptance.
# Its Status.Message while provisioning: "Provisioning", unverified.
# Gap: moto peers VPCs whose CIDR blocks overlap. AWS accepts the request and the connection's status is failed
# (CreateVpcPeeringConnection API reference: "If you create a VPC peering connection request between VPCs with
# overlapping CIDR blocks, the VPC peering connection has a status of failed"; hashicorp/terraform#9038). It cannot
# be accepted or deleted then (DeleteVpcPeeringConnection API reference), and stays visible as failed. Its
# Status.Message: no source found, left empty. CloudFormation fails the resource "VpcPeeringConnection failed to
# stabilize" (AWS Knowledge Center, "cloudformation-vpc-peering-error", overlapping ranges its second cause), and
# its rollback has no connection to delete.
PEERING_S_ON_AWS = 30
_create_vpc_peering_connection_anyway = VPCPeeringConnectionBackend.create_vpc_peering_connection
_accept_at_once = VPCPeeringConnectionBackend.accept_vpc_peering_connection


def create_vpc_peering_connection(self, vpc, peer_vpc, tags=None):
    pcx = _create_vpc_peering_connection_anyway(self, vpc, peer_vpc, tags)
    if ip_network(vpc.cidr_block).overlaps(ip_network(peer_vpc.cidr_block)):
        pcx._status.code, pcx._status.message = "failed", ""
    return pcx


def accept_vpc_peering_connection(self, vpc_pcx_id):
    pcx = _accept_at_once(self, vpc_pcx_id)
    pcx.cfn_stable_at = time.time() + aws_delay(PEERING_S_ON_AWS)  # CloudFormation waits until then
    return pcx


def _peering_status(self) -> dict[str, str]:
    if self._status.code == "active" and time.time() < getattr(self, "cfn_stable_at", 0.0):
        return {"Code": "provisioning", "Message": "Provisioning"}
    return {"Code": self._status.code, "Message": self._status.message}


VPCPeeringConnectionBackend.create_vpc_peering_connection = create_vpc_peering_connection
VPCPeeringConnectionBackend.accept_vpc_peering_connection = accept_vpc_peering_connection
VPCPeeringConnection.status = property(_peering_status)


@creates(VPCPeeringConnection)
def pcx_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = ec2_backends[account_id][region_name]
    peer_account = p.get("PeerOwnerId") or account_id
    peer_backend = ec2_backends[peer_account][p.get("PeerRegion") or region_name]
    tags = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
    pcx = backend.create_vpc_peering_connection(backend.get_vpc(p["VpcId"]), peer_backend.get_vpc(p["PeerVpcId"]), tags=tags)
    if pcx._status.code == "failed":
        raise NotStabilized("VpcPeeringConnection failed to stabilize")
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
# Gap: not implemented; a VPC that keeps its own route table cannot be deleted. AWS deletes both (the types'
# registry schemas' delete handlers: ec2:DeleteRouteTable, ec2:DeleteRoute, handler-permissions.json), and
# refuses a VPC whose own route table is still there (DeleteVpc in botocore's EC2 model: "delete all route
# tables associated with the VPC (except the default one)" first). moto deletes a
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
# it (and nothing deletes it). AWS associates the subnet with the table (DescribeRouteTables lists it in the
# table's Associations, "the associations between the route table and your subnets", botocore's EC2 model); the Ref is the association id (the
# resource's primaryIdentifier Id, "The ID of the subnet route table association", in the resource
# specification @aws-cdk/aws-service-spec ships); its delete handler disassociates (ec2:DisassociateRouteTable,
# handler-permissions.json).
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


# --- doctor: what its Describe/Get calls read ------------------------------------------------------------
# `doctor` judges the path from these answers, so they must say what AWS would say of the same resources.
# (Security-group egress and Lambda's VpcConfig.VpcId, which it reads too, are modelled in the strictness
# and Lambda network-interface sections.)

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
