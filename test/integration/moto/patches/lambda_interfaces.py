"""Lambda's VPC network interfaces (Hyperplane ENIs) and what they hold up: subnet, group and stack deletes."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone
from typing import Any

from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.ec2.exceptions import DependencyViolationError, EC2ClientError, InvalidNetworkInterfaceIdError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface, NetworkInterfaceBackend
from moto.ec2.models.security_groups import SecurityGroupBackend
from moto.ec2.models.subnets import SubnetBackend
from moto.iam.models import iam_backends
from moto.moto_api._internal import mock_random
from .cfn_deletes import HOLDS
from .common import aws_delay


# === Lambda VPC network interfaces (Hyperplane ENIs) ===========================================================
# moto gives a VPC function no network interfaces, so nothing ever waits on them and a teardown is instant.
# AWS does, as real accounts show them. Modelled here, each behaviour with its source:
#   - one interface per subnet and security group of the function's VpcConfig, shared by the functions
#     that use the same combination (AWS::Lambda::Function VpcConfig; Lambda guide, "Connecting outbound
#     networking to resources in a VPC": Hyperplane ENIs);
#   - made with the function's execution role ("Lambda uses your function's permissions to create and
#     manage network interfaces", Lambda guide), so not requester-managed: RequesterManaged false,
#     RequesterId the role's session, `<role id>:awslambda_<n>_<time>` (the session name Lambda uses,
#     github-aws-runners/terraform-aws-github-runner#888; go-to-k/cdkd#45 found the role's AROA id there);
#     InterfaceType "lambda"; described "AWS Lambda VPC ENI-<name>" with no uuid, and for a name that
#     ends in CloudFormation's generated suffix ("-zZBaJTabq03f") the name without it (go-to-k/cdkd#41:
#     "AWS Lambda VPC ENI-CdkdBenchCdkSample-ApiFunction" for CdkdBenchCdkSample-ApiFunction-zZBaJTabq03f);
#     in-use while a function uses them;
#   - once the last function using one lets go of it, by a detach (UpdateFunctionConfiguration with empty
#     lists) or by being deleted, it turns available with InterfaceType "interface" about 4 minutes later
#     (alchemy-run/alchemy#937, measured on AWS: "flip InterfaceType lambda -> interface") and anyone may
#     delete it ("If the service detached a network interface but didn't delete it, you can delete the
#     detached network interface", EC2 guide, requester-managed interfaces); Lambda deletes it itself only
#     20-40 minutes after (serverless#5008, cloudformation-coverage-roadmap#392/#414; taken as 30);
#   - EC2 refuses to delete a subnet or security group that still has an interface (DependencyViolation:
#     "The subnet '…' has dependencies and cannot be deleted." aws/aws-cdk#14456, "resource sg-… has a
#     dependent object" aws/aws-cdk#31521), and an interface still in use ("Network interface '…' is
#     currently in use.", gruntwork-io/cloud-nuke#1132);
#   - CloudFormation waits only for a function it deletes while the function is still in its VPC ("When
#     you delete a function, CloudFormation monitors the state of its network interfaces and waits for
#     Lambda to delete them before proceeding", VpcConfig): that function stays DELETE_IN_PROGRESS until
#     its interfaces are gone (cfn_deletes.py HOLDS). A detached function's interfaces have nothing
#     waiting for them: the subnet and group deletes fail on them, DELETE_FAILED, the interfaces left
#     available (aws/aws-cdk#34400, #12827; go-to-k/delstack#637).
# Also a gap this needs: moto answers VpcConfig.VpcId "vpc-123abc" for every function; AWS answers the VPC of
# its subnets (Lambda API reference, VpcConfigResponse).
LETS_GO_S = 4 * 60  # alchemy-run/alchemy#937
REAPED_S = 30 * 60  # serverless#5008, cloudformation-coverage-roadmap#392/#414: 20-40 minutes
_hyperplane_lock = threading.RLock()
# eni id -> {"account", "region", "users": functions using it, "available_at", "release_at" (time.time()),
#            "deleted_with": the function CloudFormation deleted while it used this one, if it did}
_lambda_enis: dict[str, dict[str, Any]] = {}
_GENERATED_SUFFIX = re.compile(r"-[A-Za-z0-9]{12}$")


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
            eni.status, eni.interface_type = "available", "interface"


def _requester_id(account_id: str, role_arn: str) -> str:
    try:
        role_id = iam_backends[account_id]["global"].get_role_by_arn(role_arn).id
    except Exception:  # a role moto does not know (CreateFunction does not check it): an id of the same shape
        role_id = "AROA" + "".join(mock_random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:-3]
    return f"{role_id}:awslambda_{mock_random.randint(100, 999)}_{stamp}"


def _use(account_id: str, region: str, fn: Any, vpc_config: dict[str, Any] | None) -> None:
    backend = ec2_backends[account_id][region]
    _reap(backend)
    for subnet_id, group_id in _combinations(vpc_config):
        for eni_id, state in _lambda_enis.items():
            eni = backend.enis.get(eni_id)
            if eni is not None and eni.subnet.id == subnet_id and [g.id for g in eni._group_set] == [group_id] and state["users"]:
                state["users"].add(fn.function_name)  # Hyperplane: one interface per combination, shared
                break
        else:
            eni = backend.create_network_interface(
                backend.get_subnet(subnet_id), None, group_ids=[group_id],
                description=f"AWS Lambda VPC ENI-{_GENERATED_SUFFIX.sub('', fn.function_name)}")
            eni.requester_managed, eni.requester_id = False, _requester_id(account_id, fn.role)
            eni.interface_type, eni.status = "lambda", "in-use"
            _lambda_enis[eni.id] = {"account": account_id, "region": region, "users": {fn.function_name},
                                    "available_at": None, "release_at": None, "deleted_with": None}


def _let_go(region: str, function_name: str, keep: list[tuple[str, str]], deleted: bool) -> None:
    now = time.time()
    for eni_id, state in _lambda_enis.items():
        eni = ec2_backends[state["account"]][region].enis.get(eni_id) if state["region"] == region else None
        if eni is None or function_name not in state["users"] or (eni.subnet.id, eni._group_set[0].id) in keep:
            continue
        state["users"].discard(function_name)
        if not state["users"]:
            state["available_at"] = now + aws_delay(LETS_GO_S)
            state["release_at"] = now + aws_delay(REAPED_S)
            state["deleted_with"] = function_name if deleted else None


_original_create_function = LambdaBackend.create_function
_original_delete_function = LambdaBackend.delete_function
_original_update_configuration = LambdaFunction.update_configuration


def create_function(self, spec):
    with _hyperplane_lock:
        fn = _original_create_function(self, spec)
        _use(self.account_id, self.region_name, fn, spec.get("VpcConfig"))
        return fn


def delete_function(self, function_name, qualifier=None):
    with _hyperplane_lock:
        fn = self.get_function(function_name, qualifier)
        _original_delete_function(self, function_name, qualifier)
        if qualifier is None:
            _let_go(self.region_name, fn.function_name, keep=[], deleted=True)


def update_configuration(self, config_updates):
    with _hyperplane_lock:
        answer = _original_update_configuration(self, config_updates)
        if "VpcConfig" in config_updates:
            wanted = _combinations(config_updates["VpcConfig"])
            _let_go(self.region, self.function_name, keep=wanted, deleted=False)
            _use(self.account_id, self.region, self, config_updates["VpcConfig"])
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


def _deleted_in_vpc_waits(stack: Any, resource: Any) -> bool:
    """CloudFormation's delete of a function it deleted in its VPC lasts until Lambda's interfaces are gone."""
    if not isinstance(resource, LambdaFunction):
        return False
    with _hyperplane_lock:
        backend = ec2_backends[stack.account_id][stack.region_name]
        _reap(backend)
        return any(state["deleted_with"] == resource.function_name and eni_id in backend.enis
                   for eni_id, state in _lambda_enis.items() if state["region"] == stack.region_name)


HOLDS.append(_deleted_in_vpc_waits)
