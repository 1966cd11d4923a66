"""What `connect`'s stacks meet on AWS and moto 5.2.1 lacks: security-group rules as resources of their own, one
peering connection per pair of VPCs, one private zone of a name per VPC, and only real VPCs in private zones."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import EC2ClientError, InvalidPermissionNotFoundError, InvalidSecurityGroupNotFoundError
from moto.ec2.models import ec2_backends
from moto.ec2.models.security_groups import SecurityGroupIngress
from moto.ec2.models.vpc_peering_connections import VPCPeeringConnectionBackend
from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend
from .common import creates, props


# --- AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress -------------------------------------------
# Gap: moto creates a SecurityGroupIngress rule but gives the resource no physical id and no delete, so deleting
# the stack leaves the rule on the group; it skips SecurityGroupEgress altogether (CREATE_COMPLETE, no rule).
# AWS: each is one rule of an existing group; its physical id, Ref and Fn::GetAtt Id are the rule's id, sgr-…
# (the CloudFormation resource schemas' primaryIdentifier Id, "The Security Group Rule Id", as
# @aws-cdk/aws-service-spec carries them), and deleting the resource revokes that rule and no other. A duplicate
# of a rule the group already has fails (InvalidPermission.Duplicate: moto's authorize raises it).
def _authorize_rule(account_id: str, region_name: str, p: dict[str, Any], egress: bool) -> tuple[str, str]:
    backend = ec2_backends[account_id][region_name]
    peer = "Destination" if egress else "Source"
    described = {"Description": p["Description"]} if p.get("Description") else {}
    ranges = [{key: p[key], **described} for key in ("CidrIp", "CidrIpv6") if p.get(key)]
    groups = [{"GroupId": p[f"{peer}SecurityGroupId"], **described}] if p.get(f"{peer}SecurityGroupId") else []
    prefixes = [{"PrefixListId": p[f"{peer}PrefixListId"], **described}] if p.get(f"{peer}PrefixListId") else []
    authorize = backend.authorize_security_group_egress if egress else backend.authorize_security_group_ingress
    added, group = authorize(p["GroupId"], str(p["IpProtocol"]), p.get("FromPort"), p.get("ToPort"), ranges,
                             source_groups=groups, prefix_list_ids=prefixes)
    return group.id, added[0].id


def _revoke_rule(self, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    revoke = backend.revoke_security_group_egress if self.egress else backend.revoke_security_group_ingress
    try:
        revoke(self.group_id, None, None, None, [], security_rule_ids=[self.rule_id])
    except (InvalidPermissionNotFoundError, InvalidSecurityGroupNotFoundError):
        pass  # already gone: CloudFormation counts a resource that no longer exists as deleted


def _rule_attribute(self, name: str) -> Any:
    if name == "Id":
        return self.rule_id
    raise UnformattedGetAttTemplateException()


@creates(SecurityGroupIngress)
def ingress_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    rule = cls.__new__(cls)
    rule.properties, rule.egress = props(cloudformation_json), False
    rule.group_id, rule.rule_id = _authorize_rule(account_id, region_name, rule.properties, egress=False)
    return rule


SecurityGroupIngress.physical_resource_id = property(lambda self: self.rule_id)
SecurityGroupIngress.delete = _revoke_rule
SecurityGroupIngress.get_cfn_attribute = _rule_attribute
SecurityGroupIngress.has_cfn_attr = classmethod(lambda cls, attr: attr == "Id")


class SecurityGroupEgressRule(CloudFormationModel):
    """AWS::EC2::SecurityGroupEgress: one outbound rule of an existing group (moto has no model for it)."""

    def __init__(self, group_id: str, rule_id: str, properties: dict[str, Any]):
        self.group_id, self.rule_id, self.properties, self.egress = group_id, rule_id, properties, True

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupEgress"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = props(cloudformation_json)
        return cls(*_authorize_rule(account_id, region_name, p, egress=True), p)

    @property
    def physical_resource_id(self) -> str:
        return self.rule_id

    delete = _revoke_rule
    get_cfn_attribute = _rule_attribute

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"


# --- One peering connection per pair of VPCs ---------------------------------------------------------------------
# Gap: moto makes a second peering connection between two VPCs that one already joins. AWS: "You cannot have more
# than one VPC peering connection between the same two VPCs at the same time" (Amazon VPC Peering Guide, "VPC
# peering limitations"), and CreateVpcPeeringConnection answers the error code VpcPeeringConnectionAlreadyExists,
# "A VPC peering connection between the VPCs already exists." (EC2 API reference, "Error codes for the Amazon EC2
# API"). That description stands in for the message, which no source here quotes; tests assert the code only.
# A connection that is over (deleted, rejected, failed, expired) does not count.
LIVE_PEERING = {"initiating-request", "pending-acceptance", "provisioning", "active"}
_create_peering_twice = VPCPeeringConnectionBackend.create_vpc_peering_connection


def create_one_peering_per_pair(self, vpc, peer_vpc, tags=None):
    pair = {vpc.id, peer_vpc.id}
    for existing in self.vpc_pcxs.values():
        if {existing.vpc.id, existing.peer_vpc.id} == pair and existing._status.code in LIVE_PEERING:
            raise EC2ClientError("VpcPeeringConnectionAlreadyExists", "A VPC peering connection between the VPCs already exists.")
    return _create_peering_twice(self, vpc, peer_vpc, tags)


VPCPeeringConnectionBackend.create_vpc_peering_connection = create_one_peering_per_pair


# --- One private zone of a name per VPC; only VPCs that exist ------------------------------------------------------
# Gap: moto associates a VPC with a second private zone of the same name, and a VPC id that names no VPC. AWS (Route
# 53 API reference): ConflictingDomainExists, for CreateHostedZone "A hosted zone with the specified name already
# exists and is already associated with the Amazon VPC that you specified", for AssociateVPCWithHostedZone "The VPC
# that you specified is already associated with another hosted zone that has the same name"; InvalidVPCId (HTTP
# 400, botocore's Route 53 model), "The VPC ID that you specified either isn't a valid ID or the current account is
# not authorized to access this VPC". Those descriptions stand in for the messages, which no source here quotes.
# (The API reference also counts parent and child names as a conflict; the developer guide now documents them as
# answered by the most specific zone: not modelled, connect.md §3.5.)
class _Route53Error(Route53ClientError):
    def __init__(self, code: str, message: str):
        super().__init__(code, message)


def _normal(name: str) -> str:
    return name.rstrip(".").lower()


def _check_vpc(backend: Route53Backend, zone_name: str, vpc_id: str | None, vpc_region: str | None, zone_id: str | None) -> None:
    if vpc_id is None:
        return
    try:
        known = vpc_id in ec2_backends[backend.account_id][vpc_region].vpcs
    except KeyError:  # not a region at all
        known = False
    if not known:
        raise _Route53Error("InvalidVPCId", "The VPC ID that you specified either isn't a valid ID or the current account is not authorized to access this VPC.")
    for zone in backend.zones.values():
        if zone.id != zone_id and zone.private_zone and _normal(zone.name) == _normal(zone_name) and any(v.get("vpc_id") == vpc_id for v in zone.vpcs):
            raise _Route53Error("ConflictingDomainExists", (
                "A hosted zone with the specified name already exists and is already associated with the Amazon VPC that you specified."
                if zone_id is None else "The VPC that you specified is already associated with another hosted zone that has the same name."))


_create_zone_unchecked = Route53Backend.create_hosted_zone
_associate_unchecked = Route53Backend.associate_vpc_with_hosted_zone


def create_hosted_zone_checked(self, name, private_zone, caller_reference=None, vpcid=None, vpcregion=None, comment=None, delegation_set_id=None):
    if private_zone:
        _check_vpc(self, name, vpcid, vpcregion, None)
    return _create_zone_unchecked(self, name, private_zone, caller_reference, vpcid, vpcregion, comment, delegation_set_id)


def associate_vpc_checked(self, zone_id, vpcid, vpcregion):
    zone = self.get_hosted_zone(zone_id)
    if zone.private_zone:
        _check_vpc(self, zone.name, vpcid, vpcregion, zone.id)
    return _associate_unchecked(self, zone_id, vpcid, vpcregion)


Route53Backend.create_hosted_zone = create_hosted_zone_checked
Route53Backend.associate_vpc_with_hosted_zone = associate_vpc_checked
