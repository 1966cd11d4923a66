"""The demo (and one Ctrl-C test): stack events revealed at a pace instead of all at once."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from moto.cloudformation.models import CloudFormationBackend, Event, Stack


# --- Pacing, for the demo and the Ctrl-C test ------------------------------------------------------------------------------
# moto does a whole stack in one request, so a progress view sees it start and finish in one poll. With
# --pace-ms, each event becomes visible (and is timestamped) one step after the previous one of its stack;
# slow resource types take several steps, roughly in AWS's proportions. DescribeStacks is not paced.
SLOW_TYPES = {"AWS::EC2::VPCEndpoint": 8, "AWS::Lambda::Function": 5, "AWS::EC2::VPCPeeringConnection": 4,
              "AWS::Route53::HostedZone": 5, "AWS::ApiGateway::Deployment": 2}
PACE = {"ms": 0}
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
        last = max(last, created) + steps * PACE["ms"] / 1000
        event.visible_at = last
        event.timestamp = datetime.fromtimestamp(last, timezone.utc).replace(tzinfo=None)
    _revealed_until[stack.stack_id] = last
    return [event for event in stack.events if event.visible_at <= now]


_original_describe_stack_events = CloudFormationBackend.describe_stack_events


def describe_stack_events(self, stack_name):
    if PACE["ms"] == 0:
        return _original_describe_stack_events(self, stack_name)
    return _paced(self.get_stack(stack_name))


CloudFormationBackend.describe_stack_events = describe_stack_events
