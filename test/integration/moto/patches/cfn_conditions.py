"""Stack updates and change sets with a resource's Condition evaluated, as AWS evaluates it."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import Change, ChangeSet, Stack
from moto.cloudformation.parsing import ResourceMap, get_references_from_template


# Gap: moto 5.2.1 compares an update's template with the stack's resource by resource and never evaluates
# their Conditions: a resource whose condition is false is listed (Add) though it will not be created, and one
# that exists and whose condition turns false is taken for a Modify (which cfn_updates.py then fails) instead
# of being deleted. AWS: "AWS CloudFormation also re-evaluates these conditions at each stack update before
# updating any resources. Resources that are still associated with a true condition are updated. Resources that
# are now associated with a false condition are deleted." (CloudFormation User Guide,
# conditions-section-structure); a resource whose condition is false is not part of the stack, so a change set
# lists no change for it (a template adding only such a resource makes no change at all:
# aws-cloudformation/cloudformation-coverage-roadmap#2027), nor does DescribeStackResources list it (moto lists
# a row without ids for it).
def _holding(like: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None) -> set[str]:
    """The resources of `template` whose condition holds with these parameters (or that have none)."""
    scratch = ResourceMap(like.stack_id, "", parameters if parameters is not None else like.input_parameters, like.tags,
                          like._region_name, like._account_id, template, like.cross_stack_resources)
    scratch.load_mapping()
    scratch.load_parameters()
    scratch.load_conditions()
    return {name for name, resource in (template.get("Resources") or {}).items()
            if not resource.get("Condition") or scratch.lazy_condition_map[resource["Condition"]]}


def build_resource_diff(self, other_template, parameters=None):
    holding = _holding(self, other_template, parameters)
    new = {name: resource for name, resource in other_template["Resources"].items() if name in holding}
    # What exists: the resources the stack made (its false-condition ones were never created).
    old = {name: resource for name, resource in self._resource_json_map.items() if name in self._parsed_resources}
    actions = {
        "Add": [name for name in new if name not in old],
        "Modify": [name for name in new if name in old and new[name] != old[name]],
        "Remove": [name for name in old if name not in new],
    }
    # A resource whose text is the same but that refers to a parameter whose value changed (moto's own rule).
    if parameters:
        changed = [p for p in parameters if self.input_parameters.get(p) != parameters[p]]
        for name in new:
            if name in old and new[name] == old[name] and any(p in get_references_from_template(new[name]) for p in changed):
                actions["Modify"].append(name)
    return actions


def build_change_set_actions(self, template, parameters=None):
    diff = build_resource_diff(self, template, parameters)
    actions = {action: {} for action in diff}
    for action, names in diff.items():
        source = self._resource_json_map if action == "Remove" else template["Resources"]
        for name in names:
            actions[action][name] = {"LogicalResourceId": name, "ResourceType": source[name]["Type"]}
    return actions


def change_set_diff(self):
    actions = self.stack.resource_map.build_change_set_actions(self.template_dict, self.parameters)
    return [Change(action=action, logical_resource_id=name, resource_type=resource["ResourceType"])
            for action, resources in actions.items() for name, resource in resources.items()]


def stack_resources(self):
    return [resource for resource in self.resource_map.values() if resource is not None]


ResourceMap.build_resource_diff = build_resource_diff
ResourceMap.build_change_set_actions = build_change_set_actions
ChangeSet.diff = change_set_diff
Stack.stack_resources = property(stack_resources)

