"""CloudFormation stack deletes: accepted, resources deleted dependants first, a failure kept as DELETE_FAILED."""

from __future__ import annotations

import threading
from typing import Any, Callable

from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.cloudformation.parsing import ResourceMap
from moto.moto_api._internal import mock_random
from .cfn_change_sets import made_resources
from .common import operation, physical_id_of, references, resource_event


# === Stack deletes ================================================================================================
# Gap: moto's DeleteStack takes the stack out of the region first and then deletes its resources in one go;
# when one cannot be deleted the call answers that resource's error, and the stack is no longer listed
# while what was not deleted stays. AWS accepts the call ("Once the call completes successfully, stack
# deletion starts", DeleteStack API reference) and deletes in the background; a resource it cannot delete
# ends DELETE_FAILED with the service's message, the stack ends DELETE_FAILED "The following resource(s)
# failed to delete: [X]. " and stays listed with what is left, and DeleteStack on it again retries those
# (aws/aws-cdk#31521, 2024: `resource sg-... has a dependent object (Service: Ec2, Status Code: 400,
# Request ID: ...)`; #14456 and #10777 show the same rows in the older "(Service: AmazonEC2; ...)" form).
# Modelled for every resource type:
#   - a resource is deleted once nothing left in the stack refers to it (Ref, Fn::GetAtt, Fn::Sub,
#     DependsOn): CloudFormation deletes in reverse dependency order, so one whose dependant failed is
#     not attempted and keeps its state (inferred from that order; aws/aws-cdk#10777 shows CloudFormation
#     sometimes attempting the VPC after its security group failed, which this does not model);
#   - each resource's DELETE_IN_PROGRESS, then DELETE_COMPLETE or DELETE_FAILED with the reason in the
#     form above ("Service" is the namespace of the type; only EC2's spelling, Ec2, is from a capture);
#     DeletionPolicy Retain: DELETE_SKIPPED;
#   - a resource whose delete CloudFormation waits on (HOLDS: Lambda's function deleted in its VPC,
#     lambda_interfaces.py) stays DELETE_IN_PROGRESS, and what it refers to waits, until it lets go;
#   - while and after the delete, DescribeStacks keeps the stack's outputs and DescribeStackResources
#     lists what the stack made, deleted ones too (moto would build the deleted ones again from the
#     template on first access).
# What CloudFormation waits on before it can call a resource deleted: each hook answers whether it still does.
HOLDS: list[Callable[[Stack, Any], bool]] = []
_delete_lock = threading.RLock()
# How often a delete that waits looks again (the emulator's own cadence, not an AWS duration).
_TICK_S = 0.05
_moto_delete_resource = ResourceMap._delete_resource  # before cfn_events adds its events: ours are here


def _dependencies(templates: dict[str, Any]) -> dict[str, set[str]]:
    """Logical id -> the resources it refers to (and so must outlive it)."""
    return {logical_id: references(template) & set(templates) - {logical_id} for logical_id, template in templates.items()}


def _service(kind: str) -> str:
    namespace = kind.split("::")[1] if kind.count("::") >= 2 else "CloudFormation"
    return namespace.capitalize() if namespace.isupper() else namespace


