"""CloudFormation resource events: each resource's *_IN_PROGRESS and *_COMPLETE, as AWS records them."""

from __future__ import annotations

import time
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap
from moto.cloudformation.models import Stack
from .cfn_change_sets import parse_and_create_resource
from .common import operation_floor, physical_id_of, references, resource_event


# --- Resource events -----------------------------------------------------------------------------------------
# Gap: moto records only the stack's own events. AWS records every resource's progress: CREATE_IN_PROGRESS,
# again with "Resource creation Initiated" once it has a physical id, then CREATE_COMPLETE (UPDATE_* and
# DELETE_* alike), stamped with the operation's token (a real account's DescribeStackEvents:
# aws-samples/aws-scalable-big-blue-button-example#36; sceptre's and the CDK's logs show the same three rows per
# resource). Progress views are built from these. moto creates a
# resource's dependencies inside its own creation (a Ref), so the events are recorded once it succeeded:
# dependencies then complete before their dependants start, as on AWS. A failure records its
# IN_PROGRESS here and its FAILED in roll_back.
# Time: AWS starts a resource once the resources it references are complete, and reports it complete once its
# handler sees it stable, which for some types takes AWS's own time (a Lambda function until it is Active, a
# peering connection until it is active: their models set cfn_stable_at). The events carry those times
# (common.shown_at), so the stack completes when its slowest chain of resources does, as on AWS.
def create_with_events(logical_id, resource_json, resources_map, *args, **kwargs):
    stack, kind = resources_map.stack, resource_json.get("Type", "")
    try:
        resource = parse_and_create_resource(logical_id, resource_json, resources_map, *args, **kwargs)
    except Exception as error:
        if not hasattr(error, "cfn_event_recorded"):  # the innermost resource only, as with cfn_logical_id
            error.cfn_event_recorded = True
            resource_event(stack, logical_id, "", kind, "CREATE_IN_PROGRESS", at=_start(stack, resource_json))
        raise
    if resource is not None:
        physical, start = physical_id_of(resource), _start(stack, resource_json)
        done = start + max(0.0, getattr(resource, "cfn_stable_at", 0.0) - time.time())
        stack.__dict__.setdefault("cfn_done", {})[logical_id] = done
        resource_event(stack, logical_id, "", kind, "CREATE_IN_PROGRESS", at=start)
        resource_event(stack, logical_id, physical, kind, "CREATE_IN_PROGRESS", "Resource creation Initiated", at=start)
        resource_event(stack, logical_id, physical, kind, "CREATE_COMPLETE", at=done)
    return resource


def _start(stack: Stack, resource_json: dict[str, Any]) -> float:
    done = stack.__dict__.get("cfn_done", {})
    return max([operation_floor(stack), *[done.get(name, 0.0) for name in references(resource_json)]])


parsing.parse_and_create_resource = create_with_events
_original_parse_and_update_resource = parsing.parse_and_update_resource
# Declared, not modelled: moto's update deletes the resources the new template removes before it adds and
# modifies the others, and records no UPDATE_COMPLETE_CLEANUP_IN_PROGRESS. AWS deletes removed resources last,
# in that cleanup phase (CloudFormation User Guide, stack status codes), so a removed resource that something
# still uses (a Deployment a Stage points at) fails there on AWS, not here.


def update_with_events(logical_id, resource_json, resources_map, *args, **kwargs):
    resource = _original_parse_and_update_resource(logical_id, resource_json, resources_map, *args, **kwargs)
    if resource is not None:
        stack, kind, physical = resources_map.stack, resource_json.get("Type", ""), physical_id_of(resource)
        resource_event(stack, logical_id, physical, kind, "UPDATE_IN_PROGRESS")
        resource_event(stack, logical_id, physical, kind, "UPDATE_COMPLETE")
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
    logical_id, physical = getattr(parsed_resource, "logical_resource_id", ""), physical_id_of(parsed_resource)
    resource_event(stack, logical_id, physical, kind, "DELETE_IN_PROGRESS")
    resource_event(stack, logical_id, physical, kind, "DELETE_COMPLETE")


ResourceMap._delete_resource = delete_with_events
