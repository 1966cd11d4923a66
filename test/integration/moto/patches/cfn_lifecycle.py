"""CloudFormation stack lifecycle: one operation at a time, change sets per stack, a stack kept busy on request."""

from __future__ import annotations

import functools
import threading
import time

from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult


# === Stack lifecycle: one operation at a time ===================================================================
# What two runs deploying one stack at once meet on AWS, which moto 5.2.1 does not model. Sources: the
# CloudFormation API reference (CreateChangeSet: "You can't use the UPDATE type to create a change set for a
# new stack or the CREATE type to create a change set for an existing stack"; ExecuteChangeSet: "When you
# execute a change set, CloudFormation deletes all other change sets associated with the stack";
# ChangeSetNotFound; ListChangeSets lists the change sets of the StackName given) and the stack status
# lifecycle in the CloudFormation User Guide (a stack is *_IN_PROGRESS while an operation runs and takes no
# other until it settles). The answers are AWS's wording (aws-cdk#6674, #7340; saksdirect/nova#10).
#   Gap: a CREATE change set for a name that has a stack makes a second stack of that name; AWS refuses it
#        ("Stack [x] already exists and cannot be created again with the changeSet [y].") unless the stack is
#        REVIEW_IN_PROGRESS (never executed), where the new change set joins the same stack.
#   Gap: an UPDATE change set for a REVIEW_IN_PROGRESS stack answers HTTP 500; AWS: "Stack [x] does not exist".
#   Gap: executing a change set leaves the stack's other change sets executable; AWS deletes them, so
#        describing or executing one answers ChangeSetNotFound ("ChangeSet [arn] does not exist").
#   Gap: an unknown change set answers ValidationError "Stack with id ... does not exist".
#   Gap: ListChangeSets ignores StackName and lists every change set of the region.
#   Gap (--stack-busy-ms N, off by default): moto finishes a stack operation inside the request, so nothing
#        ever sees a stack in progress. With N > 0, a stack whose change set was executed stays
#        CREATE_IN_PROGRESS / UPDATE_IN_PROGRESS in DescribeStacks for N ms, its own closing event is not
#        listed by DescribeStackEvents until then, and an UPDATE change set for it is refused as AWS refuses
#        one for a stack in progress ("Stack:arn... is in UPDATE_IN_PROGRESS state and can not be updated.").
class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFound"

    def __init__(self, name: str):
        super().__init__(f"ChangeSet [{name}] does not exist")


BUSY = {"ms": 0}
# moto serves requests on threads; AWS decides what one stack name takes one request at a time, so two
# runs' change sets for a new name must not both find it free.
_lifecycle_lock = threading.RLock()


def _one_at_a_time(fn):
    @functools.wraps(fn)
    def locked(*args, **kwargs):
        with _lifecycle_lock:
            return fn(*args, **kwargs)

    return locked


def _stack_status(self):
    busy_until = self.__dict__.get("busy_until", 0.0)
    return self.__dict__["busy_status"] if time.time() < busy_until else self.__dict__.get("status")


def _set_stack_status(self, value):
    self.__dict__["status"] = value


Stack.status = property(_stack_status, _set_stack_status)


def _stack_named(backend, name: str):
    return next((stack for stack in backend.stacks.values() if stack.name == name or stack.stack_id == name), None)


def _find_change_set(backend, name: str):
    found = backend.change_sets.get(name) or next(
        (cs for cs in backend.change_sets.values() if cs.change_set_name == name), None)
    if found is None:
        raise ChangeSetNotFound(name)
    return found


_create_change_set_one_stack_per_call = CloudFormationBackend.create_change_set


def create_change_set_for_one_stack(self, stack_name, change_set_name, template, parameters, description,
                                    change_set_type, *args, **kwargs):
    existing = _stack_named(self, stack_name)
    if change_set_type == "UPDATE" and existing is not None and existing.status == "REVIEW_IN_PROGRESS":
        raise ValidationError(message=f"Stack [{stack_name}] does not exist")
    if change_set_type == "UPDATE" and existing is not None and existing.status.endswith("_IN_PROGRESS"):
        raise ValidationError(message=f"Stack:{existing.stack_id} is in {existing.status} state and can not be updated.")
    if change_set_type == "CREATE" and existing is not None and existing.status != "REVIEW_IN_PROGRESS":
        raise ValidationError(message=f"Stack [{stack_name}] already exists and cannot be created again "
                                      f"with the changeSet [{change_set_name}].")
    change_set_id, stack_id = _create_change_set_one_stack_per_call(
        self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs)
    if change_set_type == "CREATE" and existing is not None:
        self.stacks.pop(stack_id)  # the second stack moto made: the change set joins the first
        change_set = self.change_sets[change_set_id]
        change_set.stack, change_set.stack_id = existing, existing.stack_id
        return change_set_id, existing.stack_id
    return change_set_id, stack_id


def describe_change_set_or_not_found(self, change_set_name):
    return _find_change_set(self, change_set_name)


_execute_change_set_leaving_others = CloudFormationBackend.execute_change_set


def execute_change_set_one_at_a_time(self, change_set_name, stack_name=None):
    change_set = _find_change_set(self, change_set_name)
    stack = self.stacks[change_set.stack_id]
    _execute_change_set_leaving_others(self, change_set.change_set_id, stack_name)
    for other in [key for key, cs in self.change_sets.items() if cs.stack_id == stack.stack_id and cs is not change_set]:
        del self.change_sets[other]
    if BUSY["ms"] > 0:
        stack.__dict__["busy_status"] = f"{change_set.change_set_type}_IN_PROGRESS"
        stack.__dict__["busy_until"] = time.time() + BUSY["ms"] / 1000


def delete_change_set_or_not_found(self, change_set_name):
    change_set = _find_change_set(self, change_set_name)
    del self.change_sets[change_set.change_set_id]


def list_change_sets_of_stack(self):
    name = self._get_param("StackName")
    stack = _stack_named(self.cloudformation_backend, name)
    summaries = [cs for cs in self.cloudformation_backend.change_sets.values()
                 if stack is not None and cs.stack_id == stack.stack_id]
    return ActionResult({"Summaries": summaries})


_describe_stack_events_at_once = CloudFormationBackend.describe_stack_events


def describe_stack_events_while_busy(self, stack_name):
    events = _describe_stack_events_at_once(self, stack_name)
    stack = self.get_stack(stack_name)
    if time.time() >= stack.__dict__.get("busy_until", 0.0):
        return events
    # The operation's own closing event (the stack's *_COMPLETE or *_FAILED) is AWS's "it is over".
    return [event for event in events if not (event.logical_resource_id == stack.name and event is _closing(stack))]


def _closing(stack):
    own = [event for event in stack.events if event.logical_resource_id == stack.name]
    last = own[-1] if own else None
    return last if last is not None and not last.resource_status.endswith("_IN_PROGRESS") else None


CloudFormationBackend.create_change_set = _one_at_a_time(create_change_set_for_one_stack)
CloudFormationBackend.describe_change_set = _one_at_a_time(describe_change_set_or_not_found)
CloudFormationBackend.execute_change_set = _one_at_a_time(execute_change_set_one_at_a_time)
CloudFormationBackend.delete_change_set = _one_at_a_time(delete_change_set_or_not_found)
CloudFormationBackend.describe_stack_events = describe_stack_events_while_busy
CloudFormationResponse.list_change_sets = list_change_sets_of_stack
