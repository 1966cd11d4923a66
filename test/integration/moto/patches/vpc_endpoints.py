"""Interface VPC endpoints: AWS-like DnsEntries, Fn::GetAtt and delete; addresses inside their subnets; a JSON policy."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ec2.models import ec2_backends
from moto.ec2.models.vpcs import VPCBackend, VPCEndPoint
from moto.moto_api._internal import mock_random
from moto.ec2.utils import generate_dns_from_ip, random_private_ip


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
