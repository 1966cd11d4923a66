"""CloudFormation intrinsic functions moto resolves unlike AWS: Fn::GetAZs."""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.ec2.models import ec2_backends


# --- Fn::GetAZs "" --------------------------------------------------------------------------------
# Gap: moto answers us-east-1 zones in every region (and does not resolve a Ref argument).
# AWS answers the zones of the argument's region, or of the stack's region when it is "".
_original_clean_json = parsing.clean_json


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    if isinstance(resource_json, dict) and "Fn::GetAZs" in resource_json:
        region = _original_clean_json(resource_json["Fn::GetAZs"], resources_map)
        region = region or resources_map["AWS::Region"]
        backend = ec2_backends[resources_map["AWS::AccountId"]][region]
        return [zone.name for zone in backend.describe_availability_zones()]
    return _original_clean_json(resource_json, resources_map)


parsing.clean_json = clean_json  # the original recurses through this module-level name
