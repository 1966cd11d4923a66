"""Lambda functions: the backend CloudFormation creates them in, and function states (Pending before Active)."""

from __future__ import annotations

import time
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.awslambda.utils import get_backend as lambda_backend_for_config


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


# --- Lambda function states: a new VPC function is Pending before it is Active ----------------------------
# Gap: moto's functions are State Active, LastUpdateStatus Successful from the moment they exist. AWS
# (Lambda developer guide, "Lambda function states",
# https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): "When you create a function, the
# function is initially in the Pending state ... When you first connect a function to a VPC, Lambda
# provisions network interfaces, which takes about a minute ... While the state is Pending, invocations and
# other API actions that operate on the function return an error." GetFunctionConfiguration then answers
# State Pending, StateReason "The function is being created.", StateReasonCode Creating (no LastUpdateStatus
# yet), and Invoke answers ResourceConflictException (HTTP 409) "The operation cannot be performed at this
# time. The function is currently in the following state: Pending". Here a function created with subnets is
# Pending for --lambda-pending-ms (AWS: about a minute; 0 turns this off). Only Invoke is refused: the
# other calls AWS refuses while Pending are not ones our tool makes then.
LAMBDA_PENDING = {"ms": 1500}


class FunctionNotActive(LambdaClientError):
    code = 409

    def __init__(self, state: str):
        super().__init__(
            "ResourceConflictException",
            f"The operation cannot be performed at this time. The function is currently in the following state: {state}",
        )


_original_function_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration


def function_init(self, account_id, spec, region, version=1):
    _original_function_init(self, account_id, spec, region, version)
    subnets = (spec.get("VpcConfig") or {}).get("SubnetIds") or []
    self.active_at = time.time() + LAMBDA_PENDING["ms"] / 1000 if subnets else 0.0


def _pending(function: LambdaFunction) -> bool:
    return time.time() < getattr(function, "active_at", 0.0)


def get_configuration(self, on_create: bool = False) -> dict[str, Any]:
    config = _original_get_configuration(self, on_create)
    if _pending(self):
        config.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        config.pop("LastUpdateStatus", None)
    return config


def refusing_while_pending(original: Any) -> Any:
    def invoke(self, function_name, qualifier, body, headers, response_headers):
        if _pending(self.get_function(function_name, qualifier)):
            raise FunctionNotActive("Pending")
        return original(self, function_name, qualifier, body, headers, response_headers)

    return invoke


LambdaFunction.__init__ = function_init
LambdaFunction.get_configuration = get_configuration
LambdaBackend.invoke = refusing_while_pending(LambdaBackend.invoke)
LambdaSimpleBackend.invoke = refusing_while_pending(LambdaSimpleBackend.invoke)
