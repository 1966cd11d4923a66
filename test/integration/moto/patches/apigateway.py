"""API Gateway as our stage-1 template uses it: MOCK methods, a private RestApi with its policy, deployments and stages."""

from __future__ import annotations

import json

from moto.apigateway.exceptions import ApiGatewayException, BadRequestException
from moto.apigateway.models import APIGatewayBackend
from moto.apigateway.models import Deployment, Method, RestAPI, apigateway_backends
from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from .common import creates, props, InvalidRequest, NotUpdatable


# --- AWS::ApiGateway::Method with a MOCK integration ------------------------------------------------
# Gap: moto reads Integration.IntegrationHttpMethod and Integration.Uri unconditionally (KeyError,
# HTTP 500, stack stuck). AWS needs neither for MOCK (AWS::ApiGateway::Method Integration's
# IntegrationHttpMethod: "if you specify MOCK, this property is optional", in the resource specification
# @aws-cdk/aws-service-spec ships; Uri only for the HTTP and AWS types, the same page). Also keep
# RequestTemplates/PassthroughBehavior and the method/integration responses the template declares.
@creates(Method)
def method_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    backend = apigateway_backends[account_id][region_name]
    api_id, resource_id, http_method = p["RestApiId"], p["ResourceId"], p["HttpMethod"]
    method = backend.put_method(
        function_id=api_id,
        resource_id=resource_id,
        method_type=http_method,
        authorization_type=p.get("AuthorizationType", "NONE"),
        api_key_required=p.get("ApiKeyRequired"),
    )
    for response in p.get("MethodResponses") or []:
        backend.put_method_response(
            api_id, resource_id, http_method, str(response["StatusCode"]),
            response.get("ResponseModels"), response.get("ResponseParameters"),
        )
    integration = p.get("Integration")
    if integration:
        backend.put_integration(
            function_id=api_id,
            resource_id=resource_id,
            method_type=http_method,
            integration_type=integration["Type"],
            uri=integration.get("Uri"),
            integration_method=integration.get("IntegrationHttpMethod"),
            request_templates=integration.get("RequestTemplates"),
            passthrough_behavior=integration.get("PassthroughBehavior"),
        )
        for response in integration.get("IntegrationResponses") or []:
            backend.put_integration_response(
                api_id, resource_id, http_method, str(response["StatusCode"]),
                response.get("SelectionPattern"), response.get("ResponseTemplates"),
                response.get("ResponseParameters"), response.get("ContentHandling"),
            )
    return method


# --- AWS::ApiGateway::RestApi EndpointConfiguration / Policy ------------------------------------------
# Gap: moto drops Policy and keeps EndpointConfiguration in CloudFormation's casing (Types), so
# GetRestApi shows an EDGE API without a policy. AWS keeps both. Delete: not implemented in moto.
# Gap: moto names an API without Name after its logical id. AWS (AWS::ApiGateway::RestApi reference:
# "Name ... required if you don't specify a OpenAPI definition", i.e. Body or BodyS3Location) passes the
# null name on to CreateRestApi, which refuses it with the service front end's ValidationException (not in
# API Gateway's model), worded as AWS words it for an Authorizer without Name: "1 validation error detected:
# Value null at 'createAuthorizerInput.name' failed to satisfy constraint: Member must not be null ... Error
# Code: ValidationException" (aws/aws-cdk#5678; the same for createStageInput, serverless-plugin-stage-variables#15).
class ValidationException(ApiGatewayException):
    def __init__(self, message: str):
        super().__init__("ValidationException", message)


@creates(RestAPI)
def rest_api_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = props(cloudformation_json)
    if not p.get("Name") and not (p.get("Body") or p.get("BodyS3Location")):
        raise ValidationException("1 validation error detected: Value null at 'createRestApiInput.name' "
                                  "failed to satisfy constraint: Member must not be null")
    config = p.get("EndpointConfiguration")
    if config:
        config = {"types": config.get("Types", []), **(
            {"vpcEndpointIds": config["VpcEndpointIds"]} if config.get("VpcEndpointIds") else {})}
    policy = p.get("Policy")
    return apigateway_backends[account_id][region_name].create_rest_api(
        name=p.get("Name", resource_name),
        description=p.get("Description", ""),
        endpoint_configuration=config,
        policy=json.dumps(policy) if isinstance(policy, dict) else policy,
    )


def rest_api_delete(self, account_id, region_name):
    apigateway_backends[account_id][region_name].apis.pop(self.id, None)


RestAPI.delete = rest_api_delete


# --- AWS::ApiGateway::Deployment Ref and AWS::ApiGateway::Stage -------------------------------------------
# Gap: a Deployment has no physical id (Ref gives the Python object), and moto has no model for
# AWS::ApiGateway::Stage at all (skipped with a warning: Ref empty, "${Stage}" left literal).
# AWS: Ref Deployment = deployment id; Ref Stage = stage name; deleting the stage removes it.
Deployment.physical_resource_id = property(lambda self: self.id)


