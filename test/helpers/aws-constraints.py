#!/usr/bin/env python3
"""What AWS states about the fields a template's values land in, read from the models AWS ships.

    echo '{"members": ["ec2:IpRange.Description"], "schemas": [["AWS::EC2::SecurityGroup", "us-east-1"]]}' \
      | python3 aws-constraints.py

members: "service:Shape.Member" of the SDKs' service models (botocore's copy, the same files the AWS CLI
and every SDK are generated from): the member's shape with its min/max/pattern/enum traits and its
documentation as plain text (several constraints are stated only there). Map members also give their key
and value shapes, list members their item shape (and a structure item its members). schemas: CloudFormation's registry schema of a resource
type in a region (cfn-lint's copy of what CloudFormation publishes). extensions: cfn-lint's own additions
to those schemas (data/schemas/extensions/<type>/<name>.json), such as Lambda's reserved environment keys.
Reads only; prints one JSON object.
"""

from __future__ import annotations

import html
import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

import botocore.session
import cfnlint
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

EXTENSIONS = Path(cfnlint.__file__).parent / "data" / "schemas" / "extensions"


def plain(documentation: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", documentation or ""))).strip()


def traits(shape, depth: int = 0) -> dict:
    found = {"shape": shape.name, "type": shape.type_name, "documentation": plain(shape.documentation)}
    for key in ("min", "max", "pattern"):
        if key in shape.metadata:
            found[key] = shape.metadata[key]
    if getattr(shape, "enum", None):
        found["enum"] = list(shape.enum)
    if shape.type_name == "map":
        found["key"], found["value"] = traits(shape.key, depth + 1), traits(shape.value, depth + 1)
    if shape.type_name == "list":
        found["member"] = traits(shape.member, depth + 1)
    if shape.type_name == "structure" and depth > 0:  # the items of a list (a Tag's Key and Value)
        found["members"] = {name: traits(item, depth + 1) for name, item in shape.members.items()}
    return found


def member(session, reference: str) -> dict:
    service, path = reference.split(":", 1)
    shape_name, member_name = path.split(".", 1)
    model = session.get_service_model(service)
    owner = model.shape_for(shape_name)
    shape = owner.members[member_name]
    # A member's own documentation (where EC2 states its constraints) wins over its shape's.
    return {**traits(shape), "documentation": plain(shape.documentation)}


def main() -> None:
    request = json.load(sys.stdin)
    session = botocore.session.get_session()
    answer = {
        "versions": {"botocore": version("botocore"), "cfn-lint": version("cfn-lint")},
        "members": {reference: member(session, reference) for reference in request.get("members", [])},
        "schemas": {
            f"{kind}@{region}": PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, kind).schema
            for kind, region in request.get("schemas", [])
        },
        "extensions": {name: json.loads((EXTENSIONS / f"{name}.json").read_text()) for name in request.get("extensions", [])},
    }
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
