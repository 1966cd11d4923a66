"""CloudFormation updates moto cannot make: failed and rolled back, never pretended done."""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import CloudFormationBackend, Stack
from .cfn_change_sets import roll_back
from .common import NotUpdatable, resource_event, physical_id_of


# --- Updates moto cannot make ------------------------------------------------------------------------------------
# Gap: when an update modifies a resource whose moto model has no update, moto silently drops the resource
# from the stack and reports UPDATE_COMPLETE: a change that never happened looks done. AWS updates the
# resource (in place or by replacement) or fails it: UPDATE_FAILED, then UPDATE_ROLLBACK_IN_PROGRESS and
# UPDATE_ROLLBACK_COMPLETE with the stack as it was. This emulator cannot make the change, so it fails
# before touching anything, the way AWS fails an update at that resource and rolls everything back.
def _first_not_updatable(stack: Stack, change_set: Any) -> tuple[str, str] | None:
    resources = change_set.template_dict.get("Resources") or {}
    modified = stack.resource_map.build_resource_diff(change_set.template_dict, change_set.parameters)["Modify"]
    for logical_id in [name for name in resources if name in modified]:
        kind = resources[logical_id].get("Type", "")
        model = parsing.resource_class_from_type(kind)
        if model is not None and hasattr(model.update_from_cloudformation_json, "__isabstractmethod__"):
            return logical_id, kind
    return None


_execute_change_set_leniently = CloudFormationBackend.execute_change_set


def execute_change_set_strictly(self, change_set_name, stack_name=None):
    change_set = self.describe_change_set(change_set_name)
    stack = self.stacks[change_set.stack_id]
    refused = _first_not_updatable(stack, change_set) if change_set.change_set_type == "UPDATE" else None
    if refused is None:
        return _execute_change_set_leniently(self, change_set_name, stack_name)
    logical_id, kind = refused
    stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
    resource_event(stack, logical_id, physical_id_of(stack.resource_map._parsed_resources.get(logical_id)), kind,
                    "UPDATE_IN_PROGRESS")
    error = NotUpdatable(kind)
    error.cfn_logical_id, error.cfn_resource_type = logical_id, kind
    roll_back(stack, change_set, error)


CloudFormationBackend.execute_change_set = execute_change_set_strictly
