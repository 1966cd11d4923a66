"""What every patch module shares: binding a CloudFormation create, reading a resource's properties, the
CloudFormation call being served (its ClientRequestToken), recording a resource event, and the two refusals
that are this emulator's rather than a service's."""

from __future__ import annotations

import threading
from typing import Any

from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudformation.models import Event, Stack


def creates(cls: Any):
    """Decorator: the decorated function becomes cls.create_from_cloudformation_json (a classmethod)."""

    def bind(fn: Any) -> Any:
        cls.create_from_cloudformation_json = classmethod(fn)
        return fn

    return bind


operation = threading.local()  # the ClientRequestToken of the CloudFormation call being served


# AWS's durations, scaled. Each delay the emulator models is what AWS takes (its source named beside it)
# times this factor, so the emulator keeps AWS's proportions at a speed a test suite can afford
# (launcher.py --time-scale N: one second here stands for N seconds on AWS).
TIME_SCALE = {"factor": 1 / 60}


def aws_delay(seconds_on_aws: float) -> float:
    """How many seconds this emulator takes for something AWS takes seconds_on_aws to do."""
    return seconds_on_aws * TIME_SCALE["factor"]


def props(cfn_json: dict[str, Any]) -> dict[str, Any]:
    return cfn_json.get("Properties") or {}


# A resource's progress as AWS records it in DescribeStackEvents, stamped with the operation's token
# (cfn_events.py says which events a create, update and delete record).
def resource_event(stack: Stack, logical_id: str, physical_id: str, kind: str, status: str,
                    reason: str | None = None) -> None:
    event = Event(stack.stack_id, stack.name, logical_id, physical_id, kind, status, reason, None)
    event.client_request_token = getattr(operation, "token", None)
    stack.events.append(event)


def physical_id_of(resource: Any) -> str:
    return str(getattr(resource, "physical_resource_id", "") or "")


class InvalidRequest(CloudFormationError):
    """A resource handler refusing the request itself (CloudFormation's HandlerErrorCode InvalidRequest)."""

    code = "InvalidRequest"


class NotUpdatable(CloudFormationError):
    """An update moto cannot make: failed, never reported as done."""

    code = "NotUpdatable"

    def __init__(self, kind: str, what: str = "any change"):
        super().__init__(f"This emulator (moto 5.2.1) cannot apply {what} to {kind}, so it fails the update "
                         "rather than report a change it did not make")
