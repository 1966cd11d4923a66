"""Lambda functions: the backend CloudFormation creates them in, and function states (Pending before Active, Inactive when idle)."""

from __future__ import annotations

import json
import time
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.awslambda.utils import get_backend as lambda_backend_for_config
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal import urls as moto_api_urls
from .common import aws_delay


# --- AWS::Lambda::Function created through CloudFormation ------------------------------------------------
# Gap (moto 5.2.1, fixed in 5.2.2): CloudFormation creates functions in the Docker backend while, with
# {"lambda": {"use_docker": false}}, Invoke/GetFunction read the Docker-less one (404). Route every
# backend lookup in moto's Lambda models through the same choice the API responses make.
class _LambdaBackendsByConfig:
    class _Account:
        def __init__(self, account_id: str):
            self.account_id = account_id

        def __getitem__(self, region: str) -> Any:
            return lambda_backend_for_config(self.account_id, region)

    def __getitem__(self, account_id: str) -> Any:
        return self._Account(account_id)


lambda_models.lambda_backends = _LambdaBackendsByConfig()


# --- Lambda function states: Pending before Active, and an idle function Inactive until an invoke restores it ---
# Gap: moto's functions are State Active, LastUpdateStatus Successful from the moment they exist. AWS
# (Lambda developer guide, "Lambda function states",
# https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): "After Lambda creates the function, it
# sets the state to pending ... Any invocations or other API actions that operate on the function will fail."
# Every new function, VPC or not, since 2022 (AWS Compute Blog, "Coming soon: Expansion of AWS Lambda states
# to all functions"). GetFunctionConfiguration then answers State Pending, StateReason "The function is being
# created.", StateReasonCode Creating (no LastUpdateStatus yet: unverified, kept as the guide's example shows
# none), and Invoke answers ResourceConflictException (HTTP 409) "The operation cannot be performed at this
# time. The function is currently in the following state: Pending" (remotion-dev/remotion#1186). Only Invoke
# is refused: the other calls AWS refuses while Pending are not ones our tool makes then.
# How long: a VPC function's network interfaces take "60-90 seconds" (AWS Compute Blog, "Coming soon: Updated
# Lambda states lifecycle for VPC networking"): 75 s on AWS. Any other function: "In most cases, this process
# is very fast" (AWS Compute Blog, "Tracking the state of AWS Lambda functions"): 1 s on AWS.
# CloudFormation waits for Active before it reports the function CREATE_COMPLETE (the expansion post above:
# CloudFormation "already support[s] states", and asks for lambda:GetFunction on its service role to do so), so
# a stack that created a function completes only once the function is Active (cfn_events.py reads
# cfn_stable_at): after a successful deploy no Pending window is left.
# --lambda-pending-ms N sets a VPC function's Pending time directly (a test that needs to look at it).
VPC_PENDING_S_ON_AWS = 75
PENDING_S_ON_AWS = 1
LAMBDA_PENDING: dict[str, float | None] = {"ms": None}

# Inactive: "A function becomes inactive when it has been idle long enough for Lambda to reclaim the external
# resources that were configured for it. When you try to invoke a function that is inactive, the invocation
# fails and Lambda sets the function to pending state until the function resources are recreated" (the guide
# above). The refused invoke answers ResourceNotReadyException, HTTP 502 in botocore's Lambda model, "The
# function is inactive and its VPC connection is no longer available. Wait for the VPC connection to
# reestablish and try again." (the model's own documentation of that error). StateReasonCode Idle while
# Inactive, Restoring while Pending again (botocore's StateReasonCode enum). The restore recreates the VPC
# interfaces: 75 s on AWS, as their first creation.
# AWS makes a function Inactive after weeks without invokes; here a test says when, with
# POST /moto-api/xregion/lambda-inactive {"account_id", "region", "function_name", "restore_seconds"?}: the
# restore takes AWS's 75 s on the launcher's clock unless the test gives it a wall-clock time of its own (a suite
# on a fast clock would otherwise see it over before its next call).
IDLE_REASON = "The function is currently idle."  # one real GetFunction answer seen; its source could not be named
# No source found for the reason given while Restoring: this text is the emulator's own.
RESTORING_REASON = "The function is being restored."


class FunctionNotActive(LambdaClientError):
    code = 409

    def __init__(self, state: str):
        super().__init__(
            "ResourceConflictException",
            f"The operation cannot be performed at this time. The function is currently in the following state: {state}",
        )


class FunctionInactive(LambdaClientError):
    code = 502

    def __init__(self) -> None:
        super().__init__(
            "ResourceNotReadyException",
            "The function is inactive and its VPC connection is no longer available. Wait for the VPC connection "
            "to reestablish and try again.",
        )


_original_function_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration


def pending_seconds(in_vpc: bool) -> float:
    if in_vpc and LAMBDA_PENDING["ms"] is not None:
        return LAMBDA_PENDING["ms"] / 1000
    return aws_delay(VPC_PENDING_S_ON_AWS if in_vpc else PENDING_S_ON_AWS)


def function_init(self, account_id, spec, region, version=1):
    _original_function_init(self, account_id, spec, region, version)
    in_vpc = bool((spec.get("VpcConfig") or {}).get("SubnetIds"))
    self.active_at, self.pending_reason = time.time() + pending_seconds(in_vpc), ("Creating", "The function is being created.")
    self.cfn_stable_at = self.active_at  # when CloudFormation sees the function created
    self.inactive = False


def _pending(function: LambdaFunction) -> bool:
    return time.time() < getattr(function, "active_at", 0.0)


def get_configuration(self, on_create: bool = False) -> dict[str, Any]:
    config = _original_get_configuration(self, on_create)
    if getattr(self, "inactive", False):
        config.update(State="Inactive", StateReason=IDLE_REASON, StateReasonCode="Idle")
    elif _pending(self):
        code, reason = self.pending_reason
        config.update(State="Pending", StateReason=reason, StateReasonCode=code)
        if code == "Creating":
            config.pop("LastUpdateStatus", None)
    return config


def refusing_unless_active(original: Any) -> Any:
    def invoke(self, function_name, qualifier, body, headers, response_headers):
        function = self.get_function(function_name, qualifier)
        if getattr(function, "inactive", False):
            function.inactive = False  # this refused invoke starts the restore
            restore = getattr(function, "restore_seconds", None)
            function.active_at = time.time() + (aws_delay(VPC_PENDING_S_ON_AWS) if restore is None else restore)
            function.pending_reason = ("Restoring", RESTORING_REASON)
            raise FunctionInactive()
        if _pending(function):
            raise FunctionNotActive("Pending")
        return original(self, function_name, qualifier, body, headers, response_headers)

    return invoke


def make_inactive(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    body = json.loads(request.get_data() or b"{}")
    backend = lambda_backend_for_config(body.get("account_id", DEFAULT_ACCOUNT_ID), body["region"])
    function = backend.get_function(body["function_name"])
    function.inactive, function.restore_seconds = True, body.get("restore_seconds")
    return 200, {}, ""


LambdaFunction.__init__ = function_init
LambdaFunction.get_configuration = get_configuration
LambdaBackend.invoke = refusing_unless_active(LambdaBackend.invoke)
LambdaSimpleBackend.invoke = refusing_unless_active(LambdaSimpleBackend.invoke)
moto_api_urls.url_paths["{0}/moto-api/xregion/lambda-inactive"] = make_inactive
