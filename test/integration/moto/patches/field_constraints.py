"""Field constraints: a value AWS refuses for its field is refused here too, with AWS's error, whether it comes
through an API call or a CloudFormation resource (which the stack then reports CREATE_FAILED and rolls back)."""

from __future__ import annotations

import functools
import html
import inspect
import json
import re
from pathlib import Path
from typing import Any

import botocore.session
import cfnlint
import regex
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend
from moto.core.exceptions import ServiceException
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.security_groups import SecurityGroupBackend
from moto.ec2.models.tags import TagBackend
from moto.iam.models import IAMBackend
from moto.logs.exceptions import LogsClientError
from moto.logs.models import LogsBackend
from moto.ssm.models import SimpleSystemManagerBackend


# --- The constraints, read from the AWS SDKs' service models --------------------------------------------
# Gap: moto checks few of the constraints AWS states for a field (some name lengths; not EC2's description
# character set, not Lambda's environment keys), so a template AWS refuses passed every suite: the
# apostrophe in template 2's rule description (research/real-aws-review.md, finding 1). Each check here
# takes its constraint from botocore's service model — the member's length and pattern traits, matched
# against the whole value as AWS matches them ("Member must satisfy regular expression pattern"), or the
# model's documentation where AWS states a rule only there — and answers AWS's error: the code and HTTP
# status the model declares for it, else those of real refusals (cited); the message as a real refusal
# shows it (cited), else marked beside it as not AWS's verbatim text.
_SESSION = botocore.session.get_session()


@functools.cache
def _member(service: str, shape: str, member: str) -> Any:
    return _SESSION.get_service_model(service).shape_for(shape).members[member]


