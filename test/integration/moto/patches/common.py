"""What every patch module shares: binding a CloudFormation create, reading a resource's properties and what it
refers to, what the CloudFormation call being served named (its ClientRequestToken, its StackName), recording a
resource event, and the refusals that are this emulator's rather than a service's."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone
from typing import Any

from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudformation.models import Event, Stack


def creates(cls: Any):
    """Decorator: the decorated function becomes cls.create_from_cloudformation_json (a classmethod)."""

    def bind(fn: Any) -> Any:
        cls.create_from_cloudformation_json = classmethod(fn)
        return fn

    return bind


operation = threading.local()  # what the CloudFormation call being served named: its token, its StackName


def remembering(response_class: Any, method: str, **params: str) -> None:
    """While `method` of the response class serves a request, `operation.<name>` holds its parameter `params[name]`."""
    original = getattr(response_class, method)

    def handler(self):
        for name, param in params.items():
            setattr(operation, name, self._get_param(param))
        try:
            return original(self)
        finally:
            for name in params:
                setattr(operation, name, None)

    setattr(response_class, method, handler)


# AWS's durations, scaled. Each delay the emulator models is what AWS takes (its source named beside it)
# times this factor, so the emulator keeps AWS's proportions at a speed a test suite can afford
# (launcher.py --time-scale N: one second here stands for N seconds on AWS).
TIME_SCALE = {"factor": 1 / 60}


def aws_delay(seconds_on_aws: float) -> float:
    """How many seconds this emulator takes for something AWS takes seconds_on_aws to do."""
    return seconds_on_aws * TIME_SCALE["factor"]


def props(cfn_json: dict[str, Any]) -> dict[str, Any]:
    return cfn_json.get("Properties") or {}


def references(node: Any) -> set[str]:
    """The names a resource's JSON refers to: Ref, Fn::GetAtt, Fn::Sub's ${X} (not ${!X}, a literal) and DependsOn.
    What it refers to is created before it and deleted after it (cfn_events.py, cfn_deletes.py)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else str(value).split(".")[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                found.update(name.split(".")[0] for name in re.findall(r"\$\{([^!}][^}]*)\}", str(text)))
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else value)
            found |= references(value)
    elif isinstance(node, list):
        for item in node:
            found |= references(item)
    return found


# A resource's progress as AWS records it in DescribeStackEvents, stamped with the operation's token
# (cfn_events.py says which events a create, update and delete record).
def resource_event(stack: Stack, logical_id: str, physical_id: str, kind: str, status: str,
                    reason: str | None = None, at: float | None = None) -> None:
    event = Event(stack.stack_id, stack.name, logical_id, physical_id, kind, status, reason, None)
    event.client_request_token = getattr(operation, "token", None)
    stack.events.append(event)
    shown_at(event, at if at is not None else operation_floor(stack))


# moto runs a stack operation inside the request; AWS takes its time, and its events appear as they happen.
# Each event carries when it happens on the emulated clock (its shown_at, its Timestamp): DescribeStackEvents
# lists it, and DescribeStacks moves on to its status, only from then on (cfn_lifecycle.py).
def shown_at(event: Event, at: float) -> None:
    event.shown_at = at
    event.timestamp = datetime.fromtimestamp(at, timezone.utc).replace(tzinfo=None)


def operation_events(stack: Stack) -> list[Event]:
    """The events of the stack's latest operation: those after its last settled stack event but one."""
    own = [i for i, e in enumerate(stack.events) if e.logical_resource_id == stack.name and e is not stack.events[-1]
           and not e.resource_status.endswith("_IN_PROGRESS")]
    return stack.events[own[-1] + 1:] if own else list(stack.events)


def operation_floor(stack: Stack) -> float:
    """No event of an operation happens before the latest one of the stack's own: a rollback follows its cause."""
    own = [getattr(e, "shown_at", 0.0) for e in operation_events(stack) if e.logical_resource_id == stack.name]
    return max([time.time(), *own])


def physical_id_of(resource: Any) -> str:
    return str(getattr(resource, "physical_resource_id", "") or "")


class InvalidRequest(CloudFormationError):
    """A resource handler refusing the request itself (CloudFormation's HandlerErrorCode InvalidRequest)."""

    code = "InvalidRequest"


class NotStabilized(CloudFormationError):
    """A resource handler giving up on a resource that never reached its stable state, in CloudFormation's words."""

    code = "NotStabilized"


class NotUpdatable(CloudFormationError):
    """An update moto cannot make: failed, never reported as done."""

    code = "NotUpdatable"

    def __init__(self, kind: str, what: str = "any change"):
        super().__init__(f"This emulator (moto 5.2.1) cannot apply {what} to {kind}, so it fails the update "
                         "rather than report a change it did not make")
