"""CloudFormation intrinsic functions moto resolves unlike AWS: Fn::GetAZs, AWS::NoValue as a list item."""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.ec2.models import ec2_backends


# --- Fn::GetAZs "" --------------------------------------------------------------------------------
# Gap: moto answers us-east-1 zones in every region (and does not resolve a Ref argument).
# AWS answers the zones of the argument's region, or of the stack's region when it is "" (CloudFormation
# Template Reference, Fn::GetAZs: "Specifying an empty string is equivalent to specifying AWS::Region").
_original_clean_json = parsing.clean_json


# --- AWS::NoValue as a list item ------------------------------------------------------------------------------
# Gap: an item of a list that resolves to AWS::NoValue (`- !If [Cond, {...}, !Ref AWS::NoValue]`) stays in the list
# as null, and the resource handler trips on it (connect-client.yaml's probe group: "'NoneType' object has no
# attribute 'get'"). AWS removes it, as it removes a property whose value is AWS::NoValue (Template Reference,
# "Pseudo parameters", AWS::NoValue; AWS's own linter resolves such items by dropping them,
# aws-cloudformation/cfn-lint PR #3265).
def _is_no_value(item: Any) -> bool:
    return isinstance(item, dict) and ("Fn::If" in item or item.get("Ref") == "AWS::NoValue")


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    if isinstance(resource_json, list):
        cleaned = [(item, clean_json(item, resources_map)) for item in resource_json]
        return [value for item, value in cleaned if not (value is None and _is_no_value(item))]
    if isinstance(resource_json, dict) and "Fn::GetAZs" in resource_json:
        region = _original_clean_json(resource_json["Fn::GetAZs"], resources_map)
        region = region or resources_map["AWS::Region"]
        backend = ec2_backends[resources_map["AWS::AccountId"]][region]
        return [zone.name for zone in backend.describe_availability_zones()]
    return _original_clean_json(resource_json, resources_map)


parsing.clean_json = clean_json  # the original recurses through this module-level name