def _documentation(service: str, shape: str, member: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", _member(service, shape, member).documentation or ""))
    return re.sub(r"\s+", " ", text).strip()


def _status(service: str, code: str) -> int:
    """The HTTP status the model declares for an error code; 400 for the validation errors it does not
    declare (ValidationError, ValidationException: "Status Code: 400" in aws/copilot-cli#2118,
    klothoplatform/klotho#317)."""
    for shape_name in _SESSION.get_service_model(service).error_shapes:
        error = shape_name.metadata.get("error", {})
        if error.get("code", shape_name.name) == code:
            return int(error.get("httpStatusCode", 400))
    return 400


# AWS's validation message, one clause per broken constraint, as real refusals show it:
# "1 validation error detected: Value '<v>' at 'roleName' failed to satisfy constraint: Member must have
# length less than or equal to 64" (aws/copilot-cli#2118, serverless/examples#405); "… Member must satisfy
# regular expression pattern: [\.\-_/#A-Za-z0-9]+" (awslabs/aws-embedded-metrics-java#65); several joined
# with "; " under "2 validation errors detected" (hashicorp/terraform-provider-aws#36076). A sensitive
# member's value is left out: "Value at 'environment.variables' …" (klothoplatform/klotho#317).
def _broken(shape: Any, value: str, wire: str) -> list[str]:
    said = "Value at" if shape.metadata.get("sensitive") else f"Value '{value}' at"
    found = []
    if "min" in shape.metadata and len(value) < shape.metadata["min"]:
        found.append(f"{said} '{wire}' failed to satisfy constraint: Member must have length greater than or equal to {shape.metadata['min']}")
    if "max" in shape.metadata and len(value) > shape.metadata["max"]:
        found.append(f"{said} '{wire}' failed to satisfy constraint: Member must have length less than or equal to {shape.metadata['max']}")
    pattern = shape.metadata.get("pattern")
    if pattern is not None and regex.fullmatch(pattern, value) is None:
        found.append(f"{said} '{wire}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}")
    return found


def _validation(errors: list[str]) -> str:
    return f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected: {'; '.join(errors)}"


def _member_errors(service: str, shape: str, checks: dict[str, Any]) -> list[str]:
    """Every broken constraint of the members given (member name -> value; None = not sent)."""
    errors = []
    for name, value in checks.items():
        if value is not None:
            errors += _broken(_member(service, shape, name), str(value), name[0].lower() + name[1:])
    return errors


# --- EC2: security group and rule descriptions, tags ----------------------------------------------------
# The model states the character set in each description's documentation ("Allowed characters are a-z,
# A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"; UserIdGroupPair's and PrefixListId's leave out "&") and
# "Up to 255 characters". EC2 declares no error shapes; it answers InvalidParameterValue, HTTP 400:
# "Invalid security group description. Valid descriptions are strings less than 256 characters from the
# following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*" (cds-snc/notification-terraform#561), non-ASCII text
# "Value (<v>) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported."
# (hashicorp/terraform-provider-aws#43854), and "Invalid rule description. Valid descriptions are strings
# less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"
# (agentic-community/mcp-gateway-registry#1728; through CloudFormation, aws-cloudformation/cfn-lint#173).
_SET = "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"


@functools.cache
def _ec2_allowed(shape: str, member: str) -> tuple[frozenset[str], int]:
    documentation = _documentation("ec2", shape, member)
    listed = re.search(r"(?:Allowed characters are|Valid characters:) (\S.*\S)$", documentation)
    longest = re.search(r"Up to (\d+) characters", documentation)
    if not listed or not longest:
        raise RuntimeError(f"the EC2 model no longer states ec2:{shape}.{member}'s characters: read it again")
    allowed: set[str] = set()
    for part in (p.removeprefix("and ") for p in listed.group(1).split(", ")):
        if part == "spaces":
            allowed.add(" ")
        elif re.fullmatch(r".-.", part):
            allowed.update(chr(c) for c in range(ord(part[0]), ord(part[2]) + 1))
        else:
            allowed.update(part)
    return frozenset(allowed), int(longest.group(1))


def _fits(value: str, shape: str, member: str) -> bool:
    allowed, longest = _ec2_allowed(shape, member)
    return len(value) <= longest and set(value) <= allowed


def _check_group_description(description: str | None) -> None:
    if description is None or _fits(description, "CreateSecurityGroupRequest", "Description"):
        return
    if any(ord(c) > 127 for c in description):
        raise EC2ClientError("InvalidParameterValue", f"Value ({description}) for parameter GroupDescription is invalid. "
                             "Character sets beyond ASCII are not supported.")
    raise EC2ClientError("InvalidParameterValue", "Invalid security group description. Valid descriptions are strings "
                         f"less than 256 characters from the following set:  {_SET}")


def _check_rule_descriptions(ip_ranges: Any, source_groups: Any, prefix_list_ids: Any) -> None:
    described = [(r, "Ipv6Range" if "CidrIpv6" in r else "IpRange") for r in ip_ranges or [] if isinstance(r, dict)]
    described += [(g, "UserIdGroupPair") for g in source_groups or []]
    described += [(p, "PrefixListId") for p in prefix_list_ids or []]
    for item, shape in described:
        if item.get("Description") is not None and not _fits(item["Description"], shape, "Description"):
            raise EC2ClientError("InvalidParameterValue", "Invalid rule description. Valid descriptions are strings less "
                                 f"than 256 characters from the following set:  {_SET}")


def _authorizing(original: Any) -> Any:
    signature = inspect.signature(original)

    def authorize(self, *args, **kwargs):
        given = signature.bind(self, *args, **kwargs).arguments
        _check_rule_descriptions(given.get("ip_ranges"), given.get("source_groups"), given.get("prefix_list_ids"))
        return original(self, *args, **kwargs)

    return authorize


_original_create_security_group = SecurityGroupBackend.create_security_group


def create_security_group(self, name, description, *args, **kwargs):
    _check_group_description(description)
    return _original_create_security_group(self, name, description, *args, **kwargs)


SecurityGroupBackend.create_security_group = create_security_group
SecurityGroupBackend.authorize_security_group_ingress = _authorizing(SecurityGroupBackend.authorize_security_group_ingress)
SecurityGroupBackend.authorize_security_group_egress = _authorizing(SecurityGroupBackend.authorize_security_group_egress)

# Tags: "May not begin with aws:" (ec2:Tag.Key) is answered InvalidParameterValue "Value ( aws:… ) for
# parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use"
# (AndrewFarley/AWS-Automated-Daily-Instance-AMI-Snapshots#7, cloud-custodian/cloud-custodian#5975). The
# keys CloudFormation itself puts on what it creates (moto adds them through this same call) are AWS's
# own use of the prefix. Key and value lengths: the model's "maximum of 127 / 256 Unicode characters";
# the texts of those two refusals are not AWS's verbatim (no capture found).
_CLOUDFORMATION_OWN = {"aws:cloudformation:stack-name", "aws:cloudformation:stack-id", "aws:cloudformation:logical-id"}
_original_create_tags = TagBackend.create_tags


def create_tags(self, resource_ids, tags):
    for key, value in tags.items():
        if key.lower().startswith("aws:") and key not in _CLOUDFORMATION_OWN:
            raise EC2ClientError("InvalidParameterValue", f"Value ( {key} ) for parameter key is invalid. "
                                 "Tag keys starting with 'aws:' are reserved for internal use")
        for what, text, member in (("key", key, "Key"), ("value", value, "Value")):
            longest = int(re.search(r"maximum of (\d+) Unicode", _documentation("ec2", "Tag", member)).group(1))
            if text is not None and len(text) > longest:
                raise EC2ClientError("InvalidParameterValue", f"Tag {what} exceeds the maximum length of {longest} characters")
    return _original_create_tags(self, resource_ids, tags)


TagBackend.create_tags = create_tags


# --- IAM: role name, path, description, tags --------------------------------------------------------------
# roleNameType, pathType, roleDescriptionType and the Tag members' traits; IAM answers ValidationError,
# HTTP 400, in the validation wording (aws/copilot-cli#2118: "Error Code: ValidationError").
class IamValidationError(ServiceException):
    code = "ValidationError"


_original_create_role = IAMBackend.create_role


def create_role(self, role_name, assume_role_policy_document, path, permissions_boundary, description, tags,
                max_session_duration, linked_service=None):
    errors = _member_errors("iam", "CreateRoleRequest", {"RoleName": role_name, "Path": path, "Description": description})
    for i, tag in enumerate(tags or [], 1):
        errors += _broken(_member("iam", "Tag", "Key"), tag.get("Key", ""), f"tags.{i}.member.key")
        errors += _broken(_member("iam", "Tag", "Value"), tag.get("Value", ""), f"tags.{i}.member.value")
    if errors:
        raise IamValidationError(_validation(errors))
    return _original_create_role(self, role_name, assume_role_policy_document, path, permissions_boundary, description,
                                 tags, max_session_duration, linked_service)


IAMBackend.create_role = create_role


# --- Lambda: function name, description, handler, environment ----------------------------------------------
# The model's traits (ValidationException, HTTP 400, as aarondfrancis/sidecar#147 shows for 'role'), and what
# it and Lambda's pages state besides:
#   - "If you specify only the function name, it is limited to 64 characters in length" (the model's
#     FunctionName documentation; the refusal's text is not AWS's verbatim);
#   - environment keys, the key pattern: "1 validation error detected: Value at 'environment.variables'
#     failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular
#     expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]" (klothoplatform/klotho#317);
#   - reserved keys (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html; the list as
#     cfn-lint keeps it, data/schemas/extensions/aws_lambda_function/environment_variable_keys.json):
#     InvalidParameterValueException "Lambda was unable to configure your environment variables because the
#     environment variables you have provided contains reserved keys that are currently not supported for
#     modification. Reserved keys used in this request: AWS_REGION" (mattermost/mattermost-cloud-monitoring#264);
#   - 4 KB of variables in all, measured as their JSON text: InvalidParameterValueException "Lambda was unable
#     to configure your environment variables because the environment variables you have provided exceeded
#     the 4KB limit. String measured: {…}" (github-aws-runners/terraform-aws-github-runner#3594).
_LAMBDA_RESERVED = frozenset(json.loads(
    (Path(cfnlint.__file__).parent / "data/schemas/extensions/aws_lambda_function/environment_variable_keys.json").read_text()
)["propertyNames"]["not"]["enum"])


class LambdaRefusal(LambdaClientError):
    def __init__(self, error: str, message: str):
        super().__init__(error, message)
        self.code = _status("lambda", error)


def _check_function(spec: dict[str, Any]) -> None:
    name = spec.get("FunctionName")
    errors = _member_errors("lambda", "CreateFunctionRequest",
                            {"FunctionName": name, "Description": spec.get("Description"), "Handler": spec.get("Handler")})
    longest = int(re.search(r"limited to (\d+) characters", _documentation("lambda", "CreateFunctionRequest", "FunctionName")).group(1))
    if name and ":" not in name and len(name) > longest:
        errors.append(f"Value '{name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to {longest}")
    variables = (spec.get("Environment") or {}).get("Variables") or {}
    key_pattern = _member("lambda", "Environment", "Variables").key.metadata["pattern"]
    if any(regex.fullmatch(key_pattern, key) is None for key in variables):
        errors.append("Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: "
                      f"[Member must satisfy regular expression pattern: {key_pattern}]")
    if errors:
        raise LambdaRefusal("ValidationException", _validation(errors))
    reserved = [key for key in variables if key in _LAMBDA_RESERVED]
    if reserved:
        raise LambdaRefusal("InvalidParameterValueException", "Lambda was unable to configure your environment variables "
                            "because the environment variables you have provided contains reserved keys that are currently "
                            f"not supported for modification. Reserved keys used in this request: {', '.join(reserved)}")
    measured = json.dumps(variables, separators=(",", ":"))
    if len(measured.encode()) > 4096:
        raise LambdaRefusal("InvalidParameterValueException", "Lambda was unable to configure your environment variables "
                            "because the environment variables you have provided exceeded the 4KB limit. "
                            f"String measured: {measured}")


_original_create_function = LambdaBackend.create_function


def create_function(self, spec):
    _check_function(spec)
    return _original_create_function(self, spec)


LambdaBackend.create_function = create_function


# --- CloudWatch Logs: log group names and tags ------------------------------------------------------------
# LogGroupName's traits; Logs answers InvalidParameterException (declared by the model, HTTP 400) in the
# validation wording (awslabs/aws-embedded-metrics-java#65, awslabs/aws-embedded-metrics-node#160). Tags:
# the model's TagKey/TagValue traits, refused the same way (by analogy: no capture of a tag refusal found).
class LogsRefusal(LogsClientError):
    def __init__(self, message: str):
        super().__init__("InvalidParameterException", message)
        self.code = _status("logs", "InvalidParameterException")


_original_create_log_group = LogsBackend.create_log_group


def create_log_group(self, log_group_name, tags, **kwargs):
    errors = _member_errors("logs", "CreateLogGroupRequest", {"logGroupName": log_group_name})
    tag_map = _member("logs", "CreateLogGroupRequest", "tags")
    for key, value in (tags or {}).items():
        errors += _broken(tag_map.key, key, "tags")
        errors += _broken(tag_map.value, value, f"tags.{key}")
    if errors:
        raise LogsRefusal(_validation(errors))
    return _original_create_log_group(self, log_group_name, tags, **kwargs)


LogsBackend.create_log_group = create_log_group


# --- Systems Manager: parameter names, descriptions, values, tags -------------------------------------------
# The model's PutParameterRequest.Name documentation states: only a-zA-Z0-9_.- and "/", not prefixed with
# "aws" or "ssm" (moto refuses those already), at most fifteen levels, at most 1011 characters counting the
# ARN before the name. A name outside the characters: ValidationException (HTTP 400) "Parameter name: can't be
# prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash
# symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_"
# (boto/boto3#1499 for a space, aws/aws-sdk-php#1952 for "@"). Deeper than fifteen levels: the model's
# HierarchyLevelLimitExceededException; longer than 1011 with its ARN, ValidationException (neither text is
# AWS's verbatim). Description and tags: the model's traits in the validation wording (ValidationException,
# as aws/aws-sdk-js#2748 shows for SSM). Value: "Standard parameters have a value limit of 4 KB" (the model's
# Value documentation; the refusal's text is not AWS's verbatim).
class SsmRefusal(ServiceException):
    def __init__(self, code: str, message: str):
        super().__init__(code, message)


_SSM_NAME = ('Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of '
             "sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the "
             "following 3 symbols .-_")
_original_put_parameter = SimpleSystemManagerBackend.put_parameter


def put_parameter(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type,
                  tier, policies):
    if not re.fullmatch(r"[a-zA-Z0-9_.\-/]+", name or ""):
        raise SsmRefusal("ValidationException", _SSM_NAME)
    if len([part for part in name.split("/") if part]) > 15:
        raise SsmRefusal("HierarchyLevelLimitExceededException", f"Parameter {name} is more than 15 levels deep.")
    arn = f"arn:{self.partition}:ssm:{self.region_name}:{self.account_id}:parameter/{name.lstrip('/')}"
    if len(arn) > 1011:
        raise SsmRefusal("ValidationException", f"Parameter name {name} is longer than 1011 characters with its ARN.")
    errors = _member_errors("ssm", "PutParameterRequest", {"Description": description})
    for i, tag in enumerate(tags or [], 1):
        errors += _broken(_member("ssm", "Tag", "Key"), tag.get("Key", ""), f"tags.{i}.member.key")
        errors += _broken(_member("ssm", "Tag", "Value"), tag.get("Value", ""), f"tags.{i}.member.value")
    if errors:
        raise SsmRefusal("ValidationException", _validation(errors))
    if (tier or "Standard") == "Standard" and value is not None and len(value.encode()) > 4096:
        raise SsmRefusal("ValidationException", "Standard tier parameters support a maximum parameter value of 4096 characters.")
    return _original_put_parameter(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite,
                                   tags, data_type, tier, policies)


SimpleSystemManagerBackend.put_parameter = put_parameter
