"""IAM roles created by CloudFormation: ManagedPolicyArns attached, kept in step and detached."""

from __future__ import annotations

import functools
import json
from typing import Any

from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.exceptions import NotFoundException as IamNoSuchEntity
from moto.iam.models import AWSManagedPolicy, Role, iam_backends
from moto.utilities.utils import get_partition
from .common import creates, props


# --- AWS::IAM::Role ManagedPolicyArns --------------------------------------------------------------------------
# Gap: moto drops ManagedPolicyArns (and loads no AWS managed policy unless told). AWS attaches each
# policy to the role, keeps the list in step on update, and detaches them before deleting the role; a
# policy that does not exist fails the role: AttachRolePolicy answers NoSuchEntity, "Policy <arn> does not
# exist or is not attachable." (IAM API reference, AttachRolePolicy errors). AWS managed policies exist in
# every account: one named is taken from moto's copy of them when first attached (loading all ~1500 in
# every IAM backend would cost a third of a second at each reset).
_original_role_create = Role.create_from_cloudformation_json.__func__
_original_role_update = Role.update_from_cloudformation_json.__func__
_original_role_delete = Role.delete_from_cloudformation_json.__func__


@functools.cache
def aws_managed_policies() -> dict[str, Any]:
    return json.loads(aws_managed_policies_data)


def _with_aws_managed_policy(backend: Any, arn: str) -> None:
    name = arn.rsplit("/", 1)[-1]
    data = aws_managed_policies().get(name) if ":iam::aws:policy/" in arn else None
    if data is not None and arn not in backend.managed_policies:
        policy = AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name, data)
        if policy.arn == arn:  # same path and partition
            backend.managed_policies[arn] = policy


def _attach_exactly(backend: Any, role: Role, arns: list[str]) -> None:
    for arn in [arn for arn in role.managed_policies if arn not in arns]:
        backend.detach_role_policy(arn, role.name)
    for arn in [arn for arn in arns if arn not in role.managed_policies]:
        _with_aws_managed_policy(backend, arn)
        backend.attach_role_policy(arn, role.name)


@creates(Role)
def role_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    role = _original_role_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = iam_backends[account_id][get_partition(region_name)]
    try:
        _attach_exactly(backend, role, props(cloudformation_json).get("ManagedPolicyArns") or [])
    except IamNoSuchEntity:  # the role's creation failed: CloudFormation leaves no half-made role
        _attach_exactly(backend, role, [])
        _original_role_delete(cls, role.name, cloudformation_json, account_id, region_name)
        raise
    return role


def role_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    role = _original_role_update(cls, original_resource, new_resource_name, cloudformation_json,
                                 account_id, region_name)
    _attach_exactly(iam_backends[account_id][get_partition(region_name)], role,
                    props(cloudformation_json).get("ManagedPolicyArns") or [])
    return role


def role_delete(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = iam_backends[account_id][get_partition(region_name)]
    role = next((role for role in backend.roles.values() if role.name == resource_name), None)
    if role is not None:
        _attach_exactly(backend, role, [])
    _original_role_delete(cls, resource_name, cloudformation_json, account_id, region_name)


Role.update_from_cloudformation_json = classmethod(role_update)
Role.delete_from_cloudformation_json = classmethod(role_delete)
