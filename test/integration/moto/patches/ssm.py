"""SSM parameters created by CloudFormation: Fn::GetAtt and Tags as a JSON object."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ssm.models import Parameter
from .common import creates, props


# --- AWS::SSM::Parameter Fn::GetAtt ---------------------------------------------------------------------
# Gap: the model has no get_cfn_attribute; an output reading Value/Type makes DescribeStacks drop
# every output. AWS answers Type and Value (AWS::SSM::Parameter's attributes, "Returns the type of the parameter"
# and "Returns the value of the parameter", in the resource specification @aws-cdk/aws-service-spec ships).
def ssm_get_cfn_attribute(self, name: str) -> Any:
    if name == "Value":
        return self.value
    if name == "Type":
        return self.type
    raise UnformattedGetAttTemplateException()


Parameter.get_cfn_attribute = ssm_get_cfn_attribute
Parameter.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Value", "Type"))
# Gap: CloudFormation's Tags for a parameter are a JSON object ({"Key": "Value"}); moto reads them as
# a list of {Key, Value} (TypeError, HTTP 500). AWS accepts the object (the property's type is a map of
# strings in the same specification).
_original_parameter_create = Parameter.create_from_cloudformation_json.__func__


@creates(Parameter)
def parameter_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    if isinstance(p.get("Tags"), dict):
        p["Tags"] = [{"Key": k, "Value": v} for k, v in p["Tags"].items()]
    return _original_parameter_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


# AWS::SSM::Parameter::Value<List<String>> parameters: moto 5.2.1 already resolves them (it splits a
# value whose type contains "List" on commas), so nothing to patch there.