def _reason(kind: str, error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    code = getattr(error, "code", 400)
    status = code if isinstance(code, int) else 400
    return f"{message} (Service: {_service(kind)}, Status Code: {status}, Request ID: {mock_random.uuid4()})"


def _left(stack: Stack) -> list[str]:
    resource_map = stack.resource_map
    return [logical_id for logical_id in resource_map._resource_json_map if logical_id in resource_map._parsed_resources]


def _delete_pass(stack: Stack) -> dict[str, Exception]:
    """Deletes what can be deleted now, pass after pass while that makes progress; answers what failed."""
    resource_map = stack.resource_map
    templates = resource_map._resource_json_map
    needs = _dependencies(templates)
    started: set[str] = stack.__dict__.setdefault("delete_started", set())
    holding: set[str] = stack.__dict__.setdefault("delete_holding", set())
    for logical_id in sorted(holding):
        resource = stack.__dict__["delete_held"][logical_id]
        if not any(hold(stack, resource) for hold in HOLDS):
            holding.discard(logical_id)
            resource_event(stack, logical_id, physical_id_of(resource), templates[logical_id].get("Type", ""), "DELETE_COMPLETE")
    errors: dict[str, Exception] = {}
    progress = True
    while progress:
        progress = False
        for logical_id in _left(stack):
            still_there = set(_left(stack)) | holding
            if any(logical_id in needs[other] for other in still_there if other != logical_id):
                continue  # a dependant is still there
            resource, template = resource_map._parsed_resources[logical_id], templates[logical_id]
            kind, physical = template.get("Type", ""), physical_id_of(resource)
            if template.get("DeletionPolicy") == "Retain":
                resource_map._parsed_resources.pop(logical_id)
                resource_event(stack, logical_id, physical, kind, "DELETE_SKIPPED")
                progress = True
                continue
            if logical_id not in started:
                started.add(logical_id)
                resource_event(stack, logical_id, physical, kind, "DELETE_IN_PROGRESS")
            try:
                if resource is not None and not isinstance(resource, str):
                    _moto_delete_resource(resource_map, resource, template)
            except Exception as error:  # retried while other deletes make progress, as moto does
                errors[logical_id] = error
                continue
            errors.pop(logical_id, None)
            resource_map._parsed_resources.pop(logical_id)
            progress = True
            if any(hold(stack, resource) for hold in HOLDS):
                holding.add(logical_id)
                stack.__dict__.setdefault("delete_held", {})[logical_id] = resource
            else:
                resource_event(stack, logical_id, physical, kind, "DELETE_COMPLETE")
    return {logical_id: error for logical_id, error in errors.items() if logical_id in _left(stack)}


def _proceed(backend: CloudFormationBackend, stack: Stack, token: str | None) -> None:
    operation.token = token
    try:
        with _delete_lock:
            errors = _delete_pass(stack)
            if stack.__dict__.get("delete_holding"):
                timer = threading.Timer(_TICK_S, _proceed, (backend, stack, token))
                timer.daemon = True
                timer.start()
                return
            if errors or _left(stack):
                templates = stack.resource_map._resource_json_map
                for logical_id, error in sorted(errors.items()):
                    resource = stack.resource_map._parsed_resources[logical_id]
                    kind = templates[logical_id].get("Type", "")
                    resource_event(stack, logical_id, physical_id_of(resource), kind, "DELETE_FAILED", _reason(kind, error))
                names = ", ".join(sorted(errors)) or ", ".join(_left(stack))
                stack._add_stack_event("DELETE_FAILED", resource_status_reason=f"The following resource(s) failed to delete: [{names}]. ")
                stack.status = "DELETE_FAILED"
                return
            stack._add_stack_event("DELETE_COMPLETE")
            stack.status = "DELETE_COMPLETE"
            backend.stacks.pop(stack.stack_id, None)
            backend.deleted_stacks[stack.stack_id] = stack
            for name in stack.__dict__.get("kept_exports", []):
                backend.exports.pop(name, None)
    finally:
        operation.token = None


def delete_stack(self, name_or_stack_id):
    with _delete_lock:
        stack = self.stacks.get(name_or_stack_id) or next(
            (s for s in self.stacks.values() if s.name == name_or_stack_id), None)
        if stack is None or stack.status == "DELETE_IN_PROGRESS":
            return  # AWS: a name with no stack, or a delete already going, is not an error
        if "kept_outputs" not in stack.__dict__:
            # Read while every resource is there: moto computes them from the resources on each call.
            stack.__dict__["kept_outputs"] = stack.outputs
            stack.__dict__["kept_exports"] = [export.name for export in stack.exports]
            stack.__dict__["kept_resources"] = made_resources(stack)
        stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
        stack.status = "DELETE_IN_PROGRESS"
        stack.__dict__["delete_started"] = set()
    _proceed(self, stack, getattr(operation, "token", None))


CloudFormationBackend.delete_stack = delete_stack
_original_outputs = Stack.outputs


def kept_outputs(self):
    return self.__dict__["kept_outputs"] if "kept_outputs" in self.__dict__ else _original_outputs.fget(self)


Stack.outputs = property(kept_outputs)
_original_describe_stack_resources = CloudFormationBackend.describe_stack_resources


def describe_stack_resources(self, stack_name, logical_resource_id):
    stack = self.get_stack(stack_name)
    kept = stack.__dict__.get("kept_resources")
    if kept is None:
        return _original_describe_stack_resources(self, stack_name, logical_resource_id)
    return stack, [r for r in kept if logical_resource_id in (None, r.logical_resource_id)]


CloudFormationBackend.describe_stack_resources = describe_stack_resources