class StageModel(CloudFormationModel):
    __module__ = "moto.apigateway.launcher"  # moto files models by the service in their module path

    def __init__(self, api_id: str, name: str):
        self.api_id, self.name = api_id, name

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = props(cloudformation_json)
        # AWS's handler refuses a missing one, though the reference says optional (HandlerErrorCode
        # InvalidRequest: aws-cloudformation/cloudformation-coverage-roadmap#2419).
        if not p.get("DeploymentId"):
            raise InvalidRequest("DeploymentId cannot be empty")
        apigateway_backends[account_id][region_name].create_stage(
            p["RestApiId"], p["StageName"], p["DeploymentId"],
            variables=p.get("Variables"), description=p.get("Description", ""),
            tags={t["Key"]: t["Value"] for t in p.get("Tags") or []},
        )
        return cls(p["RestApiId"], p["StageName"])

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # AWS updates DeploymentId and Description in place (UpdateStage); a new RestApiId or StageName
        # replaces the stage. Only the in-place case is modelled: the stage then serves the new deployment.
        p = props(cloudformation_json)
        if (p["RestApiId"], p["StageName"]) != (original_resource.api_id, original_resource.name):
            raise NotUpdatable("AWS::ApiGateway::Stage", "a new RestApiId or StageName (a replacement)")
        backend = apigateway_backends[account_id][region_name]
        _require_deployment(backend.get_rest_api(p["RestApiId"]), p.get("DeploymentId"))
        stage = backend.get_stage(p["RestApiId"], p["StageName"])
        stage.deployment_id, stage.description = p["DeploymentId"], p.get("Description", "")
        stage.variables = p.get("Variables") or {}
        return original_resource

    def delete(self, account_id, region_name):
        api = apigateway_backends[account_id][region_name].apis.get(self.api_id)
        if api is not None:
            api.stages.pop(self.name, None)


for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
    cached.cache_clear()  # make moto's CloudFormation see StageModel


# --- API Gateway: a private API's deployment, a stage's deployment, updates of a RestApi -------------------
# Gap: moto deploys a PRIVATE REST API that has no resource policy. AWS refuses CreateDeployment:
# BadRequestException "Private REST API doesn't have a resource policy attached to it" (API Gateway
# developer guide, "Create and attach an API Gateway resource policy to an API": "For a private API, you
# can't deploy your API without a resource policy").
# Gap: moto creates a stage on any DeploymentId. AWS's CreateStage answers BadRequestException "Deployment id
# does not exist" when the API has no such deployment (aws/chalice#1839; "Invalid deployment identifier
# specified" is GetDeployment's not-found text). UpdateStage to an unknown one: modelled alike, unverified.
# Gap: moto cannot update a RestApi. AWS updates Name, Description, Policy and EndpointConfiguration in
# place (AWS::ApiGateway::RestApi reference: "Update requires: No interruption").
_original_create_deployment = APIGatewayBackend.create_deployment
_original_create_stage = APIGatewayBackend.create_stage


def create_deployment(self, function_id, name, description="", stage_variables=None):
    api = self.get_rest_api(function_id)
    if "PRIVATE" in (api.endpoint_configuration or {}).get("types", []) and not api.policy:
        raise BadRequestException("Private REST API doesn't have a resource policy attached to it")
    return _original_create_deployment(self, function_id, name, description, stage_variables)


def _require_deployment(api: RestAPI, deployment_id: str | None) -> None:
    if deployment_id not in api.deployments:
        raise BadRequestException("Deployment id does not exist")


def create_stage(self, function_id, stage_name, deploymentId, *args, **kwargs):
    _require_deployment(self.get_rest_api(function_id), deploymentId)
    return _original_create_stage(self, function_id, stage_name, deploymentId, *args, **kwargs)


def rest_api_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    p = props(cloudformation_json)
    if not p.get("Name") and not (p.get("Body") or p.get("BodyS3Location")):
        raise NotUpdatable("AWS::ApiGateway::RestApi", "a removed Name")
    api, config, policy = original_resource, p.get("EndpointConfiguration") or {}, p.get("Policy")
    api.name, api.description = p.get("Name", api.name), p.get("Description", "")
    api.policy = json.dumps(policy) if isinstance(policy, dict) else policy
    api.endpoint_configuration = {"types": config.get("Types") or ["EDGE"], **(
        {"vpcEndpointIds": config["VpcEndpointIds"]} if config.get("VpcEndpointIds") else {})}
    return api


APIGatewayBackend.create_deployment = create_deployment
APIGatewayBackend.create_stage = create_stage
RestAPI.update_from_cloudformation_json = classmethod(rest_api_update)
