"""Lambda's VPC network interfaces (Hyperplane ENIs) and what they hold up: subnet, group and stack deletes."""

from __future__ import annotations

import threading
import time
from typing import Any

from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.subnets import SubnetBackend
from moto.moto_api._internal import mock_random
from moto.ec2.exceptions import DependencyViolationError, InvalidNetworkInterfaceIdError
from moto.ec2.models.elastic_network_interfaces import NetworkInterface, NetworkInterfaceBackend
from moto.ec2.models.security_groups import SecurityGroupBackend
from .common import operation, resource_event


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

HYPERPLANE = {"release_s": 0.0, "detach_s": 0.0}
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
            state["release_at"] = now + HYPERPLANE["release_s"]
            if detached:
                state["available_at"] = now + HYPERPLANE["detach_s"]


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
    operation.token = token
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
        operation.token = None


def _delete_failed(stack: Stack, holders: dict[str, Any], enis: list[Any], error: Exception) -> None:
    failed = []
    for logical_id, resource in holders.items():
        if not any(eni.subnet.id == resource.id or resource.id in [g.id for g in eni._group_set] for eni in enis):
            continue
        failed.append(logical_id)
        reason = (f"The subnet '{resource.id}' has dependencies and cannot be deleted." if type(resource).__name__ == "Subnet"
                  else f"resource {resource.id} has a dependent object")
        resource_event(stack, logical_id, resource.id, "AWS::EC2::Subnet" if type(resource).__name__ == "Subnet"
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
    _finish_delete(self, stack, getattr(operation, "token", None))


CloudFormationBackend.delete_stack = delete_stack
